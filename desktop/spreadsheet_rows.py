"""The columns of the spreadsheet exports (XLSX and the friendly CSV), headed in words.

Unlike the lossless CSV (db/csv_io.py), these are for reading: the title first, dates in the
user's own time zone as the window shows them (a 17:00 Brussels deadline is 16:00 in London),
labels instead of codes, the days left. Values stay typed (datetime, date, int, float, str) so
that each writer formats them as its format allows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from desktop.briefs.model import clean, one_line, web_address
from desktop.formatting import category_label, days_left, parse_iso, shows_time, status_label

Cell = str | int | float | date | datetime | None


def local_moment(value: str | None) -> date | datetime | None:
    """A stored date as the window shows it: a local datetime (no zone) when the source gave a
    time, else the local date."""
    moment = parse_iso(value)
    if moment is None:
        return None
    local = moment.astimezone()
    if shows_time(value):
        return local.replace(tzinfo=None)
    return local.date()


def _budget(row: Mapping[str, Any]) -> float | int | None:
    value = row.get("budget_amount")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return int(value) if float(value).is_integer() else float(value)


def columns(now: datetime | None = None) -> tuple[tuple[str, Callable[[Mapping[str, Any]], Cell]], ...]:
    """(header, value of a row) for every column, in order."""
    moment = now or datetime.now(UTC)
    return (
        ("Title", lambda r: one_line(r.get("title"))),
        ("Deadline", lambda r: local_moment(r.get("deadline_at"))),
        ("Days left", lambda r: days_left(r.get("deadline_at"), now=moment)),
        ("Budget", _budget),
        ("Currency", lambda r: one_line(r.get("budget_currency")).upper() if _budget(r) is not None else ""),
        ("Status", lambda r: status_label(r.get("status"))),
        ("Call status", lambda r: one_line(r.get("call_status")).capitalize()),
        ("Programme", lambda r: one_line(r.get("programme"))),
        ("Type of action", lambda r: one_line(r.get("action_type"))),
        ("Opens", lambda r: local_moment(r.get("opens_at"))),
        ("Note", lambda r: clean(r.get("note"))),
        ("Tags", lambda r: "; ".join(one_line(t) for t in r.get("tags") or [])),
        ("Category", lambda r: category_label(r.get("category"))),
        ("Jurisdiction", lambda r: one_line(r.get("jurisdiction"))),
        ("Source", lambda r: one_line(r.get("source_name") or r.get("source_id"))),
        ("Organisation", lambda r: one_line(r.get("organisation"))),
        ("Identifier", lambda r: one_line(r.get("identifier"))),
        ("Published", lambda r: local_moment(r.get("published_at"))),
        ("Starred", lambda r: "yes" if r.get("starred") else ""),
        ("Link", lambda r: web_address(r.get("url")) or ""),
        ("Summary", lambda r: clean(r.get("summary"))),
    )
