"""Read marks: a record counts as read once it has stayed shown a moment (a setting), marked
unread on request, every record of a view marked read at once; and what several selected
records add up to (the summary under the table).

The notes controller says when an unread record is shown (`unread_shown`); this controller
decides when that makes it read. Passing over records with J, K or the arrows leaves them
unread: only the one the user stops on for `reading/mark_read_after` seconds (1.5 by default,
0: at once) is marked. The changes made here on request (mark unread, mark all read) are Undo
steps, handed to the triage controller through `undoable`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QObject, QSettings, QTimer, Signal

from db.bulk import Summary
from db.store import Selection, Store, UserChange
from desktop.formatting import records_text
from desktop.ui import settings, table_selection
from desktop.ui.note_saver import QUICK_WAIT_S
from desktop.ui.store_guard import StoreGuard, failure_text
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.selection_summary import SelectionSummary
from desktop.ui.views.tracker_table import TrackerTable
from desktop.ui.worker import Task, run_task

SUMMARY_DELAY_MS = 150  # the summary follows a selection being extended after this pause


def mark_by_predicate(db_path: Path, selection: Selection, read: bool) -> tuple[int, UserChange]:
    """Runs on a worker with its own Store: the selection's records marked read (or unread),
    one transaction, recorded for Undo. Returns how many changed and the change."""
    with Store.open(db_path) as store, store.recording() as change:
        changed = store.mark_read_of(selection, read)
    return changed, change


class ReadingController(QObject):
    status = Signal(str)
    read_changed = Signal()  # read marks changed: the Unread count is stale
    reload_wanted = Signal()  # records may have left the view (Unread)
    undoable = Signal(str, object)  # (what was done, the UserChange): the next Undo step

    def __init__(
        self,
        store: Store,
        model: TrackerModel,
        table: TrackerTable,
        detail: DetailPane,
        summary: SelectionSummary,
        qsettings: QSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._table = table
        self._detail = detail
        self._summary = summary
        self._settings = qsettings
        self._guard = StoreGuard(self.status.emit)
        self._waiting_on: int | None = None  # the record whose dwell is being timed
        self.marking: Task | None = None  # "mark all in view read" still running
        self._summing = 0  # the latest summary asked for; older ones are dropped
        self._closed = False
        self._dwell = QTimer(self)
        self._dwell.setSingleShot(True)
        self._dwell.timeout.connect(self._dwell_ended)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self.update_summary)
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.modelReset.connect(self._summary_timer.start)

    def close(self) -> None:
        """The window is closing: a dwell still running reads nothing (the store closes)."""
        self._closed = True
        self._summing += 1
        self._dwell.stop()
        self._summary_timer.stop()
        self._waiting_on = None

    # -- read after a dwell ------------------------------------------------------------------------

    def unread_shown(self, record_id: int) -> None:
        """The detail pane shows an unread record: it becomes read once it has stayed there."""
        delay = float(settings.get("reading/mark_read_after", self._settings))
        if delay <= 0:
            self._mark_read(record_id)
            return
        if self._waiting_on == record_id and self._dwell.isActive():
            return  # re-read in place: the dwell goes on
        self._waiting_on = record_id
        self._dwell.start(round(delay * 1000))

    def _dwell_ended(self) -> None:
        record_id, self._waiting_on = self._waiting_on, None
        if record_id is not None and self._detail.record_id == record_id:
            self._mark_read(record_id)

    def _mark_read(self, record_id: int) -> None:
        with self._guard("Could not mark it read") as attempt:
            # Showing a record must not wait for another program's write lock; a read mark
            # that could not be set is set the next time the record is shown.
            self._store.mark_read([record_id], wait_s=QUICK_WAIT_S)
        if attempt.failed:
            return
        self._model.update_rows([record_id], read_at="read")
        self.read_changed.emit()
        if self._summary.isVisible():
            self._summary_timer.start()

    # -- on request ----------------------------------------------------------------------------------

    def mark_unread(self) -> None:
        """U: the selected records unread; a selection too large to list (a select all) by
        its query's predicate on a worker, like Shift+R."""
        many = table_selection.bulk_selection(self._table, self._model)
        if many is not None:
            self._mark_by_predicate(many, read=False)
            return
        ids = table_selection.selected_ids(self._table, self._model, self.status.emit)
        if not ids:
            return
        if self._waiting_on in ids:
            self._dwell.stop()  # staying on it must not read it again at once
            self._waiting_on = None
        with self._guard("Not saved") as attempt, self._store.recording() as change:
            self._store.mark_read(ids, read=False)
        if attempt.failed:
            return
        self._model.update_rows(ids, read_at=None)
        self._after_change(f"{records_text(len(ids)).capitalize()} marked unread.", change)

    def mark_all_read(self) -> Task | None:
        """Shift+R: every record the view lists, by its query (db/bulk.py), on a worker: a view
        of 100,000 records takes seconds to mark and record for Undo, and the window goes on."""
        shown = self._model.rowCount()
        if not shown:
            return None
        return self._mark_by_predicate(Selection(self._model.query, shown), read=True)

    def _mark_by_predicate(self, selection: Selection, *, read: bool) -> Task | None:
        if self.marking is not None and not self.marking.done:
            self.status.emit("Still saving the last read marks; a moment.")
            return None
        self._dwell.stop()
        self._waiting_on = None
        count = sum(rows for _first, rows in selection.ranges) or selection.shown
        word = "read" if read else "unread"
        self.status.emit(f"Marking {records_text(count)} {word}…")
        self.marking = run_task(
            mark_by_predicate,
            self._store.path,
            selection,
            read,
            on_result=lambda result: self._marked(count, word, *result),
            on_error=lambda message: self._not_marked(failure_text("Not saved", message)),
        )
        return self.marking

    def _marked(self, count: int, word: str, changed: int, change: UserChange) -> None:
        self.marking = None
        if self._closed:
            return
        if not changed:
            self.status.emit(f"All {records_text(count)} were {word} already.")
            return
        self.reload_wanted.emit()
        self._after_change(f"{records_text(changed).capitalize()} marked {word}.", change)

    def _not_marked(self, message: str) -> None:
        self.marking = None
        self.status.emit(message)

    def _after_change(self, text: str, change: object) -> None:
        self.read_changed.emit()
        if self._summary.isVisible():
            self._summary_timer.start()
        if change:
            self.undoable.emit(text, change)
        else:
            self.status.emit(text)

    # -- the selection's summary ---------------------------------------------------------------------

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._summary_timer.start()

    def update_summary(self) -> None:
        """Sum up the selected rows when there are two or more, in SQL on a worker (a select
        all of 97,000 rows takes most of a second); a summary overtaken by a newer one is dropped."""
        self._summary_timer.stop()
        self._summing += 1
        ranges = tuple(table_selection.selected_ranges(self._table))
        if sum(rows for _first, rows in ranges) < 2:
            self._summary.show_summary(None)
            return
        selection = Selection(self._model.query, self._model.rowCount(), ranges=ranges)
        summing = self._summing
        run_task(
            summarise,
            self._store.path,
            selection,
            on_result=lambda summary: self._summed(summing, summary),
            on_error=lambda message: self._summed(summing, failure_text("Not summed up", message)),
        )

    def _summed(self, summing: int, summary: Summary | str) -> None:
        if summing != self._summing or self._closed:
            return
        if isinstance(summary, str):
            self._summary.show_problem(summary)
        else:
            self._summary.show_summary(summary, now=self._store.clock())


def summarise(db_path: Path, selection: Selection) -> Summary:
    """Runs on a worker with its own Store: what the selected records add up to."""
    with Store.open(db_path) as store:
        return store.summarise(selection)
