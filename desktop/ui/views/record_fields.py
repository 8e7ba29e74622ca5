"""What the detail pane's fields say: the words for dates, a call's status and the changes seen.

Pure functions of the record (no widget), so that the pane only places the text.
"""

from __future__ import annotations

from typing import Any

from desktop.formatting import change_text, date_time, short_date


def published_text(published: str | None, updated: str | None) -> str:
    """The publication day, and the day of the last update when it is another one."""
    text = short_date(published)
    later = short_date(updated)
    if later and later != text:
        text = f"{text} · updated {later}" if text else f"updated {later}"
    return text


def call_status_text(status: str | None, opens: str | None) -> str:
    """A funding call's status as the site words it, and when it opens."""
    text = (status or "").strip()
    text = text[:1].upper() + text[1:]
    if opens:
        text = f"{text} · opens {date_time(opens)}" if text else f"opens {date_time(opens)}"
    return text


def versions_text(versions: list[dict[str, Any]], currency: str | None) -> str:
    """One line per refresh that saw a change: "Changed 5 Mar 2026: deadline 17 Sep → 15 Oct"."""
    lines = []
    for version in versions[:5]:
        changes = "; ".join(
            change_text(field, old, new, currency=currency) for field, old, new in version.get("changes", [])
        )
        if changes:
            lines.append(f"Changed {short_date(version.get('changed_at'))}: {changes}")
    if len(versions) > 5:
        lines.append(f"… and {len(versions) - 5} earlier changes")
    return "\n".join(lines)
