"""The stall rows: the longest event-loop stall in the real window (benchmarks/heartbeat.py)
while the user types, chooses views, sorts, selects all and changes every row at once.

Each row's figure (the UI column) is the longest gap between two heartbeats from the first key
or click until the window is idle again; the target is the same for all: nothing the user
does blocks the window for more than STALL_MS. Qt paints as it does for the user, when it
handles the update new rows ask for: a stall row forces no paint of its own (a forced one came
on top of Qt's, in the same turn of the event loop, and doubled the stall it measured).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import bulk_bare, heartbeat
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
        stall = heartbeat.while_doing(lambda k=kind, v=value: window.choose(k, v, paint=False))
        add(stall_row(f"stall.view.{kind}.{value}", f"Stall choosing {label}", stall))
    window.choose(VIEW, "all")
    window.wait_idle()


def sorting(add: Callable[[Row], Row], window: Any) -> None:
    """Each column both ways: one row with the longest stall of all of them."""
    from desktop.ui.tracker_columns import COLUMNS

    worst: heartbeat.Stall | None = None
    worst_label = ""
    for column, spec in sortable_columns():
        for descending in (True, False):
            stall = heartbeat.while_doing(lambda c=column, d=descending: window.sort(c, d, paint=False))
            if worst is None or stall.longest_ms > worst.longest_ms:
                worst, worst_label = stall, f"{spec.header} {'↓' if descending else '↑'}"
    window.sort(next(i for i, c in enumerate(COLUMNS) if c.sort_key == "published"), True)
    if worst is not None:
        add(stall_row("stall.sort", f"Stall sorting by each column both ways (worst: {worst_label})", worst))


WAIT_S = 600.0  # a change still running then is reported as not finished, never as refused


@dataclass
class Landed:
    """How one bulk change (or its Undo) went, as the triage controller said it: seconds from
    the key to its completion signal (None: it did not land within WAIT_S), or what it refused."""

    stall: heartbeat.Stall
    seconds: float | None
    refused: str | None

    def outcome(self) -> str:
        if self.refused:
            return f" (refused: {self.refused})"
        if self.seconds is None:
            return f" (not finished within {WAIT_S:.0f} s)"
        return ""


def _until_landed(window: Any, action: Callable[[], None], landed_signal: Any) -> Landed:
    """Run `action` under a heartbeat and wait for `landed_signal` (or a refusal), then for the
    window to be idle: the stall covers the change and the reload after it."""
    triage = window.controller.triage
    began = time.perf_counter()
    landed: list[float] = []
    refused: list[str] = []

    def on_landed(_step: Any) -> None:
        landed.append(time.perf_counter())

    def on_status(text: str) -> None:
        if text.startswith(("Not saved", "Not undone", "Still saving")):
            refused.append(text)

    landed_signal.connect(on_landed)
    triage.status.connect(on_status)
    try:
        stall = heartbeat.while_doing(action, WAIT_S)
        if not (landed or refused):  # idle before the signal: a change made on the GUI thread
            heartbeat.run_until(lambda: bool(landed or refused), 1.0)
    finally:
        landed_signal.disconnect(on_landed)
        triage.status.disconnect(on_status)
    heartbeat.run_until(heartbeat.idle, WAIT_S)  # never start the next while this one runs
    return Landed(stall, landed[0] - began if landed else None, refused[0] if refused else None)


def select_all_and_change(add: Callable[[Row], Row], window: Any) -> None:
    """Ctrl+A in the list of every record, then star, archive and tag all of them, each taken
    back with Undo (so that the store is as before for the next measurements). Each row says
    the longest stall, and the seconds until the change landed beside bare sqlite3 making the
    same change to the same records on the same file (benchmarks/bulk_bare.py)."""
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
    triage = window.controller.triage
    where, params = bulk_bare.query_predicate(window.model.query)
    for key, label, action in (
        ("star", "starring", lambda: actions["star"].trigger()),
        ("archive", "archiving", lambda: actions["archive"].trigger()),
        ("tag", "tagging", lambda: triage.add_tag(bulk_bare.TAG)),
    ):
        last = triage.undo_steps[-1] if triage.undo_steps else None
        change = _until_landed(window, action, triage.changed_by_predicate)
        made = change.seconds is not None and bool(triage.undo_steps) and triage.undo_steps[-1] is not last
        undo = _until_landed(window, triage.undo, triage.undone) if made else None
        bare_s, bare_undo_s = bulk_bare.bare_change(window.store.path, key, where, params)
        add(_bulk_row(f"stall.bulk.{key}", f"Stall {label} all {shown:,} records", change, bare_s, window))
        if undo is not None:
            add(
                _bulk_row(
                    f"stall.undo.{key}",
                    f"Stall undoing it ({label} {shown:,} records)",
                    undo,
                    bare_undo_s,
                    window,
                )
            )
        if window.model.rowCount() != shown:
            window.reset_rows()
        QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    window.deselect()


def _bulk_row(key: str, label: str, landed: Landed, bare_s: float, window: Any) -> Row:
    row = stall_row(
        key,
        label + landed.outcome(),
        landed.stall,
        {
            "landed_s": None if landed.seconds is None else round(landed.seconds, 2),
            "bare_s": round(bare_s, 2),
            "refused": landed.refused,
            "status": window.window.statusBar().currentMessage(),
        },
    )
    row.app_ms = None if landed.seconds is None else 1000 * landed.seconds
    row.bare_ms = 1000 * bare_s
    return row
