"""The checks of a source's options that several kinds share: each refuses a wrong value with a
ScrapeError naming the source and the key, so a mistake in the sources file is reported, never
fetched nor stored."""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlsplit, urlunsplit

from scrapers.model import ScrapeError, Source


def web_address_option(source_id: str, key: str, value: Any, placeholders: dict[str, str]) -> str:
    """An option that makes addresses (a URL or a template of one), checked: it must give http
    or https addresses. A `file:` or `javascript:` value in a sources file is refused with a
    clear error, never fetched nor stored as a record's link. Empty stays empty (the default)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ScrapeError(f"source {source_id!r}: option {key!r} must be a web address")
    text = value.strip()
    if not text:
        return ""
    sample = text
    for name, example in placeholders.items():
        sample = sample.replace("{" + name + "}", example)
    try:
        parts = urlsplit(sample)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ScrapeError(f"source {source_id!r}: option {key!r} must be an http or https address: {text!r}")
    return text


def user_agent_option(source: Source) -> str | None:
    """The source's own `user_agent`, checked: for a host that refuses the app's honest one (the
    European Parliament's feeds answer 403 to a client that does not look like a browser).
    None means the app's own User-Agent. A value that could break the request line (a newline,
    a control character) is refused with a clear error, never sent."""
    value = source.options.get("user_agent")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise ScrapeError(f"source {source.id!r}: option 'user_agent' must be a non-empty text")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ScrapeError(f"source {source.id!r}: option 'user_agent' must be one line of plain text")
    return value.strip()


def whole_option(source: Source, key: str, default: int, low: int, high: int) -> int:
    value = source.options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScrapeError(f"source {source.id}: option {key!r} must be a whole number from {low} to {high}")
    return value


def text_list_option(source: Source, key: str) -> tuple[str, ...]:
    """A text or a list of texts, each stripped; empty ones dropped."""
    value = source.options.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ScrapeError(f"source {source.id}: option {key!r} must be a text or a list of texts")
    return tuple(v.strip() for v in value if v.strip())


def list_option(source: Source, key: str, default: tuple[str, ...]) -> tuple[Any, ...]:
    """A list (one text or number stands for a list of one); its items are checked by the caller."""
    value = source.options.get(key, default)
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ScrapeError(f"source {source.id}: option {key!r} must be a list")
    return tuple(value)


def http_parts(url: Any) -> SplitResult | None:
    """The parts of an http(s) URL with a host, or None when it is none (or not a text)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts


def site_root(url: Any) -> str:
    """`scheme://host` of an http(s) URL, or "" when it is none."""
    parts = http_parts(url)
    return f"{parts.scheme.lower()}://{parts.netloc}" if parts else ""


def split_query(url: str, paging: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """`url` without its query, and the query's own keys but the `paging` ones the kind sets
    itself (a user may write `?apiKey=...` in a source's address)."""
    parts = urlsplit(url)
    fixed = {k: v for k, v in parse_qsl(parts.query) if k not in paging}
    return urlunsplit(parts._replace(query="")), fixed
