"""Read a sources file (docs/SOURCES.md) into `Source`s, with errors that name file and line.

Every way a file can be bad (not TOML, a value nested 100,000 deep, an address Python cannot
even split) is a `SourcesFileError` with the file and line: never a traceback, and never a
window that does not start.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop.paths import resource_path, user_sources_path
from scrapers.kinds import KIND_NAMES
from scrapers.model import CATEGORIES, ScrapeError, Source
from scrapers.options import user_agent_option

MAX_SOURCES = 500
MAX_NESTING = 100  # brackets; only for saying where a too-deep value is
_COMMON_KEYS = {"id", "name", "kind", "url", "jurisdiction", "category", "enabled", "organisation"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourcesFileError(Exception):
    """A sources file the app cannot use; the message names the file and, where known, the line."""


def default_sources_path() -> Path:
    """The user's own file when there is one, else the bundled defaults."""
    user = user_sources_path()
    return user if user.exists() else resource_path("sources.toml")


def load_sources(path: Path | None = None) -> list[Source]:
    path = path or default_sources_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"{path}: cannot read it ({exc})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message already says "(at line N, column M)"
        raise SourcesFileError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise SourcesFileError(
            f"{path}, line {_too_deep_line(text)}: values nested more than {MAX_NESTING} deep: "
            "not a sources file"
        ) from None
    entries = document.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(f"{path}: no [[source]] entries")
    if len(entries) > MAX_SOURCES:
        raise SourcesFileError(f"{path}: {len(entries)} sources; at most {MAX_SOURCES} are allowed")
    sources = [_source(entry, path, _line_of(text, index)) for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise SourcesFileError(f"{path}: the id {source.id!r} is used twice")
        seen.add(source.id)
    return sources


def source_row(source: Source) -> dict[str, object]:
    """The store's row of a configured source (`Store.sync_sources`): the one mapping the
    refresh, the window and the benchmarks use, so a new field is added in one place."""
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "jurisdiction": source.jurisdiction,
        "category": source.category,
        "enabled": source.enabled,
        "config": source.options,
    }


def _source(entry: Any, path: Path, line: int) -> Source:
    where = f"{path}, line {line}"
    if not isinstance(entry, dict):
        raise SourcesFileError(f"{where}: a [[source]] must be a table")
    for key in ("id", "name", "kind", "url"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise SourcesFileError(f"{where}: the source needs a text value for {key!r}")
    source_id = entry["id"]
    if not _ID_RE.match(source_id):
        raise SourcesFileError(f"{where}: id {source_id!r} must be lowercase letters, digits, '-' or '_'")
    if entry["kind"] not in KIND_NAMES:
        raise SourcesFileError(
            f"{where}: source {source_id!r} has unknown kind {entry['kind']!r} "
            f"(known kinds: {', '.join(KIND_NAMES)})"
        )
    url = entry["url"]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks the port: "host:99999" raises here)
    except ValueError as exc:  # "http://[::1:8801/x": Invalid IPv6 URL
        raise SourcesFileError(
            f"{where}: source {source_id!r} url is not a valid address ({exc}): {url!r}"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourcesFileError(f"{where}: source {source_id!r} url must be http or https: {url!r}")
    category = entry.get("category", "other")
    if category not in CATEGORIES:
        raise SourcesFileError(
            f"{where}: source {source_id!r} category {category!r} is not one of {', '.join(CATEGORIES)}"
        )
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourcesFileError(f"{where}: source {source_id!r} enabled must be true or false")
    options = {key: value for key, value in entry.items() if key not in _COMMON_KEYS}
    if entry["kind"] == "html_list":
        _check_selectors(options.get("selectors"), source_id, where)
    source = Source(
        id=source_id,
        name=entry["name"].strip(),
        kind=entry["kind"],
        url=url,
        jurisdiction=str(entry.get("jurisdiction", "")),
        category=category,
        enabled=enabled,
        organisation=str(entry.get("organisation", "")),
        options=options,
    )
    try:
        user_agent_option(source)
    except ScrapeError as exc:
        raise SourcesFileError(f"{where}: {exc}") from None
    return source


def _check_selectors(selectors: Any, source_id: str, where: str) -> None:
    if not isinstance(selectors, dict):
        raise SourcesFileError(f"{where}: html_list source {source_id!r} needs a [source.selectors] table")
    for key in ("item", "link"):  # a missing title selector means the link's own text
        value = selectors.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > 500:
            raise SourcesFileError(
                f"{where}: html_list source {source_id!r} needs a CSS selector for {key!r}"
            )


def _too_deep_line(text: str) -> int:
    """The line where brackets first nest past MAX_NESTING (strings and comments aside: enough
    to point at a hostile `[[[[...` value; a real sources file nests two or three deep)."""
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return line


def _line_of(text: str, index: int) -> int:
    """Line of the index-th `[[source]]` header: tomllib keeps no positions for valid files."""
    count = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("[[source]]"):
            count += 1
            if count == index:
                return number
    return 0


def enabled_source_names(path: Path | None = None) -> list[str]:
    """The names of the sources a refresh would fetch, for the window's first-run page; none when
    the file cannot be read (the window says why elsewhere, when it syncs the sources)."""
    try:
        return [s.name for s in load_sources(path) if s.enabled]
    except (SourcesFileError, OSError):
        return []
