"""Triage: star, status, archive, tags and read marks on the selected records, and Undo.

Every action here is one Undo step: the store records what the block changed (the read marks
of records it showed on the way included) and Ctrl+Z puts exactly those values back (db/undo.py).
What an action does to the rows (a record leaving the Starred view) is asked of the place
controller through `reload_wanted`; the counts it changes, through `counts_stale`.

A selection of more than `table_selection.SMALL_SELECTION` rows (a select all of 97,000) is
changed by the query's predicate on a worker with its own Store (db/bulk.py), with progress in
the status line, and so is the Undo of such a change: the window never waits for it. While it
runs, other triage waits for it (one change at a time), so nothing blocks on the store's lock.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtGui import QAction

from db.store import Store, StoreError, UndoResult, UserChange
from desktop.bulk_changes import change_selection, selection_size, undo_change
from desktop.formatting import records_text, status_label
from desktop.ui import table_selection
from desktop.ui.links import open_in_browser
from desktop.ui.store_guard import StoreGuard
from desktop.ui.tracker_columns import COL_STAR
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.tracker_table import TrackerTable
from desktop.ui.worker import Task, run_task

logger = logging.getLogger(__name__)

UNDO_DEPTH = 50  # steps Ctrl+Z can go back
UNDO_MESSAGE_MS = 15_000  # how long the status line offers "Undo" (Ctrl+Z and the menu stay)


@dataclass(frozen=True)
class UndoStep:
    """One user action that Undo can take back: what the status line said, and what changed."""

    text: str
    change: UserChange
    current_id: int | None  # the record the action was made on: current again after Undo


class TriageController(QObject):
    status = Signal(str)
    notice = Signal(str, int)  # said for so many milliseconds, then gone
    before_undo = Signal()  # pending notes must reach the store before values are put back
    undo_offered = Signal(str)  # said with an Undo button next to it
    reload_wanted = Signal()  # records may have left the view: re-read, moving on past them
    counts_stale = Signal()
    undone = Signal(UndoStep)  # the step was taken back: re-read rows, record and counts
    changed_by_predicate = Signal(UndoStep)  # a change to many records landed: re-read the same

    def __init__(
        self,
        store: Store,
        model: TrackerModel,
        table: TrackerTable,
        detail: DetailPane,
        undo_action: QAction,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._table = table
        self._detail = detail
        self._undo_action = undo_action
        self._guard = StoreGuard(self.status.emit)
        self.undo_steps: list[UndoStep] = []
        self._recording = False
        self._bulk: Task | None = None  # the change by predicate (or its Undo) still running
        self._closed = False  # the window is gone: a change landing later touches no widget
        table.clicked.connect(self._on_clicked)
        detail.star_toggled.connect(self._on_detail_star)
        detail.status_chosen.connect(self._on_detail_status)
        detail.tags.tag_added.connect(self.add_tag)
        detail.tags.tag_removed.connect(self.remove_tag)

    def selected_ids(self) -> list[int]:
        return table_selection.selected_ids(self._table, self._model, self.status.emit)

    def toggle_star(self) -> None:
        if self._busy() or self._change_in_bulk("toggle_star"):
            return
        ids = self.selected_ids()
        if not ids:
            return
        rows = [table_selection.cached_row(self._model, i) for i in ids]
        starred = not all(r is not None and r.get("starred") for r in rows)
        self._set_starred(ids, starred)

    def _set_starred(self, ids: list[int], starred: bool) -> None:
        text = f"{'Starred' if starred else 'Unstarred'} {records_text(len(ids))}."
        with self._undoable(text):
            with self._guard("Not saved") as attempt:
                self._store.set_starred(ids, starred)
            if attempt.failed:
                return
            self._model.update_rows(ids, starred=starred)
            if self._detail.record_id in ids:
                self._detail.set_star(starred)
            if self._model.query.view == "starred":
                self.reload_wanted.emit()
        self.counts_stale.emit()

    def toggle_follow(self) -> None:
        """F: follow the selected calls (their deadlines in the Followed view and the calendar
        export), or stop following them when all of them are followed already."""
        ids = self.selected_ids()
        if not ids:
            return
        with self._guard("Not saved") as attempt:
            records = [self._store.record(i) for i in ids]  # page rows do not carry the mark
        if attempt.failed:
            return
        followed = not all(r is not None and r.get("followed") for r in records)
        if followed:
            text = f"Following {records_text(len(ids))}: see the Followed view, by deadline."
        else:
            text = f"No longer following {records_text(len(ids))}."
        with self._undoable(text):
            with self._guard("Not saved") as attempt:
                self._store.set_followed(ids, followed)
            if attempt.failed:
                return
            if self._model.query.view == "followed":
                self.reload_wanted.emit()
        self.counts_stale.emit()

    def toggle_archive(self) -> None:
        if self._busy():
            return
        query = self._model.query
        restore = query.view == "archived" or query.status == "archived"  # every row archived
        if self._change_in_bulk(f"status:{'new' if restore else 'archived'}"):
            return
        ids = self.selected_ids()
        if not ids:
            return
        rows = [table_selection.cached_row(self._model, i) for i in ids]
        restore = all(r is not None and r.get("status") == "archived" for r in rows)
        self.set_status("new" if restore else "archived", ids)

    def set_status(self, status: str, ids: list[int] | None = None) -> None:
        if self._busy() or (ids is None and self._change_in_bulk(f"status:{status}")):
            return
        ids = ids if ids is not None else self.selected_ids()
        if not ids:
            return
        with self._undoable(f"{records_text(len(ids)).capitalize()} marked {status_label(status)}."):
            with self._guard("Not saved") as attempt:
                self._store.set_status(ids, status)
            if attempt.failed:
                return
            self._model.update_rows(ids, status=status)
            if self._detail.record_id in ids:
                self._detail.set_status(status)
            query = self._model.query
            if status == "archived" or query.view == "archived" or query.status:
                self.reload_wanted.emit()
        self.counts_stale.emit()

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_STAR:
            record_id = self._model.record_id(index.row())
            row = self._model.row(index.row())
            if record_id is not None and row is not None:
                self._set_starred([record_id], not row.get("starred"))

    def _on_detail_star(self, starred: bool) -> None:
        record_id = self._detail.record_id
        if record_id is not None:
            self._set_starred([record_id], starred)

    def _on_detail_status(self, status: str) -> None:
        record_id = self._detail.record_id
        if record_id is not None:
            self.set_status(status, [record_id])

    # -- a change by predicate, on a worker ----------------------------------------------------------

    def _busy(self) -> bool:
        """True (and said) while a change by predicate runs: the next change waits for it."""
        if self._bulk is not None and not self._bulk.done:
            self.status.emit("Still saving the last change to many records; try again when it is done.")
            return True
        return False

    def _change_in_bulk(self, action: str) -> bool:
        """Start `action` on the selection by its predicate when it is too large to list;
        False (nothing done) for a smaller selection, which the caller changes by ids."""
        selection = table_selection.bulk_selection(self._table, self._model)
        if selection is None:
            return False
        count = selection_size(selection)
        current = self._detail.record_id or table_selection.current_record_id(self._table, self._model)
        self.status.emit(f"Saving the change to {records_text(count)}…")
        self._bulk = run_task(
            change_selection,
            self._store.path,
            selection,
            action,
            on_result=lambda result: self._bulk_done(result, current),
            on_error=lambda message: self._bulk_failed(f"Not saved: {message}"),
            on_progress=lambda done_total: self._bulk_progress(*done_total),
        )
        return True

    def close(self) -> None:
        """The window is closing. A change by predicate still running goes on to its end in its
        own transaction (the app waits for its workers before it quits), but what it says when it
        lands is for nobody: the widgets it would touch may already be deleted."""
        self._closed = True

    def _bulk_progress(self, done: int, total: int) -> None:
        if self._closed:
            return
        self.status.emit(f"Saving the change to {records_text(total)}… {100 * done // max(total, 1)} %")

    def _bulk_done(self, result: tuple[str, int, UserChange], current: int | None) -> None:
        text, _changed, change = result
        self._bulk = None
        if self._closed:
            return
        if change:
            self._push_undo(UndoStep(text, change, current))
        else:
            self.notice.emit(f"{text} (Nothing needed changing.)", UNDO_MESSAGE_MS)
        self.changed_by_predicate.emit(UndoStep(text, change, current))

    def _bulk_failed(self, message: str) -> None:
        self._bulk = None
        if self._closed:
            logger.warning("after the window closed: %s", message)
            return
        self.status.emit(message)

    # -- tags --------------------------------------------------------------------------------------

    def _tag_targets(self) -> list[int]:
        """The selected records when the shown one is among them, else just the shown one."""
        shown = self._detail.record_id
        ids = self.selected_ids()
        if shown is not None and shown not in ids:
            return [shown]
        return ids

    def add_tag(self, name: str) -> None:
        if self._busy() or self._change_in_bulk(f"tag:{name}"):
            return
        ids = self._tag_targets()
        if not ids:
            return
        with self._undoable(f"Tagged {records_text(len(ids))} “{name}”."):
            with self._guard("Tag not added", also=(ValueError,)) as attempt:
                self._store.add_tag(ids, name)
            if attempt.failed:
                return
            self._after_tag_change(ids)

    def remove_tag(self, name: str) -> None:
        record_id = self._detail.record_id
        if record_id is None:
            return
        with self._undoable(f"Removed the tag “{name}”."):
            with self._guard("Tag not removed", also=(ValueError,)) as attempt:
                self._store.remove_tag([record_id], name)
            if attempt.failed:
                return
            self._after_tag_change([record_id])

    def _after_tag_change(self, ids: list[int]) -> None:
        for record_id in ids:
            with self._guard("Could not read the record") as attempt:
                record = self._store.record(record_id)
            if attempt.failed:
                break
            if record is not None:
                self._model.update_rows(
                    [record_id], tags=record.get("tags_text") or "; ".join(record["tags"])
                )
                if record_id == self._detail.record_id:
                    self._detail.tags.set_tags(list(record["tags"]))
        if self._model.query.tag:
            self.reload_wanted.emit()
        self.counts_stale.emit()

    def open_original(self) -> None:
        record_id = self._detail.record_id or table_selection.current_record_id(self._table, self._model)
        if record_id is None:
            return
        row = table_selection.cached_row(self._model, record_id)
        url = row.get("url") if row else None
        if url is None:
            with self._guard("Could not read the record") as attempt:
                record = self._store.record(record_id)
            if attempt.failed:
                return
            url = record.get("url") if record else None
        if not open_in_browser(url):
            self.status.emit("This record has no web address that can be opened.")

    # -- undo --------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _undoable(self, text: str) -> Iterator[None]:
        """Record what the block changes (read marks of records it shows included) as one
        Undo step, and say `text` with an Undo link when something did change."""
        if self._recording:  # inside another action: that one records
            yield
            return
        self._recording = True
        current = self._detail.record_id or table_selection.current_record_id(self._table, self._model)
        recorder = contextlib.ExitStack()
        change: UserChange | None = None
        try:
            try:
                change = recorder.enter_context(self._store.recording())
            except StoreError as exc:
                logger.warning("this change cannot be undone: %s", exc)
            try:
                yield
            finally:
                try:
                    recorder.close()
                except StoreError as exc:
                    logger.warning("this change cannot be undone: %s", exc)
                    change = None
        finally:
            self._recording = False
        if change:
            self._push_undo(UndoStep(text, change, current))
        elif change is None:
            self.notice.emit(f"{text} (This one cannot be undone.)", UNDO_MESSAGE_MS)

    def offer_undo(self, text: str, change: UserChange) -> None:
        """A change made elsewhere (an import) becomes the next Undo step."""
        self._push_undo(UndoStep(text, change, self._detail.record_id))

    def _push_undo(self, step: UndoStep) -> None:
        self.undo_steps = [*self.undo_steps, step][-UNDO_DEPTH:]
        self._undo_action.setEnabled(True)
        self._undo_action.setText(f"&Undo: {step.text.rstrip('.')}")
        self.undo_offered.emit(step.text)

    def undo(self) -> None:
        """Take back the last recorded action: exactly the values it replaced, on exactly the
        records it changed; a value changed again since is kept (db/undo.py)."""
        if not self.undo_steps:
            self.notice.emit("Nothing to undo.", 3000)
            return
        if self._busy():
            return
        self.before_undo.emit()
        step = self.undo_steps[-1]
        if len(step.change) > table_selection.SMALL_SELECTION:
            self.status.emit(f"Undoing: {step.text}…")
            self._bulk = run_task(
                undo_change,
                self._store.path,
                step.change,
                on_result=lambda result: self._undone(step, result),
                on_error=lambda message: self._bulk_failed(f"Not undone: {message}"),
            )
            return
        with self._guard("Not undone") as attempt:
            result = self._store.undo(step.change)
        if attempt.failed:
            return
        self._undone(step, result)

    def _undone(self, step: UndoStep, result: UndoResult) -> None:
        self._bulk = None
        if self._closed:
            return
        self.undo_steps = [s for s in self.undo_steps if s is not step]
        self._undo_action.setEnabled(bool(self.undo_steps))
        self._undo_action.setText(
            f"&Undo: {self.undo_steps[-1].text.rstrip('.')}" if self.undo_steps else "&Undo"
        )
        text = f"Undone: {step.text}"
        if result.removed:
            text += f" {records_text(result.removed).capitalize()} it added removed."
        if result.kept:
            text += f" {records_text(result.kept).capitalize()} changed again since kept as they are."
        self.undone.emit(step)
        self.notice.emit(text, UNDO_MESSAGE_MS)
