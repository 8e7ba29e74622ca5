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

from scrapers.model import ScrapeError

KIND_NAMES = ("feed", "govuk_search", "eu_funding", "presscorner", "ukri_opportunities", "html_list")


def get_kind(name: str) -> ModuleType:
    if name not in KIND_NAMES:
        raise ScrapeError(f"unknown kind {name!r} (known kinds: {', '.join(KIND_NAMES)})")
    return importlib.import_module(f"scrapers.kinds.{name}")


def has_details(kind: ModuleType) -> bool:
    return hasattr(kind, "fetch_detail")
