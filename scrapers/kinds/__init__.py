"""The kinds of source and the one way to look one up.

Each kind is a module with:
- `parse(payload: bytes, source: Source, *, base_url: str, encoding: str | None = None)
  -> list[Announcement]`: pure, raises ParseError on a payload it cannot read;
- `fetch(client: HttpClient, source: Source, validators: Validators) -> Listing`: the I/O;
- optionally `fetch_detail(client: HttpClient, source: Source, item: Announcement)
  -> Announcement`: the item enriched from its detail page (full text, dates, budget).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from scrapers.model import ScrapeError, Source

KIND_NAMES = ("feed", "govuk_search", "eu_funding", "presscorner", "ukri_opportunities", "html_list")


def get_kind(name: str) -> ModuleType:
    if name not in KIND_NAMES:
        raise ScrapeError(f"unknown kind {name!r} (known kinds: {', '.join(KIND_NAMES)})")
    return importlib.import_module(f"scrapers.kinds.{name}")


def has_details(kind: ModuleType) -> bool:
    return hasattr(kind, "fetch_detail")


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
