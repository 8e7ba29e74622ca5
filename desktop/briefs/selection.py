"""Which records go into a brief: a filter like the tracker's, or a list of record ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.store import Query, Store


@dataclass(frozen=True)
class Selection:
    """A tag, a publication-date range (whole days, inclusive), a search, a status, a category;
    or, when `record_ids` is given, exactly those records in that order."""

    tag: str | None = None
    since: date | None = None
    until: date | None = None
    search: str = ""
    status: str | None = None
    category: str | None = None
    record_ids: tuple[int, ...] = ()

    def query(self) -> Query:
        return Query(
            search=self.search,
            tag=self.tag,
            status=self.status,
            category=self.category,
            date_from=self.since,
            date_to=self.until,
            sort="published",
            descending=True,
        )


class UnknownRecords(LookupError):
    """Some asked-for record ids are not in the store."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(f"no record with id {', '.join(map(str, ids))}")
        self.ids = ids


def select_records(store: Store, selection: Selection) -> list[dict[str, Any]]:
    if not selection.record_ids:
        return store.full_rows(selection.query())
    found = [store.record(i) for i in selection.record_ids]
    missing = [i for i, row in zip(selection.record_ids, found, strict=True) if row is None]
    if missing:
        raise UnknownRecords(missing)
    return [row for row in found if row is not None]


def period_text(since: date | None, until: date | None) -> str:
    """The date range as the brief's subtitle: "Published 1 Jan 2027 – 31 Jan 2027"."""

    def day(value: date) -> str:
        return f"{value.day} {value:%b %Y}"

    if since and until:
        return f"Published {day(since)} – {day(until)}"
    if since:
        return f"Published since {day(since)}"
    if until:
        return f"Published until {day(until)}"
    return ""
