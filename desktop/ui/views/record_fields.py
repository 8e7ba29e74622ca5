"""What the detail pane's fields say: the words for dates, a call's status and the changes seen.

Pure functions of the record (no widget), so that the pane only places the text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.formatting import change_text, date_time, days_left, days_left_phrase, short_date


def deadline_text(deadline: str | None, jurisdiction: str | None, now: datetime | None) -> str:
    """The deadline in its home zone and the user's, and how far off it is: "18 Feb 2027,
    17:00 Brussels (11:00 your time) · 12 days left", "… · Closed 3 days ago"."""
    text = date_time(deadline, jurisdiction)
    days = days_left(deadline, jurisdiction, now=now)
    if not text or days is None:
        return text
    phrase = days_left_phrase(days)
    return f"{text} · {phrase[:1].upper()}{phrase[1:]}"


def published_text(published: str | None, updated: str | None, jurisdiction: str | None = None) -> str:
    """The publication day, and the day of the last update when it is another one."""
    text = short_date(published, jurisdiction)
    later = short_date(updated, jurisdiction)
    if later and later != text:
        text = f"{text} · updated {later}" if text else f"updated {later}"
    return text


def call_status_text(status: str | None, opens: str | None, jurisdiction: str | None = None) -> str:
    """A funding call's status as the site words it, and when it opens (in its home zone)."""
    text = (status or "").strip()
    text = text[:1].upper() + text[1:]
    if opens:
        when = date_time(opens, jurisdiction)
        text = f"{text} · opens {when}" if text else f"opens {when}"
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
