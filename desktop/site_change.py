"""The "site changed?" alarm: a source's shape now against its last good refreshes (pure).

A site that changes its pages rarely makes a parser fail: the page still parses, only into
nothing (a selector that matches no entry) or into entries that lost a field (the deadline
moved to another element). Such a refresh looks like a success, and the user would simply stop
seeing new calls. So every refresh's shape (how many items, how many of them with a date, a
deadline, a budget, a summary or body) is compared with the last good ones, and a collapse is
said in plain words (docs/ARCHITECTURE.md, "The site-changed alarm").

The thresholds are set so that the natural wobble of a small source never raises the alarm: an
item count or a field has to fall below a third of its smallest recent value, *and* by at least
`MIN_SHORTFALL` items, and a field is only watched when every recent refresh had it on at least
half of its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from db.safe_text import shown
from db.store import Store
from scrapers.model import Announcement, Source

KEEP_PROFILES = 5  # good refreshes remembered per source
COLLAPSE_FRACTION = 1 / 3  # below a third of the smallest recent value is a collapse
MIN_SHORTFALL = 3  # ... and by at least this many items, so 3 → 1 on a small feed is no alarm
WATCHED_SHARE = 0.5  # a field is watched when every recent refresh had it on half the items

# The fields watched: (profile key, what an item has when it has it).
FIELDS = (
    ("dated", "a date"),
    ("with_deadline", "a deadline"),
    ("with_budget", "a budget"),
    ("with_text", "a summary or body"),
)
# html_list sources say which of their selectors reads each field.
_SELECTOR_OF = {"dated": "date", "with_text": "summary"}
_CALL_KINDS = ("eu_funding", "ukri_opportunities")


@dataclass(frozen=True)
class Profile:
    """The shape of one refresh's listing: how many items, and how many had each field."""

    items: int
    dated: int
    with_deadline: int
    with_budget: int
    with_text: int

    def as_row(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Profile:
        return cls(**{name: int(row[name]) for name in cls.__dataclass_fields__})


def profile_of(announcements: Iterable[Announcement]) -> Profile:
    """The shape of a parsed listing (before any detail page filled it in, so that the shape
    does not depend on how many items were new this time)."""
    items = list(announcements)
    return Profile(
        items=len(items),
        dated=sum(1 for a in items if a.published_at or a.updated_at),
        with_deadline=sum(1 for a in items if a.deadline_at),
        with_budget=sum(1 for a in items if a.budget_amount is not None),
        with_text=sum(1 for a in items if _has_text(a.summary) or _has_text(a.body)),
    )


def _has_text(value: str | None) -> bool:
    return bool(value and value.strip())


def what_changed(now: Profile, recent: Sequence[Profile], source: Source) -> list[str]:
    """What collapsed in `now` against the `recent` good refreshes, one plain sentence each;
    empty when the shape is as usual (or there is nothing yet to compare with)."""
    if not recent:
        return []
    noun = "calls" if source.kind in _CALL_KINDS else "items"
    counts = [p.items for p in recent]
    usual = min(counts)
    if _collapsed(now.items, usual):
        reason = f"{now.items} {noun} where {_the_last(recent)} had {_span(counts)}"
        if source.kind == "html_list":
            reason += f"; {_selectors_matching_nothing(source)}"
        return [reason]
    reasons = []
    for key, field in FIELDS:
        shares = [getattr(p, key) / p.items for p in recent if p.items]
        if not shares or min(shares) < WATCHED_SHARE:
            continue  # not a field this source reliably gives
        having = getattr(now, key)
        if now.items and _collapsed(having, min(shares) * now.items):
            missing = now.items - having
            selector = _selector_note(source, key)
            reasons.append(
                f"{field.split(' ', 1)[1]} missing on {missing} of {now.items} {noun}{selector}; "
                f"{_the_last(recent)} had one on {_share_span(shares)}"
            )
    return reasons


def check(store: Store, source: Source, announcements: Iterable[Announcement]) -> list[str]:
    """The refresh pipeline's hook: judge a parsed listing against the source's profile, and
    store the verdict (a good shape joins the profile and clears the mark). Returns the reasons
    the source is marked "site changed?", empty when it looks as usual."""
    now = profile_of(announcements)
    recent = [Profile.from_row(row) for row in store.recent_profiles(source.id)]
    reasons = what_changed(now, recent, source)
    store.record_verdict(source.id, now.as_row(), reasons, KEEP_PROFILES)
    return reasons


def _collapsed(value: float, usual: float) -> bool:
    return value < usual * COLLAPSE_FRACTION and usual - value >= MIN_SHORTFALL


def _the_last(recent: Sequence[Profile]) -> str:
    return "the last refresh" if len(recent) == 1 else f"the last {len(recent)} refreshes"


def _span(values: Sequence[int]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}–{high}"


def _share_span(shares: Sequence[float]) -> str:
    if min(shares) == 1:
        return "all"
    low, high = round(min(shares) * 100), round(max(shares) * 100)
    return f"{low} %" if low == high else f"{low}–{high} %"


def _selectors(source: Source) -> Mapping[str, Any]:
    raw = source.options.get("selectors")
    return raw if isinstance(raw, Mapping) else {}


def _selectors_matching_nothing(source: Source) -> str:
    selectors = _selectors(source)
    item, link = shown(selectors.get("item", ""), 120), shown(selectors.get("link", ""), 120)
    return f"the selectors item “{item}” and link “{link}” match no entry on the page"


def _selector_note(source: Source, key: str) -> str:
    """For an html_list source, the selector that reads the field, which is what to fix."""
    name = _SELECTOR_OF.get(key)
    value = _selectors(source).get(name) if name and source.kind == "html_list" else None
    return f" (selector {name} “{shown(value, 120)}”)" if value else ""
