"""How dates, deadlines, money and changes read in the window (pure functions, no Qt).

None of these raises on what a store holds: a date the local time zone cannot represent
(`9999-12-31T23:30:00+00:00` east of UTC overflows the year) is shown as given, in its own
offset, instead of converted; a showing that raised once left the note editor bound to the
previous record (docs/TRUST.md, "Notes and the record they belong to").
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, tzinfo

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


def _has_time(value: str | None, moment: datetime) -> bool:
    """A date-only value ("2027-02-18" or midnight UTC) shows no time of day."""
    if not value or "T" not in value:
        return False
    local = _converted(moment)
    return not (moment.hour == 0 and moment.minute == 0) and not (local.hour == 0 and local.minute == 0)


def shows_time(value: str | None) -> bool:
    """Whether the window shows a time of day for this date (the source gave one)."""
    moment = parse_iso(value)
    return moment is not None and _has_time(value, moment)


def short_date(value: str | None) -> str:
    """ "3 Feb 2027" (local date)."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = _converted(moment)
    return f"{local.day} {local:%b %Y}"


def long_date(value: str | None) -> str:
    """ "3 February 2027" (local date): how a citation gives the day."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = _converted(moment)
    return f"{local.day} {local:%B %Y}"


def date_time(value: str | None) -> str:
    """ "18 Feb 2027, 17:00" when the source gave a time, else "18 Feb 2027" (local time)."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = _converted(moment)
    text = f"{local.day} {local:%b %Y}"
    if _has_time(value, moment):
        text += f", {local:%H:%M} {local.tzname() or ''}".rstrip()
    return text


def days_left(deadline: str | None, *, now: datetime | None = None) -> int | None:
    """Whole days from today to the deadline's day (0 today, negative once past)."""
    moment = parse_iso(deadline)
    if moment is None:
        return None
    today = _converted(now or datetime.now(UTC)).date()
    return (_converted(moment).date() - today).days


def days_left_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    return str(days)


def days_left_phrase(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "closes today"
    if days == 1:
        return "1 day left"
    if days > 1:
        return f"{days} days left"
    if days == -1:
        return "closed yesterday"
    return f"closed {-days} days ago"


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
    old_moment, new_moment = parse_iso(old), parse_iso(new)
    if old_moment and new_moment:
        old_local, new_local = _converted(old_moment), _converted(new_moment)
        if old_local.year == new_local.year:
            return f"{old_local.day} {old_local:%b} → {short_date(new)}"
        return f"{short_date(old)} → {short_date(new)}"
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
