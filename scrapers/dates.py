"""Turn the many date spellings of EU and UK sites into ISO 8601 strings in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

# Sites name a zone in words; these are the ones our sources use.
_ZONE_WORDS = {
    "uk time": "Europe/London",
    "london time": "Europe/London",
    "brussels time": "Europe/Brussels",
    "cet": "Europe/Brussels",
    "cest": "Europe/Brussels",
    "bst": "Europe/London",
    "gmt": "UTC",
    "utc": "UTC",
}
_ZONE_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _ZONE_WORDS) + r")\b", re.I)
_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
# What a date written in words or digits has: a month name, or day/month/year in digits. Fuzzy
# parsing alone reads any number as a date ("Horizon 2020", "3 min read", "Article 5").
_DATE_SHAPE = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
    r"|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}",
    re.I,
)


def to_utc_iso(text: str | None, default_zone: str = "UTC") -> str | None:
    """Parse `text` and return it in UTC as `YYYY-MM-DDTHH:MM:SSZ`; None when it is no date.

    A date without a zone is read in `default_zone` (a UK closing date is UK time). A date
    with no time keeps midnight of that day in that zone.
    """
    if not text or not text.strip():
        return None
    raw = " ".join(text.split())
    zone_name = default_zone
    match = _ZONE_RE.search(raw)
    if match:
        zone_name = _ZONE_WORDS[match.group(1).lower()]
        raw = (raw[: match.start()] + raw[match.end() :]).strip(" ,()")
    raw = _COMPACT_OFFSET.sub(r"\1:\2", raw)
    try:
        parsed = dateutil_parser.isoparse(raw)
    except (ValueError, OverflowError):
        if not _DATE_SHAPE.search(raw):
            return None
        try:  # European sites write day before month
            parsed = dateutil_parser.parse(raw, dayfirst=True, fuzzy=True, default=_midnight())
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone_name))
    try:  # "0001-01-01T00:00+01:00" is before year 1 in UTC
        return _iso_z(parsed.astimezone(UTC))
    except (OverflowError, ValueError):
        return None


def from_epoch_ms(value: str | int | float | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        stamp = datetime.fromtimestamp(float(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return _iso_z(stamp)


def _iso_z(stamp: datetime) -> str:
    # Not strftime("%Y"): glibc writes year 999 as "999", which is no ISO 8601 date.
    return stamp.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _midnight() -> datetime:
    return datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
