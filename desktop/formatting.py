"""How dates, deadlines, money and changes read in the window (pure functions, no Qt).

None of these raises on what a store holds: a date the local time zone cannot represent
(`9999-12-31T23:30:00+00:00` east of UTC overflows the year) is shown as given, in its own
offset, instead of converted; a showing that raised once left the note editor bound to the
previous record (docs/TRUST.md, "Notes and the record they belong to").
"""

from __future__ import annotations

import functools
import html
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}

STATUS_LABELS = {"new": "New", "reviewing": "Reviewing", "done": "Done", "archived": "Archived"}
STATUSES = tuple(STATUS_LABELS)

CATEGORY_LABELS = {
    "funding": "Funding",
    "policy": "Policy",
    "consultation": "Consultation",
    "legislation": "Legislation",
    "press": "Press",
    "speech": "Speech",
    "other": "Other",
}

FIELD_LABELS = {
    "title": "title",
    "summary": "summary",
    "body": "text",
    "category": "category",
    "jurisdiction": "jurisdiction",
    "organisation": "organisation",
    "identifier": "identifier",
    "published_at": "published",
    "updated_at": "updated",
    "opens_at": "opening",
    "deadline_at": "deadline",
    "budget_amount": "budget",
    "budget_currency": "currency",
    "call_status": "call status",
}

_DATE_FIELDS = {"published_at", "updated_at", "opens_at", "deadline_at"}
_LONG_TEXT_FIELDS = {"summary", "body"}


# Where a record's dates are at home: a deadline set in Brussels is "17:00 Brussels" (and
# the user's own time beside it when that differs). docs/TRUST.md, "Times and time zones".
HOME_ZONES = {"EU": "Europe/Brussels", "UK": "Europe/London", "GB": "Europe/London"}
# A deadline closed longer ago than this leaves its days-left cell empty: "closed 1,325 d ago"
# is noise in a list; the detail pane still says it.
CLOSED_SHOWN_DAYS = 60


def home_zone(jurisdiction: str | None) -> tzinfo | None:
    """The time zone a record's own dates are given in, or None when unknown."""
    name = HOME_ZONES.get((jurisdiction or "").strip().upper())
    return _zone(name) if name else None


@functools.cache
def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # no time zone data: the user's zone only
        return None


def _zone_label(zone: tzinfo) -> str:
    """ "Brussels" for Europe/Brussels."""
    return str(getattr(zone, "key", "") or zone).rsplit("/", 1)[-1].replace("_", " ")


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 string from the store as an aware datetime, in UTC when it can be converted
    (a bare date is midnight UTC)."""
    if not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _converted(moment, UTC)


def _converted(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """`moment` in `zone` (None: the local time zone), or unchanged when that would leave the
    years datetime can hold (year 1 or 9999 near midnight)."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        return moment


def _midnight(moment: datetime) -> bool:
    return moment.hour == 0 and moment.minute == 0 and moment.second == 0


def _day_only(
    value: str | None, moment: datetime, jurisdiction: str | None, tz: tzinfo | None = None
) -> date | None:
    """The day of a value that has no time of day, else None.

    The scrapers store a date without a time as midnight of that day in the source's zone,
    in UTC ("18 Feb" from Brussels is 2027-02-17T23:00:00Z): shown as that day, never
    shifted across midnight into the user's zone. Without a known home zone, midnight UTC or
    midnight local is taken for a bare date as before.
    """
    if not value or "T" not in value:
        return moment.date()
    if _midnight(moment):
        return moment.date()
    home = home_zone(jurisdiction)
    if home is not None:
        at_home = _converted(moment, home)
        return at_home.date() if _midnight(at_home) else None
    local = _converted(moment, tz)
    return local.date() if _midnight(local) else None


def shows_time(value: str | None, jurisdiction: str | None = None, *, tz: tzinfo | None = None) -> bool:
    """Whether the window shows a time of day for this date (the source gave one)."""
    moment = parse_iso(value)
    return moment is not None and _day_only(value, moment, jurisdiction, tz) is None


def _day(value: str | None, jurisdiction: str | None, tz: tzinfo | None) -> date | None:
    """The calendar day the value falls on for the user in `tz` (None: the system's zone);
    a bare date is its own day everywhere."""
    moment = parse_iso(value)
    if moment is None:
        return None
    return _day_only(value, moment, jurisdiction, tz) or _converted(moment, tz).date()


def short_date(value: str | None, jurisdiction: str | None = None, *, tz: tzinfo | None = None) -> str:
    """ "3 Feb 2027" (the user's date; a bare date as given)."""
    day = _day(value, jurisdiction, tz)
    return f"{day.day} {day:%b %Y}" if day else ""


def long_date(value: str | None) -> str:
    """ "3 February 2027" (local date): how a citation gives the day."""
    day = _day(value, None, None)
    return f"{day.day} {day:%B %Y}" if day else ""


def date_time(value: str | None, jurisdiction: str | None = None, *, tz: tzinfo | None = None) -> str:
    """ "18 Feb 2027" for a bare date; with a time, in the record's home zone and the user's
    own beside it when that differs: "18 Feb 2027, 17:00 Brussels (11:00 your time)", or
    "18 Feb 2027, 17:00 Brussels" for a user on Brussels time. Without a home zone, the
    user's time and its zone's abbreviation: "18 Feb 2027, 16:00 UTC"."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    day = _day_only(value, moment, jurisdiction, tz)
    if day is not None:
        return f"{day.day} {day:%b %Y}"
    mine = _converted(moment, tz)
    home = home_zone(jurisdiction)
    if home is None:
        return f"{mine.day} {mine:%b %Y}, {mine:%H:%M} {mine.tzname() or ''}".rstrip()
    there = _converted(moment, home)
    text = f"{there.day} {there:%b %Y}, {there:%H:%M} {_zone_label(home)}"
    if there.utcoffset() == mine.utcoffset():
        return text
    own = f"{mine:%H:%M}" if mine.date() == there.date() else f"{mine:%H:%M} on {mine.day} {mine:%b}"
    return f"{text} ({own} your time)"


def days_left(
    deadline: str | None,
    jurisdiction: str | None = None,
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> int | None:
    """Whole days from the user's today to the deadline's day (0 today, negative once past)."""
    day = _day(deadline, jurisdiction, tz)
    if day is None:
        return None
    today = _converted(now or datetime.now(UTC), tz).date()
    return (day - today).days


def days_left_text(days: int | None) -> str:
    """The days-left cell: "12", "today", "closed 3 d ago"; empty once closed for longer than
    CLOSED_SHOWN_DAYS."""
    if days is None or days < -CLOSED_SHOWN_DAYS:
        return ""
    if days == 0:
        return "today"
    if days < 0:
        return f"closed {-days} d ago"
    return f"{days:,}"


def days_left_phrase(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "closes today"
    if days == 1:
        return "1 day left"
    if days > 1:
        return f"{days:,} days left"
    if days == -1:
        return "closed yesterday"
    return f"closed {-days:,} days ago"


def money(amount: float | int | None, currency: str | None) -> str:
    """ "€12,500,000", "£3,000,000", "1,000,000 CHF"; whole numbers without decimals."""
    if amount is None:
        return ""
    value = _number(amount)
    if value is None or value != value or abs(value) == float("inf"):  # text, NaN, infinity
        return " ".join(str(amount).split())[:80]  # shown as stored, not as an amount
    number = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{number}"
    return f"{number} {code}".strip()


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "new", (status or "").capitalize())


def category_label(category: str | None) -> str:
    return CATEGORY_LABELS.get(category or "", (category or "").capitalize())


def change_text(field: str, old: object, new: object, *, currency: str | None = None) -> str:
    """One change as a person reads it: "deadline 21 Jan → 18 Feb 2027"."""
    label = FIELD_LABELS.get(field, field.replace("_", " "))
    if field in _LONG_TEXT_FIELDS:
        return f"{label} edited"
    if field in _DATE_FIELDS:
        return f"{label} {_date_pair(_text(old), _text(new))}"
    if field == "budget_amount":
        return (
            f"{label} {_or_none(money(_number(old), currency))} → {_or_none(money(_number(new), currency))}"
        )
    return f"{label} {_or_none(_text(old))} → {_or_none(_text(new))}"


def _date_pair(old: str | None, new: str | None) -> str:
    """Drop the old date's year when both fall in the same year: "21 Jan → 18 Feb 2027"."""
    old_day, new_day = _day(old, None, None), _day(new, None, None)
    if old_day and new_day and old_day.year == new_day.year:
        return f"{old_day.day} {old_day:%b} → {short_date(new)}"
    return f"{_or_none(short_date(old))} → {_or_none(short_date(new))}"


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _or_none(text: str | None) -> str:
    return text if text else "none"


def relative_time(value: str | None, *, now: datetime | None = None) -> str:
    """ "today 08:12", "yesterday 17:40", "3 Feb 2027 09:00" for the last refresh."""
    moment = parse_iso(value)
    if moment is None:
        return "never"
    local = _converted(moment)
    today = _converted(now or datetime.now(UTC)).date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if (today - local.date()).days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows scraped text literally (Qt renders HTML-looking tooltips otherwise)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def first_line(text: str | None, limit: int = 120) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def records_text(count: int) -> str:
    """ "1 record", "2,500 records": how the window's messages count records."""
    return f"{count:,} record{'s' if count != 1 else ''}"


def short_count(value: int) -> str:
    """A count for a narrow column (the sidebar's): exact below 10,000, then thousands or
    millions rounded down, so it never says more than there are: 14,085 → "14k", 1,250,000 →
    "1.2M". Where it is shortened the exact number goes in the tooltip and the spoken name."""
    if value < 10_000:
        return f"{value:,}"
    if value < 1_000_000:
        return f"{value // 1_000}k"
    return f"{value // 100_000 / 10:g}M"
