"""Each source's last good refresh shapes, and its "site changed?" mark (the SQL side).

What a shape is and when one has collapsed is decided outside the store (desktop/site_change.py);
here the shapes are kept (the last few good ones only) and the verdict is stored on the source.
A collapsed refresh never joins the profile, so the comparison stays with how the site looked
when it was right, and the mark stays until a refresh looks like that again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from db.rows import dicts

PROFILE_COLUMNS = ("items", "dated", "with_deadline", "with_budget", "with_text")


def recent_profiles(db: Database, source_id: str) -> list[dict[str, Any]]:
    """The source's kept shapes, oldest first."""
    rows = dicts(
        db,
        f"SELECT {', '.join(PROFILE_COLUMNS)} FROM source_profiles WHERE source_id = ? ORDER BY id",
        (source_id,),
    )
    return rows


def record_verdict(
    db: Database,
    source_id: str,
    profile: Mapping[str, int],
    reasons: Sequence[str],
    keep: int,
    now: str,
) -> None:
    """A good refresh (no reasons) joins the profile, the oldest beyond `keep` go, and the mark
    is cleared. A collapsed one marks the source (the first time it was seen stays) and forgets
    the validators, so that the next refresh reads the page whole and judges it again instead
    of being told "not modified". The source's row must exist (`db.sources.ensure_source`)."""
    if reasons:
        db.conn.execute(
            "UPDATE sources SET site_changed = ?, site_changed_since = coalesce(site_changed_since, ?),"
            " etag = NULL, last_modified = NULL WHERE id = ?",
            (json.dumps(list(reasons), ensure_ascii=False), now, source_id),
        )
        return
    values = [int(profile[name]) for name in PROFILE_COLUMNS]
    db.conn.execute(
        f"INSERT INTO source_profiles (source_id, recorded_at, {', '.join(PROFILE_COLUMNS)})"
        f" VALUES (?, ?, {', '.join('?' * len(PROFILE_COLUMNS))})",
        (source_id, now, *values),
    )
    db.conn.execute(
        "DELETE FROM source_profiles WHERE source_id = ? AND id NOT IN"
        " (SELECT id FROM source_profiles WHERE source_id = ? ORDER BY id DESC LIMIT ?)",
        (source_id, source_id, keep),
    )
    db.conn.execute(
        "UPDATE sources SET site_changed = NULL, site_changed_since = NULL WHERE id = ?", (source_id,)
    )


def marked_reasons(text: str | None) -> list[str]:
    """The stored mark as its list of reasons (empty when the source looks as usual)."""
    if not text:
        return []
    value = json.loads(text)
    return [str(reason) for reason in value] if isinstance(value, list) else [str(value)]
