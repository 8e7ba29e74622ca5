"""What a refresh's `Changes` (db/changes.py) mean for the window: the alert, if any, and the
sections of the "What changed" view.

An alert is only for what the user asked to hear about: new matches of a watchlist that has
alerts on, and a followed call whose deadline moved or budget changed. Everything else that
moved is listed in the "What changed" view, never popped up.
"""

from __future__ import annotations

from db.changes import Changes, FieldChange, RecordRef
from db.safe_text import shown
from desktop.formatting import change_text, date_time
from desktop.ui.dialogs.changes_dialog import ChangeLine, ChangeSection
from desktop.ui.notifier import Alert
from desktop.ui.views.sidebar import WATCHLIST

CHANGES = "changes"  # an alert's target kind: the "What changed" view, not a sidebar entry
WHAT_CHANGED = (CHANGES, "")

_SECTIONS = (
    ("deadlines_moved", "Deadlines moved", "deadline_at"),
    ("budgets_changed", "Budgets changed", "budget_amount"),
    ("calls_opened", "Calls opened", "call_status"),
    ("calls_closed", "Calls closed", "call_status"),
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def alert_for(changes: Changes) -> Alert | None:
    """ "3 new in AI Act · 1 deadline moved", opening the watchlist when that is all there is
    to see, else the "What changed" view; None when nothing asked for happened."""
    news = [n for n in changes.new_in_watchlists if n.notify and n.new]
    moved = [c for c in changes.deadlines_moved if c.record.followed]
    budgets = [c for c in changes.budgets_changed if c.record.followed]
    parts = [f"{n.new} new in {shown(n.name, 60)}" for n in news]
    if moved:
        parts.append(f"{_plural(len(moved), 'deadline')} moved")
    if budgets:
        parts.append(f"{_plural(len(budgets), 'budget')} changed")
    if not parts:
        return None
    if len(news) == 1 and not moved and not budgets:
        return Alert(" · ".join(parts), (WATCHLIST, str(news[0].watchlist_id)))
    return Alert(" · ".join(parts), WHAT_CHANGED)


def _line_of(record: RecordRef, words: str) -> ChangeLine:
    followed = " · ★ you follow it" if record.followed else ""
    return ChangeLine(record.id, record.title or record.url, words + followed)


def _line(change: FieldChange, field: str) -> ChangeLine:
    return _line_of(change.record, change_text(field, change.old, change.new, currency=change.currency))


def sections_of(changes: Changes) -> list[ChangeSection]:
    """The view's sections: each watchlist's new records, then each kind of field change."""
    out = []
    for news in changes.new_in_watchlists:
        lines = [
            _line_of(r, f"new, deadline {date_time(r.deadline_at)}" if r.deadline_at else "new")
            for r in news.records
        ]
        title = f"New in {news.name}"
        if news.new > len(news.records):
            title += f" (the newest {len(news.records)} of {news.new})"
        out.append(ChangeSection(title, tuple(lines)))
    for kind, title, field in _SECTIONS:
        items: tuple[FieldChange, ...] = getattr(changes, kind)
        out.append(ChangeSection(title, tuple(_line(c, field) for c in items)))
    return out


def heading_of(changes: Changes) -> str:
    """One line above the list: how much of each kind, or that nothing moved."""
    news = sum(n.new for n in changes.new_in_watchlists)
    counts = [
        (news, _plural(news, "new record") + " in watchlists"),
        (len(changes.deadlines_moved), f"{_plural(len(changes.deadlines_moved), 'deadline')} moved"),
        (len(changes.budgets_changed), f"{_plural(len(changes.budgets_changed), 'budget')} changed"),
        (len(changes.calls_opened), f"{_plural(len(changes.calls_opened), 'call')} opened"),
        (len(changes.calls_closed), f"{_plural(len(changes.calls_closed), 'call')} closed"),
    ]
    said = ", ".join(words for count, words in counts if count) or "nothing new, nothing moved"
    return f"Since the refresh of {date_time(changes.since)}: {said}."
