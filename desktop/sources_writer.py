"""Write the user's sources file (the format in README.md, "Sources") after the Sources dialog changed it.

The file is written to a temporary neighbour, read back with `load_sources` (so the app never
saves a file it would refuse), kept as `.bak` when one existed, then moved into place.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from db.atomic_file import replace_with, temporary_beside
from desktop.sources_file import load_sources
from scrapers.model import Source

logger = logging.getLogger(__name__)

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
HEADER = (
    "# Policy Tracker: your sources (written by the Sources dialog).\n"
    "# Format: see resources/sources.toml in the application. Each [[source]] has id, name, kind,\n"
    "# url, jurisdiction, optional category and enabled, and the keys of its kind.\n"
)


def write_sources(path: Path, sources: Sequence[Source]) -> None:
    """Replace `path` with `sources`; raises SourcesFileError (file untouched) if they are bad."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = sources_toml(sources)
    with temporary_beside(path, suffix=".toml") as temporary:
        temporary.write_text(text, encoding="utf-8")
        load_sources(temporary)
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            backup.write_bytes(path.read_bytes())
        replace_with(temporary, path)
    logger.info("wrote %d sources to %s", len(sources), path)


def sources_toml(sources: Sequence[Source]) -> str:
    blocks = [HEADER]
    for source in sources:
        lines = ["[[source]]"]
        common: dict[str, Any] = {
            "id": source.id,
            "name": source.name,
            "kind": source.kind,
            "url": source.url,
            "jurisdiction": source.jurisdiction,
            "category": source.category,
            "enabled": source.enabled,
        }
        if source.organisation:
            common["organisation"] = source.organisation
        tables: list[tuple[str, dict[str, Any]]] = []
        for key, value in {**common, **source.options}.items():
            if isinstance(value, dict):
                tables.append((key, value))
            else:
                lines.append(f"{_key(key)} = {_value(value)}")
        for key, table in tables:
            lines.append(f"\n[source.{_key(key)}]")
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items())
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"cannot write {type(value).__name__} to a sources file")


def apply_changes(
    before: Sequence[Source], after: Sequence[Source], on_disk: Sequence[Source]
) -> list[Source]:
    """`on_disk` with the changes that turned `before` into `after` (the Sources dialog's edits):
    sources removed, edited or added there; every other source as the file has it now, so a
    hand edit made while the dialog was open is kept. A source the dialog added whose id the
    file has meanwhile taken gets a fresh id."""
    was = {s.id: s for s in before}
    now = {s.id: s for s in after}
    merged = [
        now[s.id] if s.id in was and s.id in now and now[s.id] != was[s.id] else s
        for s in on_disk
        if s.id in now or s.id not in was
    ]
    taken = {s.id for s in merged}
    for source in after:
        if source.id not in was:
            fresh = source if source.id not in taken else replace(source, id=unique_id(source.name, taken))
            merged.append(fresh)
            taken.add(fresh.id)
    return merged


def unique_id(name: str, taken: set[str]) -> str:
    """A slug for a new source's id ("EU AI Office news" → "eu-ai-office-news")."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48] or "source"
    if not slug[0].isalnum():
        slug = "s" + slug
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate
