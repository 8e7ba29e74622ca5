"""What changed after a refresh, in words (`policy-tracker fetch --report`) and as JSON.

The lists come from `Store.changes_since` (db/changes.py); this module only words them, so the
command line and the window say the same. Text from sites goes through `shown`: a title
carrying control characters cannot rewrite a terminal or a cron mail.
"""

from __future__ import annotations

import json
from typing import Any

from db.changes import Changes, FieldChange, RecordRef
from db.safe_text import shown
from desktop.formatting import change_text, date_time
from desktop.refresh import RefreshSummary

NOTHING = "Nothing new in your watchlists; no deadline, budget or call status moved."

_HEADINGS = {
    "deadlines_moved": ("Deadlines moved", "deadline_at"),
    "budgets_changed": ("Budgets changed", "budget_amount"),
    "calls_opened": ("Calls opened", "call_status"),
    "calls_closed": ("Calls closed", "call_status"),
}


def _name(record: RecordRef) -> str:
    mark = "[followed] " if record.followed else ""
    return f"{mark}{shown(record.title) or shown(record.url)}"


def _change_line(change: FieldChange, field: str) -> str:
    words = change_text(field, change.old, change.new, currency=change.currency)
    return f"  {_name(change.record)}: {words}\n    {shown(change.record.url)}"


def headline(changes: Changes) -> str:
    """One line: "3 new in AI Act · 1 deadline moved" (empty when nothing changed)."""
    parts = [f"{n.new} new in {shown(n.name)}" for n in changes.new_in_watchlists]
    moved = len(changes.deadlines_moved)
    if moved:
        parts.append(f"{moved} deadline{'s' if moved != 1 else ''} moved")
    budgets = len(changes.budgets_changed)
    if budgets:
        parts.append(f"{budgets} budget{'s' if budgets != 1 else ''} changed")
    return " · ".join(parts)


def report_text(changes: Changes) -> str:
    """The report as plain text, one section per kind of change, followed records first."""
    if not changes:
        return NOTHING
    lines = [f"What changed: {headline(changes) or 'calls opened or closed'}"]
    if changes.new_in_watchlists:
        lines.append("New in watchlists:")
        for news in changes.new_in_watchlists:
            lines.append(f"  {shown(news.name)}: {news.new} new")
            for record in news.records:
                deadline = f" (deadline {date_time(record.deadline_at)})" if record.deadline_at else ""
                lines.append(f"    {_name(record)}{deadline}\n      {shown(record.url)}")
            if news.new > len(news.records):
                lines.append(f"    and {news.new - len(news.records)} more")
    for kind, (heading, field) in _HEADINGS.items():
        items: tuple[FieldChange, ...] = getattr(changes, kind)
        if items:
            lines.append(f"{heading}:")
            lines.extend(_change_line(change, field) for change in items)
    return "\n".join(lines)


def report_json(changes: Changes, summary: RefreshSummary) -> str:
    """The report and the refresh's outcome as one JSON document (for a script or a mail filter)."""
    refresh: dict[str, Any] = {
        "new": summary.new,
        "changed": summary.changed,
        "failed": [o.source_id for o in summary.failed],
        "site_changed": [o.source_id for o in summary.site_changed],
        "cancelled": summary.cancelled,
    }
    return json.dumps({"refresh": refresh, **changes.as_json()}, ensure_ascii=False, indent=2)
