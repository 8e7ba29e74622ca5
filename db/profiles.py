"""Each source's last good refresh shapes, and its "site changed?" mark (the SQL side).

What a shape is and when one has collapsed is decided outside the store (desktop/site_change.py);
here the shapes are kept (the last few good ones only) and the verdict is stored on the source.
A collapsed refresh never joins the profile, so the comparison stays with how the site looked
when it was right, and the mark stays until a refresh looks like that again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from db.identity import canonical_url
from db.rows import chunked, dicts, marks

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
    is cleared. A collapsed one marks the source (the moment it was first seen stays). The
    source's row must exist (`db.sources.ensure_source`)."""
    if reasons:
        db.conn.execute(
            "UPDATE sources SET site_changed = ?, site_changed_since = coalesce(site_changed_since, ?)"
            " WHERE id = ?",
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


def unknown_items(db: Database, items: Iterable[Any]) -> list[Any]:
    """The items whose link has no record yet, in their order: all a collapsed refresh saves,
    so that a new call still shows while every stored record stays exactly as it was."""
    listed = list(items)
    urls: list[str | None] = []
    for item in listed:
        try:
            urls.append(canonical_url(str(_get(item, "url") or "")))
        except ValueError:
            urls.append(None)
    wanted = sorted({url for url in urls if url})
    known: set[str] = set()
    for part in chunked(wanted):
        rows = db.conn.execute(f"SELECT url FROM records WHERE url IN ({marks(len(part))})", list(part))
        known.update(row[0] for row in rows)
    return [item for item, url in zip(listed, urls, strict=True) if url and url not in known]


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
