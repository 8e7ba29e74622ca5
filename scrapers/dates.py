"""Turn the many date spellings of EU and UK sites into ISO 8601 strings in UTC.

A date outside YEAR_MIN..YEAR_MAX is refused (None, and a log line says why): no announcement,
deadline or call is dated before 1900 or after 2200, and such a year is a typo or an attack.
Before, year 0000 silently became 2000-01-01 (two-digit-year guessing), 99999 became
9999-12-01, and year 9999 overflowed the window's local-time display (docs/TRUST.md).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

logger = logging.getLogger(__name__)

YEAR_MIN = 1900
YEAR_MAX = 2200

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
_WRITTEN_YEAR = re.compile(r"(?<!\d)\d{4,}(?!\d)")


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
        written = {int(digits) for digits in _WRITTEN_YEAR.findall(raw)}
        try:  # European sites write day before month
            parsed = dateutil_parser.parse(raw, dayfirst=True, fuzzy=True, default=_midnight())
        except (ValueError, OverflowError):
            wrong = sorted(year for year in written if not YEAR_MIN <= year <= YEAR_MAX)
            return _refused(text, f"the year {wrong[0]} is outside {YEAR_MIN}–{YEAR_MAX}") if wrong else None
        if written and parsed.year not in written:  # "0000" read as a two-digit year: 2000
            return _refused(text, f"the year written ({min(written)}) is not {parsed.year}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone_name))
    try:  # "0001-01-01T00:00+01:00" is before year 1 in UTC
        return utc_iso(parsed.astimezone(UTC), text)
    except (OverflowError, ValueError):
        return _refused(text, "it is outside the years a date can have")


def utc_iso(stamp: datetime, given: object) -> str | None:
    """`stamp` (in UTC) as `YYYY-MM-DDTHH:MM:SSZ`, or None, logged with `given`, when its year
    is outside YEAR_MIN..YEAR_MAX."""
    if not YEAR_MIN <= stamp.year <= YEAR_MAX:
        return _refused(given, f"the year {stamp.year} is outside {YEAR_MIN}–{YEAR_MAX}")
    return _iso_z(stamp)


def _refused(given: object, reason: str) -> str | None:
    """A refused date's value (None), after logging why."""
    logger.warning("date %.120r refused: %s", given, reason)
    return None


def from_epoch_ms(value: str | int | float | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        stamp = datetime.fromtimestamp(float(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return _refused(value, "it is no time stamp a date can have")
    return utc_iso(stamp, value)


def _iso_z(stamp: datetime) -> str:
    # Not strftime("%Y"): glibc writes year 999 as "999", which is no ISO 8601 date.
    return stamp.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _midnight() -> datetime:
    return datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
