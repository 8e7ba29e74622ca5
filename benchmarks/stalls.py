"""The stall rows: the longest event-loop stall in the real window (benchmarks/heartbeat.py)
while the user types, chooses views, sorts, selects all and changes every row at once.

Each row's figure (the UI column) is the longest gap between two heartbeats from the first key
or click until the window is idle again; the target is the same for all: nothing the user
does blocks the window for more than STALL_MS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks import heartbeat
from benchmarks.corpus import COMMON_WORD, PHRASE, RARE_WORD
from benchmarks.measure import Row
from benchmarks.window import sortable_columns

STALL_MS = 50.0
KEY_MS = (120, 400)  # a fast typist, and one who hunts for each key
WORDS = ("the", COMMON_WORD, "commission", RARE_WORD, PHRASE)


def stall_row(key: str, label: str, stall: heartbeat.Stall, extra: dict[str, Any] | None = None) -> Row:
    return Row(
        key,
        label,
        None,
        target=f"stall < {STALL_MS:.0f} ms",
        met=stall.longest_ms < STALL_MS,
        runs=1,
        extra={"seconds": round(stall.seconds, 2), **(extra or {})},
        ui_ms=stall.longest_ms,
    )


def typing(add: Callable[[Row], Row], window: Any) -> dict[str, heartbeat.Stall]:
    """Type each word at each speed into an empty search box; returns the stalls by (word, ms)
    for the search rows (their first page after the last key)."""
    stalls = {}
    for word in WORDS:
        for key_ms in KEY_MS:
            window.search("")
            window.wait_idle()
            stall = heartbeat.typing(window, word, key_ms)
            stalls[f"{word}@{key_ms}"] = stall
            add(
                stall_row(
                    f"stall.type.{word.replace(' ', '_')}.{key_ms}",
                    f"Stall typing “{word}” at {key_ms} ms a key"
                    f" (letters up to {stall.late_letter_ms:,.0f} ms late)",
                    stall,
                    {
                        "late_letter_ms": round(stall.late_letter_ms, 1),
                        "first_page_after_last_key_ms": stall.first_page_after_last_key_ms,
                    },
                )
            )
    window.search("")
    window.wait_idle()
    return stalls


def choosing(add: Callable[[Row], Row], window: Any) -> None:
    """Every sidebar view, then a tag and a source; the longest stall of each."""
    from db.store import VIEWS
    from desktop.ui.views.sidebar import SOURCE, TAG, VIEW

    window.wait_idle()
    choices = [(VIEW, v, label) for v, label in VIEWS.items()]
    choices += [(TAG, "AI Act", "Tag “AI Act”"), (SOURCE, "ec-presscorner", "Source “ec-presscorner”")]
    for kind, value, label in choices:
        stall = heartbeat.while_doing(lambda k=kind, v=value: window.choose(k, v))
        add(stall_row(f"stall.view.{kind}.{value}", f"Stall choosing {label}", stall))
    window.choose(VIEW, "all")
    window.wait_idle()


def sorting(add: Callable[[Row], Row], window: Any) -> None:
    """Each column both ways: one row with the longest stall of all of them."""
    from desktop.ui.tracker_model import COLUMNS

    worst: heartbeat.Stall | None = None
    worst_label = ""
    for column, spec in sortable_columns():
        for descending in (True, False):
            stall = heartbeat.while_doing(lambda c=column, d=descending: window.sort(c, d))
            if worst is None or stall.longest_ms > worst.longest_ms:
                worst, worst_label = stall, f"{spec.header} {'↓' if descending else '↑'}"
    window.sort(next(i for i, c in enumerate(COLUMNS) if c.sort_key == "published"), True)
    if worst is not None:
        add(stall_row("stall.sort", f"Stall sorting by each column both ways (worst: {worst_label})", worst))


def select_all_and_change(add: Callable[[Row], Row], window: Any) -> None:
    """Ctrl+A in the list of every record, then star, archive and tag all of them, each taken
    back with Undo (so that the store is as before for the next measurements)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    table = window.table
    shown = window.model.rowCount()
    table.setFocus()
    stall = heartbeat.while_doing(
        lambda: QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    )
    add(stall_row("stall.select_all", f"Stall selecting all ({shown:,} records, Ctrl+A)", stall))
    actions = window.window.actions
    for key, label, action in (
        ("star", "starring", lambda: actions["star"].trigger()),
        ("archive", "archiving", lambda: actions["archive"].trigger()),
        ("tag", "tagging", lambda: window.controller.triage.add_tag("benchmark")),
    ):
        before = len(window.controller.triage.undo_steps)
        stall = heartbeat.while_doing(action)
        changed = len(window.controller.triage.undo_steps) > before
        add(
            stall_row(
                f"stall.bulk.{key}",
                f"Stall {label} all {shown:,} records" + ("" if changed else " (nothing changed: refused)"),
                stall,
                {"changed": changed, "status": window.window.statusBar().currentMessage()},
            )
        )
        if changed:
            undo = heartbeat.while_doing(window.controller.triage.undo)
            add(stall_row(f"stall.undo.{key}", f"Stall undoing it ({label} {shown:,} records)", undo))
        if window.model.rowCount() != shown:
            window.reset_rows()
        QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    window.deselect()
