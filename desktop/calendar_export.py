"""Deadlines as an iCalendar file that calendar programs update instead of duplicating.

One VEVENT per deadline, and per stage of a two-stage call (the other stages are those the EU
portal's reader writes into the summary, docs/EU_SOURCES.md). What makes Outlook, Google and
Apple calendars replace an event they already hold (RFC 5545):

- UID: the same for the same record and stage in every export, from the record's canonical
  link (never its row id, which another store gives differently) and the stage's number;
- SEQUENCE: how many times a refresh has moved that record's deadlines, counted from its
  versions, so re-exporting without a change gives the same number and a moved deadline a
  higher one; LAST-MODIFIED (and DTSTAMP): when the latest such move was seen, so the same
  store exports the same bytes.

Times are written in the zone the call is set in: an EU call at 17:00 Europe/Brussels, a UK
one in Europe/London (with their VTIMEZONE), anything else in UTC. No Qt: the command line and
the window's File > Export calendar call `write_calendar`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from db.atomic_file import write_atomically
from db.csv_io import check_export_target
from db.safe_text import shown
from db.store import Query, Store
from desktop.formatting import money, parse_iso

logger = logging.getLogger(__name__)

DEFAULT_ALARM_DAYS = (14, 3)
PRODID = "-//Policy Tracker//Deadlines//EN"
UID_DOMAIN = "policy-tracker"
ZONES = {"EU": "Europe/Brussels", "UK": "Europe/London", "GB": "Europe/London"}
# "Other stage deadline: 14 Sep 2027, 17:00 (Brussels time)", as scrapers/kinds/eu_funding.py words it.
_STAGES_NOTE = re.compile(r"Other stage deadlines?: (?P<dates>[^()]*?) \(Brussels time\)")
_STAGE_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}), (\d{2}):(\d{2})")
_MONTHS = {
    m: n
    for n, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
_BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class CalendarOptions:
    """Reminders, in days before each deadline (none: no VALARM)."""

    alarm_days: tuple[int, ...] = DEFAULT_ALARM_DAYS


def other_stages(summary: str | None) -> list[str]:
    """The other stages' deadlines named in a summary, as UTC timestamps like `deadline_at`."""
    found = []
    for note in _STAGES_NOTE.finditer(summary or ""):
        for day, month, year, hour, minute in _STAGE_DATE.findall(note.group("dates")):
            if month not in _MONTHS:
                continue
            try:
                local = datetime(
                    int(year), _MONTHS[month], int(day), int(hour), int(minute), tzinfo=_BRUSSELS
                )
            except ValueError:
                continue
            found.append(local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return found


def stages(deadline_at: str | None, summary: str | None) -> list[str]:
    """Every deadline of a record, in order: its own and the other stages' (one, for most)."""
    if not deadline_at:
        return []
    own = parse_iso(deadline_at)
    if own is None:
        return []
    moments = {own.astimezone(UTC)}
    for other in other_stages(summary):
        moment = parse_iso(other)
        if moment is not None:
            moments.add(moment)
    return [m.strftime("%Y-%m-%dT%H:%M:%SZ") for m in sorted(moments)]


def deadline_moves(versions: Sequence[Mapping[str, Any]]) -> tuple[int, str | None]:
    """(how many refreshes moved a record's deadlines, when the latest did), from its versions
    (`Store.versions`: newest first). A summary edit counts only when it moved a stage."""
    moves, latest = 0, None
    for version in versions:
        changes = {name: (old, new) for name, old, new in version["changes"]}
        moved = "deadline_at" in changes
        if "summary" in changes:
            old, new = changes["summary"]
            moved = moved or other_stages(old) != other_stages(new)
        if moved:
            moves += 1
            latest = latest or str(version["changed_at"])
    return moves, latest


def uid(url: str, stage: int | None) -> str:
    """The event's UID: stable per record (its canonical link) and stage."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    return f"{digest}-deadline{'' if stage is None else f'-stage{stage}'}@{UID_DOMAIN}"


def _moment(stamp: str | None) -> datetime:
    moment = parse_iso(stamp) if stamp else None
    return (moment or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)


def _description(record: Mapping[str, Any]) -> str:
    lines = []
    budget = money(record.get("budget_amount"), record.get("budget_currency"))
    if budget:
        lines.append(f"Budget: {budget}")
    if record.get("call_status"):
        lines.append(f"Call status: {shown(str(record['call_status']))}")
    if record.get("source_name"):
        lines.append(f"Source: {shown(str(record['source_name']))}")
    lines.append(shown(str(record["url"])))
    return "\n".join(lines)


def record_events(
    record: Mapping[str, Any], versions: Sequence[Mapping[str, Any]], options: CalendarOptions
) -> list[Event]:
    """The VEVENTs of one record: one per deadline (per stage of a multi-stage call)."""
    deadlines = stages(record.get("deadline_at"), record.get("summary"))
    if not deadlines:
        return []
    moves, moved_at = deadline_moves(versions)
    modified = _moment(moved_at or record.get("first_seen_at"))
    zone = ZoneInfo(ZONES.get(str(record.get("jurisdiction") or "").upper(), "UTC"))
    title = shown(str(record.get("title") or record["url"]), 300)
    events = []
    for number, deadline in enumerate(deadlines, start=1):
        staged = len(deadlines) > 1
        event = Event()
        event.add("uid", uid(str(record["url"]), number if staged else None))
        event.add("sequence", moves)
        event.add("dtstamp", modified)
        event.add("last-modified", modified)
        event.add("created", _moment(record.get("first_seen_at")))
        event.add("dtstart", _moment(deadline).astimezone(zone))
        event.add("transp", "TRANSPARENT")  # a deadline is a moment, not time the user is busy
        label = f"Deadline (stage {number} of {len(deadlines)})" if staged else "Deadline"
        event.add("summary", f"{label}: {title}")
        event.add("description", _description(record))
        event.add("url", str(record["url"]))
        for days in options.alarm_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-days))
            alarm.add("description", f"{label} in {days} day{'s' if days != 1 else ''}: {title}")
            event.add_component(alarm)
        events.append(event)
    return events


def build_calendar(
    records: Iterable[Mapping[str, Any]],
    versions: Mapping[int, Sequence[Mapping[str, Any]]],
    options: CalendarOptions = CalendarOptions(),
) -> Calendar:
    """A calendar of every deadline of `records` (dicts as `Store.full_rows` gives them), with
    `versions` by record id (`Store.versions`)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Policy Tracker deadlines")
    starts = []
    for record in records:
        for event in record_events(record, versions.get(int(record["id"]), ()), options):
            calendar.add_component(event)
            starts.append(event.DTSTART.date())
    if starts:
        # Each zone's rules only for the years the deadlines fall in: a short file, right then.
        first, last = min(starts), max(starts)
        calendar.add_missing_timezones(date(first.year - 1, 1, 1), date(last.year + 2, 1, 1))
        _one_date_per_rdate(calendar)
        # Zones are added in no set order: sorted, the same store exports the same bytes.
        zones = sorted(calendar.walk("VTIMEZONE"), key=lambda zone: str(zone["TZID"]))
        calendar.subcomponents = [*zones, *calendar.events]
    return calendar


def _one_date_per_rdate(calendar: Calendar) -> None:
    """Write each time-zone transition as an RDATE line of its own. icalendar lists a zone's
    transitions in one RDATE, which RFC 5545 allows but some readers take only the first date
    of (vobject does, and then puts every summer after it in winter time)."""
    for zone in calendar.walk("VTIMEZONE"):
        for observance in zone.subcomponents:
            listed = observance.pop("RDATE", None)
            for rdates in listed if isinstance(listed, list) else [listed] if listed else []:
                for moment in rdates.dts:
                    observance.add("rdate", moment.dt)


def write_calendar(store: Store, q: Query, target: Path, options: CalendarOptions = CalendarOptions()) -> int:
    """Write the deadlines of the records `q` selects to `target` (atomically: a failed write
    leaves a file already there as it was); returns the number of events. Refuses (StoreError,
    nothing written) a target that is the store or another SQLite database."""
    check_export_target(target, store.path, "calendar file")
    records = [r for r in store.full_rows(q) if r.get("deadline_at")]
    versions = {int(r["id"]): store.versions(int(r["id"])) for r in records}
    calendar = build_calendar(records, versions, options)
    data = calendar.to_ical()

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    write_atomically(target, write)
    return len(calendar.events)
