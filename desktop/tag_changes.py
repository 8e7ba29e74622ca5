"""Renaming, merging and deleting a tag, run on a worker with its own Store (db/tag_admin.py).

No Qt: the window's tags controller starts these through desktop/ui/worker.py, as the triage
controller does a change to many records (desktop/bulk_changes.py), and gets back what to
say and the UserChange that Undo puts back. A tag on 100,000 records is a few seconds of
work the window must never wait for.
"""

from __future__ import annotations

from pathlib import Path

from db.safe_text import shown
from db.store import RenamePlan, Store, UserChange
from desktop.formatting import records_text


def rename_text(plan: RenamePlan) -> str:
    """What the status line says once the rename (or merge) is done."""
    old, new = shown(plan.old, 80), shown(plan.new, 80)
    if plan.merge:
        return f"Merged the tag “{old}” into “{new}” ({records_text(plan.records)})."
    return f"Renamed the tag “{old}” to “{new}” ({records_text(plan.records)})."


def rename_tag(db_path: Path, old: str, new: str) -> tuple[str, RenamePlan, UserChange]:
    """Runs on a worker: rename `old` to `new` (a merge onto another tag's name), recorded
    for Undo. Returns (what was done, the plan carried out, the UserChange)."""
    with Store.open(db_path) as store, store.recording() as change:
        plan = store.rename_tag(old, new)
    return rename_text(plan), plan, change


def delete_tag(db_path: Path, name: str) -> tuple[str, int, UserChange]:
    """Runs on a worker: remove the tag from every record and delete it, recorded for Undo.
    Returns (what was done, how many records lost it, the UserChange)."""
    with Store.open(db_path) as store, store.recording() as change:
        untagged = store.delete_tag(name)
    return f"Deleted the tag “{shown(name, 80)}” ({records_text(untagged)} untagged).", untagged, change
