"""Changes to a selection too large to list, run on a worker with its own Store (db/bulk.py).

No Qt: the window's triage controller starts these through desktop/ui/worker.py and gets back
plain data, what to say and the UserChange that Undo puts back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.store import Selection, Store, UndoResult, UserChange
from desktop.formatting import records_text, status_label


def change_selection(db_path: Path, selection: Selection, action: str, report: Callable[[Any], None]) -> Any:
    """Runs on a worker: one bulk change (`action`: "star", "unstar", "toggle_star" or
    "status:<status>" or "tag:<name>") in its own Store, recorded for Undo. Returns (what was
    done, how many records changed, the UserChange)."""
    with Store.open(db_path) as store:

        def progress(done: int, total: int) -> None:
            report((done, total))

        with store.recording() as change:
            kind, _, value = action.partition(":")
            many = records_text(selection_size(selection))
            if kind == "toggle_star":
                summary = store.summarise(selection)
                kind = "star" if summary.starred < summary.records else "unstar"
            if kind in ("star", "unstar"):
                changed = store.set_starred_of(selection, kind == "star", progress)
                text = f"{'Starred' if kind == 'star' else 'Unstarred'} {many}."
            elif kind == "status":
                changed = store.set_status_of(selection, value, progress)
                text = f"{many.capitalize()} marked {status_label(value)}."
            else:
                changed = store.add_tag_to(selection, value, progress)
                text = f"Tagged {many} “{value}”."
    return text, changed, change


def undo_change(db_path: Path, change: UserChange) -> UndoResult:
    """Runs on a worker: Undo of a change too large to put back on the window's thread."""
    with Store.open(db_path) as store:
        return store.undo(change)


def selection_size(selection: Selection) -> int:
    return sum(rows for _first, rows in selection.ranges) if selection.ranges else selection.shown
