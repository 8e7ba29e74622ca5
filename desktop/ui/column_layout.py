"""Which columns a view shows, in which order and how wide: the defaults and what is stored.

Pure data (no widget), so that the rules are tested without Qt: each sidebar choice (a view, a
watchlist, a source, a tag) has a layout of its own once the user changed one; until then it
shows the defaults of its kind (funding, policy or everything), named by sort key, so that a
column added to the registry later (`desktop/ui/tracker_model.py`, COLUMNS) finds its place.
The stored text is read defensively: a corrupt value, an unknown column or a silly width is
dropped, never a crash (docs/ARCHITECTURE.md, "Columns").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.ui.table_cells import MOVED_MARK

logger = logging.getLogger(__name__)

FUNDING = "funding"
POLICY = "policy"
EVERYTHING = "all"
CHANGES = "changes"  # "Changed since last look": what changed beside the title

# The sidebar's views about calls and their deadlines: the funding defaults.
FUNDING_VIEWS = frozenset({"open_funding", "closing_soon", "followed"})
POLICY_CATEGORIES = frozenset({"policy", "consultation", "legislation", "press", "speech"})

# The columns each kind of view shows by default, in order; keys not in the registry (yet)
# are skipped. A funding view has no Category column: it would always say "Funding".
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    FUNDING: ("star", "title", "deadline", "days_left", "budget", "call_status", "programme", "opens"),
    POLICY: ("star", "title", "published", "source", "tags", "note"),
    EVERYTHING: ("star", "title", "category", "source", "published", "deadline", "status", "tags"),
    CHANGES: ("star", "title", "what_changed", "deadline", "budget", "status"),
}

STRETCHED = "title"  # takes the width the other columns leave

# What a column typically holds, measured to size it: dates and budgets in full (with the
# mark of a moved one), the others long enough to read (longer text is cut with "…" and
# shown whole in the tooltip). The widest of a column's samples sets its width.
TYPICAL_TEXT: dict[str, tuple[str, ...]] = {
    "star": ("★",),
    "category": ("Consultation",),
    "jurisdiction": ("EU",),
    "source": ("European Commission",),
    "published": ("31 Dec 2026",),
    "deadline": (f"31 Dec 2026 {MOVED_MARK}",),
    "days_left": ("closed 3 d ago",),
    "budget": ("€1,250,000,000", f"£125,800,000 {MOVED_MARK}"),
    "status": ("Reviewing",),
    "tags": ("ai-act, compute",),
    "note": ("First line of a note",),
    "call_status": ("Forthcoming",),
    "programme": ("Horizon Europe",),
    "action_type": ("Research and innovation",),
    "opens": ("31 Dec 2026",),
    "what_changed": ("Deadline 21 Jan → 18 Feb 2027",),  # the first change; the tooltip has all
}
FALLBACK_TEXT = ("Typical text",)

# Columns of free text, narrowed (down to ELASTIC_FLOOR) when a narrow window would leave
# Title too little; dates, budgets, days left and the short labels always keep their width.
ELASTIC = frozenset({"source", "tags", "note", "programme", "action_type", "what_changed"})
ELASTIC_FLOOR = 72
TITLE_SHARE = 0.25  # of the table's width, at least, while the defaults can make room

MIN_WIDTH = 24
MAX_WIDTH = 2000


@dataclass(frozen=True)
class ColumnLayout:
    """The visible columns in the order shown, and the widths the user gave some of them."""

    visible: tuple[str, ...]
    widths: Mapping[str, int] = field(default_factory=dict)

    def to_data(self, known: Iterable[str]) -> dict[str, Any]:
        """What is stored: also which known columns were hidden, so that a column added to
        the registry later is told apart from one the user chose to hide."""
        hidden = [key for key in known if key not in self.visible]
        return {"visible": list(self.visible), "hidden": hidden, "widths": dict(self.widths)}


def kind_of(view: str, category: str | None) -> str:
    """Which defaults a view gets: funding for the call views or a funding category filter,
    policy for the Policy view or a policy-like category, what changed for the changes since the last look,
    everything otherwise."""
    if view == "changed":
        return CHANGES
    if view in FUNDING_VIEWS or category == "funding":
        return FUNDING
    if view == "policy" or category in POLICY_CATEGORIES:
        return POLICY
    return EVERYTHING


def default_layout(kind: str, known: Iterable[str]) -> ColumnLayout:
    """The kind's default columns that the registry has, in the default order."""
    present = set(known)
    return ColumnLayout(tuple(key for key in DEFAULT_COLUMNS[kind] if key in present))


def layout_from(data: object, kind: str, known: Iterable[str]) -> ColumnLayout:
    """The stored layout `data` made valid for the registry `known`: unknown columns and bad
    widths dropped, columns the layout never knew of shown as the kind's default says."""
    keys = list(known)
    if not isinstance(data, dict):
        return default_layout(kind, keys)
    visible = _keys(data.get("visible"), keys)
    hidden = set(_keys(data.get("hidden"), keys))
    if not visible:
        return default_layout(kind, keys)
    defaults = DEFAULT_COLUMNS[kind]
    for key in keys:  # new to this layout: its default visibility, at the end
        if key not in visible and key not in hidden and key in defaults:
            visible.append(key)
    widths_data = data.get("widths")
    widths = {
        key: int(width)
        for key, width in (widths_data.items() if isinstance(widths_data, dict) else ())
        if key in keys and type(width) is int and MIN_WIDTH <= width <= MAX_WIDTH
    }
    return ColumnLayout(tuple(visible), widths)


def _keys(value: object, known: list[str]) -> list[str]:
    """The known keys listed in `value`, each once, in its order."""
    if not isinstance(value, list):
        return []
    seen: list[str] = []
    for key in value:
        if isinstance(key, str) and key in known and key not in seen:
            seen.append(key)
    return seen


def decode(text: str) -> dict[str, object]:
    """The stored layouts by sidebar choice; a corrupt text reads as none stored."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        logger.warning("the stored column layouts are unreadable; using the defaults")
        return {}
    if not isinstance(data, dict):
        logger.warning("the stored column layouts are not a table; using the defaults")
        return {}
    return {str(choice): layout for choice, layout in data.items()}


def encode(layouts: Mapping[str, object]) -> str:
    return json.dumps(layouts, sort_keys=True)


def fitted_widths(
    visible: Iterable[str], typical: Mapping[str, int], chosen: Mapping[str, int], room: int
) -> dict[str, int]:
    """The widths of the visible columns other than Title in a table `room` pixels wide: the
    user's `chosen` ones, else the `typical` ones, the free-text columns narrowed in
    proportion when Title would get less than its share or be narrower than another column."""
    widths = {key: chosen.get(key, typical[key]) for key in visible if key != STRETCHED}
    if STRETCHED not in visible or not widths:
        return widths
    title = max(int(room * TITLE_SHARE), max(widths.values()) + 1)
    excess = sum(widths.values()) + title - room
    slack = {key: widths[key] - ELASTIC_FLOOR for key in widths if key in ELASTIC and key not in chosen}
    slack = {key: extra for key, extra in slack.items() if extra > 0}
    total = sum(slack.values())
    if excess <= 0 or total <= 0:
        return widths
    cut = min(excess, total)
    for key, extra in slack.items():
        widths[key] -= -(-extra * cut // total)  # rounded up: the sum is cut at least by `cut`
    return widths
