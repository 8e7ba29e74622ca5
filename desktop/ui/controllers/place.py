"""Keeping the user's place: the current record, the selection and the scroll across re-reads.

The controller owns the table's selection and scroll and is the only one that re-reads the
model's rows (a new query, a refresh, an action that moves records out of the view). What it
does to the current record it says through signals, so that the notes controller saves the
note before the record changes and shows the record that is current afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QObject, Qt, Signal

from db.store import Query
from desktop.ui import table_selection
from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.tracker_table import TrackerTable


@dataclass
class _Anchor:
    """What to keep in place when the rows are re-read: the current record and where it sat."""

    current_id: int | None
    current_row: int
    selected_ids: list[int]
    offset: int  # the anchor row's distance from the top of the viewport, in pixels
    top_id: int | None


@dataclass(frozen=True)
class _Wanted:
    """How to keep the place when the rows asked for land: a new query (look near the top), a
    re-read (keep the scroll; with `advance`, move on past a record that left), a record to
    make current (an undone action's)."""

    new_query: bool = False
    advance: bool = False
    current_id: int | None = None


class PlaceController(QObject):
    leaving_record = Signal()  # the current record is about to change: save its note first
    record_current = Signal(int)  # this record is current now (shown, re-read if it was)
    no_record = Signal()  # nothing is current
    record_stayed = Signal(int)  # re-read in place: still current, its values may have changed
    record_left = Signal(int)  # a new query left the current record out
    rows_changed = Signal()  # the rows were re-read
    query_shown = Signal(int)  # a new query's rows are shown: how many
    status = Signal(str)

    def __init__(self, table: TrackerTable, model: TrackerModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self._model = model
        self._wanted: _Wanted | None = None  # how to keep the place when the asked rows land
        self._anchor_now: _Anchor | None = None
        # The record a new query left out (a word half typed): made current again by a later
        # query that has it, until the user goes to another record.
        self._left_id: int | None = None
        table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        model.landing.connect(self._on_landing)
        model.page_ready.connect(self._on_page_ready)
        model.read_failed.connect(self._on_read_failed)

    def current_record_id(self) -> int | None:
        return table_selection.current_record_id(self._table, self._model)

    def selected_ids(self) -> list[int]:
        return table_selection.selected_ids(self._table, self._model, self.status.emit)

    def select_row(self, row: int) -> None:
        if not 0 <= row < self._model.rowCount():
            return
        index = self._model.index(row, 1)
        self._table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._table.scrollTo(index)

    def move(self, step: int) -> None:
        current = self._table.currentIndex()
        row = current.row() + step if current.isValid() else 0
        self.select_row(max(0, min(row, self._model.rowCount() - 1)))

    def focus_table(self, step: int = 0) -> None:
        """Go to the records (Enter, J or K in the sidebar, Ctrl+2); J/K also move at once."""
        self.leaving_record.emit()
        self._table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if step:
            self.move(step)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.leaving_record.emit()
        record_id = self._model.record_id(current.row()) if current.isValid() else None
        if record_id is not None:
            self._left_id = None  # the user is on another record now
        self._say_current(record_id)

    def _say_current(self, record_id: int | None) -> None:
        if record_id is None:
            self.no_record.emit()
        else:
            self.record_current.emit(record_id)

    # -- re-reading the rows -------------------------------------------------------------------

    def show_query(self, query: Query) -> None:
        """Ask for the rows of a new query, keeping the current record when it is among them
        (once they land: the model reads them on a worker)."""
        self._wanted = _Wanted(new_query=True)
        self._model.request(query)

    def reload_keeping_place(self, *, advance: bool = False) -> None:
        """Re-read the rows in place. With `advance` (the current record is leaving the view:
        archived) triage moves on to the next row at once, inside the action that made it
        leave, so that the next record's read mark is part of that action's Undo; a selection
        of several rows moves on when the rows land."""
        current = self._table.currentIndex()
        alone = table_selection.selected_count(self._table) <= 1
        if advance and alone and current.isValid() and current.row() + 1 < self._model.rowCount():
            self.select_row(current.row() + 1)
        self._reload(_Wanted(advance=advance))

    def reload_at(self, record_id: int | None) -> None:
        """Re-read the rows with `record_id` current (where an undone action was made), so
        that Undo does not show, and mark read, the record the action had moved on to."""
        self._reload(_Wanted(current_id=record_id))

    def _reload(self, wanted: _Wanted) -> None:
        if self._wanted is not None:  # asked again before the rows landed: one landing for both
            wanted = _Wanted(
                new_query=self._wanted.new_query,
                advance=wanted.advance or self._wanted.advance,
                current_id=wanted.current_id if wanted.current_id is not None else self._wanted.current_id,
            )
        self._wanted = wanted
        current = self._table.currentIndex()
        row = current.row() if current.isValid() else max(self._table.rowAt(0), 0)
        self._model.request_reload(around_row=row)

    def _on_read_failed(self, _message: str) -> None:
        """The rows asked for could not be read (the model says why): the rows shown stay, and
        the place is not to be restored by a later landing."""
        if not self._model.pending:
            self._wanted = None

    def _on_landing(self) -> None:
        """The asked rows replace the shown ones now: where the user is, as late as can be."""
        self._anchor_now = self._anchor()

    def _on_page_ready(self) -> None:
        wanted, anchor = self._wanted or _Wanted(), self._anchor_now
        self._wanted = self._anchor_now = None
        if anchor is None:
            return
        if wanted.new_query and anchor.current_id is None and self._left_id is not None:
            anchor = replace(anchor, current_id=self._left_id, selected_ids=[self._left_id])
        if wanted.current_id is not None:
            kept = anchor.selected_ids if wanted.current_id in anchor.selected_ids else [wanted.current_id]
            anchor = replace(anchor, current_id=wanted.current_id, selected_ids=kept)
        self._restore_anchor(anchor, keep_scroll=not wanted.new_query, advance=wanted.advance)
        self.rows_changed.emit()
        if wanted.new_query:
            self.query_shown.emit(self._model.rowCount())

    def _anchor(self) -> _Anchor:
        table = self._table
        model = self._model
        current = table.currentIndex()
        current_id = model.record_id(current.row()) if current.isValid() else None
        # A selection too large to list (a select all) is not kept: just the current record.
        selected = table_selection.selected_ids(table, model, lambda _reason: None)
        top_row = table.rowAt(0)
        top_id = model.record_id(top_row) if top_row >= 0 else None
        row = current.row() if current.isValid() else max(top_row, 0)
        offset = table.rowViewportPosition(row) if (current.isValid() or top_row >= 0) else 0
        return _Anchor(current_id, current.row() if current.isValid() else -1, selected, offset, top_id)

    def _restore_anchor(self, anchor: _Anchor, *, keep_scroll: bool = True, advance: bool = False) -> None:
        """Select the same record again and keep it where it was on screen.

        The record is looked for among the pages that landed: for a re-read (`keep_scroll`: a
        refresh, an archive) those around its old row, and it is kept at the same height on
        screen; for a new query the first pages, where a new result starts. With `advance`, a
        current record that left the view (archived) gives way to the one that took its place,
        so triage moves on.
        """
        model = self._model
        selection_model = self._table.selectionModel()
        count = model.rowCount()
        if count == 0:
            if not keep_scroll and anchor.current_id is not None:
                self._left_id = anchor.current_id  # nothing matches "p" yet: "photonics" may
            self.no_record.emit()
            return
        row = model.find_row(anchor.current_id) if anchor.current_id is not None else None
        if row is None and anchor.current_id is not None and advance:
            row = min(max(anchor.current_row, 0), count - 1)
        if row is not None:
            selection = QItemSelection()
            for record_id in anchor.selected_ids:
                other = model.find_row(record_id) if record_id != anchor.current_id else row
                if other is not None:
                    selection.select(model.index(other, 0), model.index(other, len(COLUMNS) - 1))
            selection_model.blockSignals(True)
            selection_model.setCurrentIndex(model.index(row, 1), QItemSelectionModel.SelectionFlag.NoUpdate)
            selection_model.blockSignals(False)
            selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
            selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if keep_scroll:
                self._scroll_to(row, anchor.offset)
            else:
                self._table.scrollTo(model.index(row, 1))
            self._say_current(model.record_id(row))
            return
        if keep_scroll and anchor.top_id is not None:
            top = model.find_row(anchor.top_id)
            if top is not None:
                self._scroll_to(top, anchor.offset)
        if anchor.current_id is None:
            return
        if keep_scroll:
            self.record_stayed.emit(anchor.current_id)  # re-read in place: still shown on the right
        else:  # the new filter left it out: the pane shows what the table shows
            self._left_id = anchor.current_id
            self.record_left.emit(anchor.current_id)

    def _scroll_to(self, row: int, offset: int) -> None:
        bar = self._table.verticalScrollBar()
        height = self._table.rowHeight(row) or self._table.verticalHeader().defaultSectionSize()
        bar.setValue(max(0, row * height - offset))
