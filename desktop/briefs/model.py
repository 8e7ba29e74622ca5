"""A brief as data: sections of groups of entries, every value formatted and cleaned once.

The writers (DOCX, HTML, Markdown, PDF) only lay out what is here, so that a deadline, a budget
or a note reads the same in every format and exactly as the window shows it (desktop/formatting).
Text from sites and from the user is cleaned of characters no document format may carry
(control characters, lone surrogates); escaping for each format is the writer's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktop.formatting import (
    CATEGORY_LABELS,
    category_label,
    date_time,
    days_left,
    days_left_phrase,
    money,
    parse_iso,
    short_date,
)

GROUPINGS = ("jurisdiction", "tag", "deadline")
FORMATS = ("docx", "pdf", "html", "md")

# Not allowed in XML 1.0 (hence not in DOCX) and meaningless in a document: C0 controls but
# tab and newline, DEL and C1 controls, lone surrogates, the two non-characters U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WEB_ADDRESS = re.compile(r"(?i)^https?://[^\s/?#]+")


def clean(text: object) -> str:
    """Text as a document may carry it: unprintable characters dropped, CR LF made LF."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", value).strip()


def one_line(text: object) -> str:
    """Cleaned text on one line: a title or a heading never breaks a document's structure."""
    return " ".join(clean(text).split())


def web_address(url: object) -> str | None:
    """An http(s) address fit for a link, else None (no `javascript:`, `file:`, `data:`)."""
    text = clean(url)
    return text if _WEB_ADDRESS.match(text) and not any(c.isspace() for c in text) else None


@dataclass(frozen=True)
class BriefOptions:
    """What the user chose: the words around the records and what each record shows."""

    heading: str = "Policy brief"
    intro: str = ""
    period: str = ""  # "Published 1 Jan 2027 – 31 Jan 2027", shown under the heading
    group_by: str = "jurisdiction"
    section_order: tuple[str, ...] = ()  # these section titles first, in this order
    notes: bool = True
    summaries: bool = True
    links: bool = True


@dataclass(frozen=True)
class Entry:
    """One record: its title, an optional link, labelled facts ("Deadline", "…"), note, summary."""

    title: str
    link: str | None
    facts: tuple[tuple[str, str], ...]
    note: str
    summary: str


@dataclass(frozen=True)
class Group:
    title: str  # "" when the section is not split (tag and deadline groupings)
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Section:
    title: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Brief:
    heading: str
    period: str
    intro: str
    generated: str  # "Prepared 3 Feb 2027 from Policy Tracker, 12 records"
    sections: tuple[Section, ...] = field(default_factory=tuple)
    record_count: int = 0


def build_brief(
    records: Sequence[Mapping[str, Any]], options: BriefOptions, *, now: datetime | None = None
) -> Brief:
    """The brief of `records` (dicts as `Store.record` returns them), grouped as `options` say."""
    if options.group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}, not {options.group_by!r}")
    moment = now or datetime.now(UTC)
    grouper = {"jurisdiction": _by_jurisdiction, "tag": _by_tag, "deadline": _by_deadline}[options.group_by]
    sections = _ordered(grouper(records, options, moment), options.section_order)
    count = len(records)
    generated = f"Prepared {short_date(moment.isoformat())} from Policy Tracker, {_records(count)}"
    return Brief(
        heading=one_line(options.heading) or "Policy brief",
        period=one_line(options.period),
        intro=clean(options.intro),
        generated=generated,
        sections=tuple(sections),
        record_count=count,
    )


def _records(count: int) -> str:
    return "1 record" if count == 1 else f"{count:,} records"


def entry(record: Mapping[str, Any], options: BriefOptions, now: datetime) -> Entry:
    facts: list[tuple[str, str]] = []
    names = record.get("source_names") or [record.get("source_name") or record.get("source_id")]
    source = ", ".join(one_line(n) for n in names if n)
    if source:
        facts.append(("Source", source))
    published = short_date(record.get("published_at"))
    if published:
        facts.append(("Published", published))
    deadline = date_time(record.get("deadline_at"))
    if deadline:
        phrase = days_left_phrase(days_left(record.get("deadline_at"), now=now))
        facts.append(("Deadline", f"{deadline} ({phrase})" if phrase else deadline))
    budget = money(_number(record.get("budget_amount")), clean(record.get("budget_currency")))
    if budget:
        facts.append(("Budget", budget))
    return Entry(
        title=one_line(record.get("title")) or "(untitled)",
        link=web_address(record.get("url")) if options.links else None,
        facts=tuple(facts),
        note=clean(record.get("note")) if options.notes else "",
        summary=clean(record.get("summary")) if options.summaries else "",
    )


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _by_jurisdiction(
    records: Iterable[Mapping[str, Any]], options: BriefOptions, now: datetime
) -> list[Section]:
    """Jurisdiction (alphabetical), then category in the window's order, newest first inside."""
    tree: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for record in records:
        where = one_line(record.get("jurisdiction")) or "Other"
        tree.setdefault(where, {}).setdefault(one_line(record.get("category")), []).append(record)
    rank = {name: i for i, name in enumerate(CATEGORY_LABELS)}
    sections = []
    for where in sorted(tree, key=lambda w: (w == "Other", w.casefold())):
        categories = sorted(tree[where], key=lambda c: (rank.get(c, len(rank)), c))
        groups = tuple(
            Group(category_label(c) or "Other", _entries(_newest(tree[where][c]), options, now))
            for c in categories
        )
        sections.append(Section(where, groups))
    return sections


def _by_tag(records: Iterable[Mapping[str, Any]], options: BriefOptions, now: datetime) -> list[Section]:
    """One section per tag (a record with two tags is in both), untagged records last."""
    tagged: dict[str, list[Mapping[str, Any]]] = {}
    untagged: list[Mapping[str, Any]] = []
    for record in records:
        tags = [one_line(t) for t in record.get("tags") or [] if one_line(t)]
        for tag in tags:
            tagged.setdefault(tag, []).append(record)
        if not tags:
            untagged.append(record)
    sections = [
        Section(tag, (Group("", _entries(_newest(tagged[tag]), options, now)),))
        for tag in sorted(tagged, key=lambda t: (t.casefold(), t))
    ]
    if untagged:
        sections.append(Section("Untagged", (Group("", _entries(_newest(untagged), options, now)),)))
    return sections


_DEADLINE_BUCKETS = (
    ("Closes within 7 days", 0, 7),
    ("Closes within 30 days", 8, 30),
    ("Closes later", 31, None),
    ("Closed", None, -1),
)


def _by_deadline(records: Iterable[Mapping[str, Any]], options: BriefOptions, now: datetime) -> list[Section]:
    """The most urgent first (by days left in the user's own time zone), then closed, then none."""
    buckets: dict[str, list[tuple[datetime, Mapping[str, Any]]]] = {b[0]: [] for b in _DEADLINE_BUCKETS}
    undated: list[Mapping[str, Any]] = []
    for record in records:
        moment = parse_iso(record.get("deadline_at"))
        days = days_left(record.get("deadline_at"), now=now)
        if moment is None or days is None:
            undated.append(record)
            continue
        for title, low, high in _DEADLINE_BUCKETS:
            if (low is None or days >= low) and (high is None or days <= high):
                buckets[title].append((moment, record))
                break
    sections = []
    for title, _low, _high in _DEADLINE_BUCKETS:
        items = sorted(buckets[title], key=lambda pair: pair[0], reverse=title == "Closed")
        if items:
            sections.append(Section(title, (Group("", _entries([r for _m, r in items], options, now)),)))
    if undated:
        sections.append(Section("No deadline", (Group("", _entries(_newest(undated), options, now)),)))
    return sections


def _newest(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Newest publication first; undated last; ties by title, so a brief is reproducible."""
    by_title = sorted(records, key=lambda r: (clean(r.get("title")).casefold(), r.get("id") or 0))
    undated = datetime.min.replace(tzinfo=UTC)
    return sorted(by_title, key=lambda r: parse_iso(r.get("published_at")) or undated, reverse=True)


def _entries(records: Iterable[Mapping[str, Any]], options: BriefOptions, now: datetime) -> tuple[Entry, ...]:
    return tuple(entry(r, options, now) for r in records)


def _ordered(sections: list[Section], order: Sequence[str]) -> list[Section]:
    """Sections named in `order` first (case-insensitive), in that order; the rest as they were."""
    wanted = {name.casefold(): i for i, name in enumerate(order)}
    return sorted(sections, key=lambda s: wanted.get(s.title.casefold(), len(wanted)))
