"""A source's health in words, from its row in the store (pure: the sidebar and dialog share it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.safe_text import shown
from desktop.formatting import relative_time

OK = "ok"
FAILING = "failing"
NEVER = "never"
SITE_CHANGED = "site_changed"
DISABLED = "disabled"
RUNNING = "running"

LABELS = {
    OK: "OK",
    FAILING: "Failing",
    NEVER: "Never fetched",
    SITE_CHANGED: "Site changed?",
    DISABLED: "Disabled",
    RUNNING: "Refreshing…",
}


@dataclass(frozen=True)
class Health:
    state: str
    summary: str  # one line: "OK · today 08:12 · 40 items"
    detail: str  # the tooltip: the error in full, or what changed on the site

    @property
    def label(self) -> str:
        return LABELS[self.state]


def source_health(row: dict[str, Any], now: datetime | None = None) -> Health:
    if not row.get("enabled", True):
        return Health(DISABLED, "Disabled", "This source is switched off in Sources.")
    attempt = row.get("last_attempt_at")
    success = row.get("last_success_at")
    error = row.get("last_error")
    if not attempt and not success:
        return Health(NEVER, "Never fetched", "Not fetched yet: press Refresh.")
    # A success clears the stored error: an error still there means the last attempt failed.
    failed_last = bool(error)
    if failed_last:
        when = relative_time(attempt, now=now)
        last_ok = (
            f"Last success: {relative_time(success, now=now)}." if success else "Never fetched successfully."
        )
        reason = " ".join(str(error).split())
        return Health(FAILING, f"Failing: {reason}", f"Failing since {when}: {error}\n\n{last_ok}")
    items = row.get("last_item_count")
    items_text = "" if items is None else f" · {items} item" if items == 1 else f" · {items} items"
    if changed := row.get("site_changed"):
        reasons = [shown(reason) for reason in changed]
        since = relative_time(row.get("site_changed_since"), now=now)
        return Health(
            SITE_CHANGED,
            f"Site changed? {reasons[0]}",
            "The last refresh worked but its shape collapsed against the refreshes before it:\n"
            + "\n".join(f"• {reason}" for reason in reasons)
            + f"\n\nMarked since {since}. Nothing saved was deleted or cleared; "
            "the mark goes at the first refresh that looks as usual again.",
        )
    return Health(
        OK,
        f"OK · {relative_time(success, now=now)}{items_text}",
        f"Fetched {relative_time(success, now=now)}{items_text}.",
    )
