"""What the main window does: queries, selection, triage, notes, refresh, export and import.

The controller owns the UI thread's Store and the table model and wires the widgets of
`MainWindow` to them. Slow or bulk work (sidebar counts on a large store, export, import,
refresh) runs through `desktop.ui.worker` with its own Store, and comes back as plain data.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QMessageBox, QWidget

from db.safe_text import shown
from db.store import VIEW_DEFAULT_SORT, Query, Store, StoreError, UserChange
from desktop import health
from desktop.formatting import category_label, first_line, plain_tooltip, relative_time, status_label
from desktop.paths import user_sources_path
from desktop.refresh import RefreshSummary
from desktop.sources_file import SourcesFileError, default_sources_path, load_sources, source_row
from desktop.sources_writer import write_sources
from desktop.ui import settings
from desktop.ui.controllers.alerts import AlertsController
from desktop.ui.dialogs.about_dialog import AboutDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop.ui.dialogs.sources_dialog import SourcesDialog
from desktop.ui.links import open_in_browser
from desktop.ui.message_box import message_box, warn
from desktop.ui.note_saver import NOTE_SAVE_DELAY_MS as NOTE_SAVE_DELAY_MS  # the tests' pause
from desktop.ui.note_saver import QUICK_WAIT_S, NoteSaver
from desktop.ui.refresh_runner import RefreshRunner, SourceProgress
from desktop.ui.settings import WindowState
from desktop.ui.tracker_model import COL_STAR, COLUMNS, TrackerModel
from desktop.ui.views.filter_bar import DATE_RANGES, Filters
from desktop.ui.views.main_window import PAGE_FIRST_RUN, PAGE_NO_RESULTS, PAGE_TABLE, MainWindow
from desktop.ui.views.sidebar import SOURCE, TAG, VIEW, VIEW_LABELS
from desktop.ui.worker import Task, run_task
from scrapers.http import HttpClient
from scrapers.model import Source

logger = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
RELOAD_DURING_REFRESH_MS = 700
QUIT_WAIT_S = 2.0  # how long quitting waits for a note being saved in the background
MAX_BULK = 5000  # records one keystroke may change at once
UNDO_DEPTH = 50  # steps Ctrl+Z can go back
UNDO_MESSAGE_MS = 15_000  # how long the status line offers "Undo" (Ctrl+Z and the menu stay)
READ_COUNT_DELAY_MS = 400  # the Unread count follows J/K reading after this pause

DEFAULT_WIDTHS = {
    "star": 30,
    "title": 280,
    "category": 104,
    "jurisdiction": 66,
    "source": 124,
    "published": 112,
    "deadline": 112,
    "days_left": 84,
    "budget": 116,
    "status": 92,
    "tags": 150,
}

EMPTY_VIEW_TEXT = {
    "all": "No records yet. Press Refresh to fetch the sources.",
    "unread": "All caught up: nothing unread.",
    "starred": "Nothing starred yet. Star a record with Space or S.",
    "open_funding": "No open or forthcoming funding calls.",
    "closing_soon": "No deadline falls in the next 14 days.",
    "changed": "Nothing has changed since you last looked.",
    "notes": "No notes yet. Press N on a record to write one.",
    "archived": "Nothing archived. Archive a record with E.",
}


def read_sidebar_data(db_path: Path) -> dict[str, Any]:
    """Runs in a worker: the counts and lists the sidebar and filters show."""
    store = Store.open(db_path)
    try:
        return {
            "views": store.view_counts(),
            "tags": store.tag_counts(),
            "sources": store.source_rows(),
            "categories": store.categories(),
            "jurisdictions": store.jurisdictions(),
        }
    finally:
        store.close()


@dataclass(frozen=True)
class ExportResult:
    """An export's end: how many records went to `path`, or why it failed."""

    path: str
    rows: int = 0
    error: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """An import's end: its counts and the change Undo puts back, or why it failed."""

    path: str
    new: int = 0
    updated: int = 0
    changes: str = ""
    change: UserChange | None = None
    error: str | None = None


def export_view(db_path: Path, query: Query, path: Path) -> ExportResult:
    store = Store.open(db_path)
    try:
        rows = store.export_csv(path, query)
    finally:
        store.close()
    return ExportResult(str(path), rows)


def import_file(db_path: Path, path: Path) -> ImportResult:
    """Runs in a worker; the change it records is what Undo puts back."""
    store = Store.open(db_path)
    try:
        with store.recording() as change:
            result = store.import_csv(path)
    finally:
        store.close()
    return ImportResult(str(path), result.new, result.updated, result.changes_text(), change)


@dataclass
class _Anchor:
    """What to keep in place when the rows are re-read: the current record and where it sat."""

    current_id: int | None
    current_row: int
    selected_ids: list[int]
    offset: int  # the anchor row's distance from the top of the viewport, in pixels
    top_id: int | None
    top_row: int = 0


@dataclass(frozen=True)
class UndoStep:
    """One user action that Undo can take back: what the status line said, and what changed."""

    text: str
    change: UserChange
    current_id: int | None  # the record the action was made on: current again after Undo


class TrackerController(QObject):
    record_shown = Signal(int)
    note_saved = Signal(int)
    counts_updated = Signal()
    export_finished = Signal(ExportResult)
    import_finished = Signal(ImportResult)
    refresh_finished = Signal(RefreshSummary)
    query_applied = Signal(int)  # the number of rows now shown

    def __init__(
        self,
        window: MainWindow,
        store: Store,
        *,
        sources_path: Path | None = None,
        client_factory: Callable[[], HttpClient] | None = None,
        refresh_workers: int = 4,
        qsettings: QSettings | None = None,
        restore_state: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.db_path = store.path
        self.sources_path = sources_path
        self._qsettings = qsettings or QSettings()
        self._state = WindowState(self._qsettings)
        self._client_factory = client_factory or self._default_client
        self._choice: tuple[str, str] = (VIEW, "all")
        self._sorts: dict[str, tuple[str, bool]] = dict(VIEW_DEFAULT_SORT)
        self._sidebar_task: Task | None = None
        self._sidebar_again = False
        self._closed = False
        self._ending = False  # a signal or the session manager ends the app: no question
        self._first_run = False
        self._done_sources: list[str] = []
        self.undo_steps: list[UndoStep] = []
        self._recording = False

        self.model = TrackerModel(store, Query(), window, load=False)  # apply_query() counts
        table = window.table
        table.setModel(self.model)
        header = table.horizontalHeader()
        for number, column in enumerate(COLUMNS):
            if column.sort_key in DEFAULT_WIDTHS:
                table.setColumnWidth(number, DEFAULT_WIDTHS[column.sort_key])
        header.setSectionResizeMode(COL_STAR, QHeaderView.ResizeMode.Fixed)

        self.notes = NoteSaver(store, self)
        self.notes.saved.connect(self._on_note_saved)
        self.notes.state_changed.connect(self._show_note_state)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DURING_REFRESH_MS)
        self._reload_timer.timeout.connect(self._reload_after_refresh_progress)
        self._read_count_timer = QTimer(self)
        self._read_count_timer.setSingleShot(True)
        self._read_count_timer.setInterval(READ_COUNT_DELAY_MS)
        self._read_count_timer.timeout.connect(self.refresh_sidebar)

        self.runner = RefreshRunner(
            self.db_path, self._load_sources, self._client_factory, workers=refresh_workers, parent=self
        )
        self._connect()
        if restore_state:
            self._restore_state()
        self._apply_sort_indicator()
        self.sync_configured_sources()
        self.apply_query()
        self._update_first_run()
        self.refresh_sidebar()
        self.alerts = AlertsController(window, store, self._qsettings, self.start_refresh, parent=self)
        self.refresh_finished.connect(self.alerts.refresh_finished)
        window.close_guard = self._may_close
        if restore_state:
            QTimer.singleShot(0, self.restore_unsaved_notes)
        if restore_state and settings.get("refresh/on_start", self._qsettings):
            QTimer.singleShot(0, self.start_refresh)

    # -- wiring ------------------------------------------------------------------------------

    def _connect(self) -> None:
        w = self.window
        a = w.actions
        a["next"].triggered.connect(lambda: self.move(1))
        a["previous"].triggered.connect(lambda: self.move(-1))
        a["star"].triggered.connect(self.toggle_star)
        a["archive"].triggered.connect(self.toggle_archive)
        for status in ("new", "reviewing", "done", "archived"):
            a[f"status_{status}"].triggered.connect(lambda _=False, s=status: self.set_status(s))
        a["tag"].triggered.connect(self.focus_tag)
        a["note"].triggered.connect(self.focus_note)
        a["open"].triggered.connect(self.open_original)
        a["undo"].triggered.connect(self.undo)
        a["focus_sidebar"].triggered.connect(self.focus_sidebar)
        a["focus_table"].triggered.connect(lambda: self.focus_table(0))
        w.status_bar.undo_button.clicked.connect(self.undo)
        a["refresh"].triggered.connect(self.start_refresh)
        a["search"].triggered.connect(self.focus_search)
        a["clear_search"].triggered.connect(self.on_escape)
        a["export"].triggered.connect(self.choose_export)
        a["import"].triggered.connect(self.choose_import)
        a["sources"].triggered.connect(self.show_sources)
        a["settings"].triggered.connect(self.show_settings)
        a["shortcuts"].triggered.connect(self.show_shortcuts)
        a["quit"].triggered.connect(w.close)
        w.about_action.triggered.connect(self.show_about)

        w.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        w.table.doubleClicked.connect(lambda _index: self.open_original())
        w.table.clicked.connect(self._on_clicked)
        w.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        w.sidebar.chosen.connect(self.choose)
        w.sidebar.to_table.connect(self.focus_table)
        w.filter_bar.search_edited.connect(lambda _text: self._search_timer.start())
        w.filter_bar.filters_changed.connect(self.apply_query)
        w.active_filters.clear_button.clicked.connect(self.clear_filters)
        w.no_results.clear_button.clicked.connect(self.clear_filters)
        w.empty_state.refresh_button.clicked.connect(self.start_refresh)

        d = w.detail
        d.star_toggled.connect(self._on_detail_star)
        d.status_chosen.connect(self._on_detail_status)
        d.open_original_requested.connect(self.open_original)
        d.link_clicked.connect(open_in_browser)
        d.note_edited.connect(self._on_note_edited)
        d.note_focus_lost.connect(self.save_note_now)
        d.note_escape.connect(self._back_to_table)
        d.tags.tag_added.connect(self.add_tag)
        d.tags.tag_removed.connect(self.remove_tag)
        d.tags.editing_finished.connect(self._back_to_table)

        self.runner.started.connect(self._on_refresh_started)
        self.runner.source_done.connect(self._on_source_done)
        self.runner.finished.connect(self._on_refresh_finished)
        self.runner.failed.connect(self._on_refresh_failed)
        w.cancel_button.clicked.connect(self.cancel_refresh)
        w.closing.connect(self.shutdown)

    # -- the query -----------------------------------------------------------------------------

    def current_query(self) -> Query:
        return replace(self.model.query)

    def build_query(self, filters: Filters | None = None) -> Query:
        filters = filters or self.window.filter_bar.filters()
        kind, value = self._choice
        view = value if kind == VIEW else "all"
        sort, descending = self._sorts.get(view, ("published", True))
        return Query(
            search=filters.search,
            view=view,
            source_id=value if kind == SOURCE else None,
            category=filters.category,
            jurisdiction=filters.jurisdiction,
            status=filters.status,
            tag=filters.tag or (value if kind == TAG else None),
            date_from=filters.date_from,
            date_to=filters.date_to,
            sort=sort,
            descending=descending,
        )

    def apply_query(self) -> None:
        """Show the rows of the sidebar choice + filters + search, keeping the current record."""
        self._search_timer.stop()
        query = self.build_query()
        anchor = self._anchor()
        try:
            self.model.set_query(query)
        except StoreError as exc:
            self._status(f"Could not read the records: {exc}")
            return
        self._apply_sort_indicator()
        self._restore_anchor(anchor, keep_scroll=False)
        self._after_rows_changed()
        self.query_applied.emit(self.model.rowCount())

    def choose(self, kind: str, value: str) -> None:
        """A sidebar entry was picked: a view, a source or a tag."""
        self._choice = (kind, value)
        if kind == TAG:
            self.window.filter_bar.blockSignals(True)
            self.window.filter_bar.set_tag(None)
            self.window.filter_bar.blockSignals(False)
        self.apply_query()

    def clear_filters(self) -> None:
        """One click back to the whole view: no search, no filter, no source or tag scope."""
        self.window.filter_bar.clear()
        if self._choice[0] != VIEW:
            self._choice = (VIEW, "all")
        self.window.sidebar.select(*self._choice)
        self.apply_query()

    def _on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        view = self.model.query.view
        self._sorts[view] = (COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder)
        query = self.build_query()
        if (query.sort, query.descending) != (self.model.query.sort, self.model.query.descending):
            anchor = self._anchor()
            self.model.set_query(query)
            self._restore_anchor(anchor, keep_scroll=False)
            self._after_rows_changed()

    def _apply_sort_indicator(self) -> None:
        header = self.window.table.horizontalHeader()
        column = self.model.column_for_sort_key(self.model.query.sort)
        order = Qt.SortOrder.DescendingOrder if self.model.query.descending else Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() != column or header.sortIndicatorOrder() != order:
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)
            header.viewport().update()

    def _after_rows_changed(self) -> None:
        count = self.model.rowCount()
        self.window.count_label.setText(f"{count:,} record{'s' if count != 1 else ''}")
        self._describe_filters()
        if self._first_run:
            page = PAGE_FIRST_RUN
        elif count == 0:
            self.window.no_results.message.setText(self.empty_reason())
            page = PAGE_NO_RESULTS
        else:
            page = PAGE_TABLE
        self.window.centre_stack.setCurrentIndex(page)
        if self.window.detail.record_id is not None and count == 0:
            self.save_note_now()

    def scope_label(self) -> str:
        kind, value = self._choice
        if kind == VIEW:
            return VIEW_LABELS.get(value, value)
        label = self.window.sidebar.label_of(kind, value)
        return label if kind == SOURCE else f"tag “{label}”"

    def filter_phrases(self, filters: Filters | None = None) -> list[str]:
        filters = filters or self.window.filter_bar.filters()
        bar = self.window.filter_bar
        phrases = []
        if filters.category:
            phrases.append(f"Category: {category_label(filters.category)}")
        if filters.jurisdiction:
            phrases.append(f"Region: {filters.jurisdiction}")
        if filters.status:
            phrases.append(f"Status: {status_label(filters.status)}")
        if filters.tag:
            phrases.append(f"Tag: {filters.tag}")
        if bar.dates.currentIndex() > 0:
            key = bar.dates.currentData()
            if key == "custom" and filters.date_from and filters.date_to:
                phrases.append(f"Published {filters.date_from:%-d %b %Y} – {filters.date_to:%-d %b %Y}")
            else:
                phrases.append(f"Published: {dict(DATE_RANGES)[key].lower()}")
        return phrases

    def empty_reason(self) -> str:
        """Why the table is empty, in words: "No records match 'xyz' in Open funding"."""
        filters = self.window.filter_bar.filters()
        scope = self.scope_label()
        phrases = self.filter_phrases(filters)
        if filters.search:
            text = f"No records match ‘{filters.search}’ in {scope}"
            return text + (f" with {', '.join(phrases)}." if phrases else ".")
        if phrases:
            return f"No records in {scope} with {', '.join(phrases)}."
        kind, value = self._choice
        if kind == VIEW:
            return EMPTY_VIEW_TEXT.get(value, f"Nothing in {scope}.")
        if kind == SOURCE:
            return f"No records from {scope} yet."
        return f"No records with {scope}."

    def _describe_filters(self) -> None:
        filters = self.window.filter_bar.filters()
        phrases = []
        if filters.search:
            phrases.append(f"search ‘{filters.search}’")
        kind, _value = self._choice
        if kind != VIEW:
            phrases.append(
                self.scope_label().replace("tag ", "Tag: ")
                if kind == TAG
                else f"Source: {self.scope_label()}"
            )
        phrases += self.filter_phrases(filters)
        strip = self.window.active_filters
        if phrases:
            count = self.model.rowCount()
            view = VIEW_LABELS.get(self.model.query.view, "")
            strip.text.setText(f"{count:,} in {view} · " + " · ".join(phrases))
        strip.setVisible(bool(phrases))

    # -- selection and the detail pane -----------------------------------------------------------

    def current_record_id(self) -> int | None:
        index = self.window.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = self.window.table.selectionModel().selectedRows()
        if len(rows) > MAX_BULK:
            self._status(f"Select at most {MAX_BULK:,} records for one change.")
            return []
        ids = [self.model.record_id(index.row()) for index in rows]
        current = self.current_record_id()
        chosen = [i for i in ids if i is not None]
        if not chosen and current is not None:
            chosen = [current]
        return chosen

    def select_row(self, row: int) -> None:
        table = self.window.table
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 1)
        table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        table.scrollTo(index)

    def move(self, step: int) -> None:
        current = self.window.table.currentIndex()
        row = current.row() + step if current.isValid() else 0
        self.select_row(max(0, min(row, self.model.rowCount() - 1)))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.save_note_now()
        record_id = self.model.record_id(current.row()) if current.isValid() else None
        self.show_record(record_id)

    def show_record(self, record_id: int | None) -> None:
        detail = self.window.detail
        if record_id is None:
            detail.show_record(None)
            return
        try:
            record = self.store.record(record_id)
            versions = self.store.versions(record_id) if record else []
        except StoreError as exc:
            self._status(f"Could not read the record: {exc}")
            return
        if record is None:  # deleted meanwhile
            detail.show_record(None)
            return
        pending = self.notes.pending_text(record_id)
        if pending is not None and detail.note_record_id != record_id:
            record = {**record, "note": pending}  # what the user typed, not yet in the store
        detail.show_record(
            record, versions, same_record=detail.record_id == record_id, now=self.store.clock()
        )
        if not record.get("read_at"):
            self._mark_read(record_id)
        if pending is not None:
            self._show_note_state(record_id)
        self.record_shown.emit(record_id)

    def _mark_read(self, record_id: int) -> None:
        try:
            # Showing a record must not wait for another program's write lock; a read mark
            # that could not be set is set the next time the record is shown.
            self.store.mark_read([record_id], wait_s=QUICK_WAIT_S)
        except StoreError as exc:
            self._status(f"Could not mark it read: {exc}")
            return
        self.model.update_rows([record_id], read_at="read")
        if not self._recording:  # an action refreshes the counts itself when it ends
            self._read_count_timer.start()

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_STAR:
            record_id = self.model.record_id(index.row())
            row = self.model.row(index.row())
            if record_id is not None and row is not None:
                self._set_starred([record_id], not row.get("starred"))

    # -- keeping the place when rows are re-read ----------------------------------------------

    def _anchor(self) -> _Anchor:
        table = self.window.table
        current = table.currentIndex()
        current_id = self.model.record_id(current.row()) if current.isValid() else None
        selected = [
            i
            for i in (self.model.record_id(x.row()) for x in table.selectionModel().selectedRows()[:MAX_BULK])
            if i is not None
        ]
        top_row = table.rowAt(0)
        top_id = self.model.record_id(top_row) if top_row >= 0 else None
        row = current.row() if current.isValid() else max(top_row, 0)
        offset = table.rowViewportPosition(row) if (current.isValid() or top_row >= 0) else 0
        return _Anchor(
            current_id, current.row() if current.isValid() else -1, selected, offset, top_id, max(top_row, 0)
        )

    def _restore_anchor(self, anchor: _Anchor, *, keep_scroll: bool = True, advance: bool = False) -> None:
        """Select the same record again and keep it where it was on screen.

        With `keep_scroll` (the same query re-read: a refresh, an archive) the record is looked
        for around its old row and kept at the same height on screen; without (a new query) only
        near the top, where a new result starts. With `advance`, a current record that left the
        view (archived) gives way to the one that took its place, so triage moves on.
        """
        table = self.window.table
        model = self.model
        selection_model = table.selectionModel()
        count = model.rowCount()
        if count == 0:
            self.show_record(None)
            return
        near, radius = (anchor.current_row, 3) if keep_scroll else (0, 1)
        row = (
            model.find_row(anchor.current_id, near=near, radius_pages=radius)
            if anchor.current_id is not None
            else None
        )
        if row is None and anchor.current_id is not None and advance:
            row = min(max(anchor.current_row, 0), count - 1)
        if row is not None:
            selection = QItemSelection()
            for record_id in anchor.selected_ids:
                other = (
                    model.find_row(record_id, near=row, radius_pages=0)
                    if record_id != anchor.current_id
                    else row
                )
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
                table.scrollTo(model.index(row, 1))
            new_id = model.record_id(row)
            if new_id != self.window.detail.record_id:
                self.save_note_now()
                self.show_record(new_id)
            elif new_id is not None:
                self.show_record(new_id)
            return
        if keep_scroll and anchor.top_id is not None:
            top = model.find_row(anchor.top_id, near=anchor.top_row, radius_pages=1)
            if top is not None:
                self._scroll_to(top, anchor.offset)
        if anchor.current_id is None or self.window.detail.record_id != anchor.current_id:
            return
        if keep_scroll:
            self.show_record(anchor.current_id)  # re-read in place: still shown on the right
        else:  # the new filter left it out: the pane shows what the table shows
            self.save_note_now()
            self.show_record(None)

    def _scroll_to(self, row: int, offset: int) -> None:
        table = self.window.table
        bar = table.verticalScrollBar()
        height = table.rowHeight(row) or table.verticalHeader().defaultSectionSize()
        bar.setValue(max(0, row * height - offset))

    def _reload_at(self, record_id: int | None) -> None:
        """Re-read the rows with `record_id` current (where an undone action was made), so
        that Undo does not show, and mark read, the record the action had moved on to."""
        anchor = self._anchor()
        if record_id is not None:
            kept = anchor.selected_ids if record_id in anchor.selected_ids else [record_id]
            anchor = replace(anchor, current_id=record_id, selected_ids=kept)
        try:
            self.model.reload()
        except StoreError as exc:
            self._status(f"Could not read the records: {exc}")
            return
        self._restore_anchor(anchor, keep_scroll=True)
        self._after_rows_changed()

    def reload_keeping_place(self, *, advance: bool = False) -> None:
        anchor = self._anchor()
        try:
            self.model.reload()
        except StoreError as exc:
            self._status(f"Could not read the records: {exc}")
            return
        self._restore_anchor(anchor, keep_scroll=True, advance=advance)
        self._after_rows_changed()

    # -- triage ----------------------------------------------------------------------------------

    def toggle_star(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self._cached_row(i) for i in ids]
        starred = not all(r is not None and r.get("starred") for r in rows)
        self._set_starred(ids, starred)

    def _set_starred(self, ids: list[int], starred: bool) -> None:
        text = f"{'Starred' if starred else 'Unstarred'} {_records(len(ids))}."
        with self._undoable(text):
            try:
                self.store.set_starred(ids, starred)
            except StoreError as exc:
                self._status(f"Not saved: {exc}")
                return
            self.model.update_rows(ids, starred=starred)
            if self.window.detail.record_id in ids:
                self.window.detail.set_star(starred)
            if self.model.query.view == "starred":
                self.reload_keeping_place(advance=True)
        self.refresh_sidebar()

    def toggle_archive(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self._cached_row(i) for i in ids]
        restore = all(r is not None and r.get("status") == "archived" for r in rows)
        self.set_status("new" if restore else "archived", ids)

    def set_status(self, status: str, ids: list[int] | None = None) -> None:
        ids = ids if ids is not None else self.selected_ids()
        if not ids:
            return
        with self._undoable(f"{_records(len(ids)).capitalize()} marked {status_label(status)}."):
            try:
                self.store.set_status(ids, status)
            except StoreError as exc:
                self._status(f"Not saved: {exc}")
                return
            self.model.update_rows(ids, status=status)
            if self.window.detail.record_id in ids:
                self.window.detail.set_status(status)
            query = self.model.query
            if status == "archived" or query.view == "archived" or query.status:
                self.reload_keeping_place(advance=True)
        self.refresh_sidebar()

    def _on_detail_star(self, starred: bool) -> None:
        record_id = self.window.detail.record_id
        if record_id is not None:
            self._set_starred([record_id], starred)

    def _on_detail_status(self, status: str) -> None:
        record_id = self.window.detail.record_id
        if record_id is not None:
            self.set_status(status, [record_id])

    def _tag_targets(self) -> list[int]:
        """The selected records when the shown one is among them, else just the shown one."""
        shown = self.window.detail.record_id
        ids = self.selected_ids()
        if shown is not None and shown not in ids:
            return [shown]
        return ids

    def add_tag(self, name: str) -> None:
        ids = self._tag_targets()
        if not ids:
            return
        with self._undoable(f"Tagged {_records(len(ids))} “{name}”."):
            try:
                self.store.add_tag(ids, name)
            except (StoreError, ValueError) as exc:
                self._status(f"Tag not added: {exc}")
                return
            self._after_tag_change(ids)

    def remove_tag(self, name: str) -> None:
        record_id = self.window.detail.record_id
        if record_id is None:
            return
        with self._undoable(f"Removed the tag “{name}”."):
            try:
                self.store.remove_tag([record_id], name)
            except (StoreError, ValueError) as exc:
                self._status(f"Tag not removed: {exc}")
                return
            self._after_tag_change([record_id])

    def _after_tag_change(self, ids: list[int]) -> None:
        for record_id in ids:
            record = self.store.record(record_id)
            if record is not None:
                self.model.update_rows([record_id], tags=record.get("tags_text") or "; ".join(record["tags"]))
                if record_id == self.window.detail.record_id:
                    self.window.detail.tags.set_tags(list(record["tags"]))
        if self.model.query.tag:
            self.reload_keeping_place(advance=True)
        self.refresh_sidebar()

    def focus_tag(self) -> None:
        if self.window.detail.record_id is not None:
            self.window.detail.tags.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_note(self) -> None:
        if self.window.detail.record_id is not None:
            note = self.window.detail.note
            note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            note.moveCursor(note.textCursor().MoveOperation.End)

    def focus_sidebar(self) -> None:
        sidebar = self.window.sidebar
        sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if sidebar.currentItem() is None:
            sidebar.select(*self._choice)

    def focus_table(self, step: int = 0) -> None:
        """Go to the records (Enter, J or K in the sidebar, Ctrl+2); J/K also move at once."""
        self.save_note_now()
        self.window.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if step:
            self.move(step)

    def focus_search(self) -> None:
        search = self.window.filter_bar.search
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    def on_escape(self) -> None:
        """Esc: leave the note or tag field for the table; elsewhere clear the search."""
        focus = QApplication.focusWidget()
        detail = self.window.detail
        if focus is not None and (focus is detail.note or focus is detail.tags.input):
            if focus is detail.tags.input:
                detail.tags.input.clear()
            self._back_to_table()
            return
        self.clear_filters()
        self.window.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _back_to_table(self) -> None:
        self.save_note_now()
        self.window.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_original(self) -> None:
        record_id = self.window.detail.record_id or self.current_record_id()
        if record_id is None:
            return
        row = self._cached_row(record_id)
        url = row.get("url") if row else None
        if url is None:
            record = self.store.record(record_id)
            url = record.get("url") if record else None
        if not open_in_browser(url):
            self._status("This record has no web address that can be opened.")

    def _cached_row(self, record_id: int) -> dict[str, Any] | None:
        row_number = self.model.find_row(
            record_id, near=max(self.window.table.currentIndex().row(), 0), radius_pages=0
        )
        return self.model.row(row_number) if row_number is not None else None

    # -- undo ------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _undoable(self, text: str) -> Iterator[None]:
        """Record what the block changes (read marks of records it shows included) as one
        Undo step, and say `text` with an Undo link when something did change."""
        if self._recording:  # inside another action: that one records
            yield
            return
        self._recording = True
        current = self.window.detail.record_id or self.current_record_id()
        recorder = contextlib.ExitStack()
        change: UserChange | None = None
        try:
            try:
                change = recorder.enter_context(self.store.recording())
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
            self._status(f"{text} (This one cannot be undone.)", timeout=UNDO_MESSAGE_MS)

    def _push_undo(self, step: UndoStep) -> None:
        self.undo_steps = [*self.undo_steps, step][-UNDO_DEPTH:]
        self.window.actions["undo"].setEnabled(True)
        self.window.actions["undo"].setText(f"&Undo: {step.text.rstrip('.')}")
        self._status(step.text, timeout=UNDO_MESSAGE_MS, undo=True)

    def undo(self) -> None:
        """Take back the last recorded action: exactly the values it replaced, on exactly the
        records it changed; a value changed again since is kept (db/undo.py)."""
        if not self.undo_steps:
            self._status("Nothing to undo.", timeout=3000)
            return
        self.save_note_now()
        step = self.undo_steps[-1]
        try:
            result = self.store.undo(step.change)
        except StoreError as exc:
            self._status(f"Not undone: {exc}")
            return
        self.undo_steps = self.undo_steps[:-1]
        action = self.window.actions["undo"]
        action.setEnabled(bool(self.undo_steps))
        action.setText(f"&Undo: {self.undo_steps[-1].text.rstrip('.')}" if self.undo_steps else "&Undo")
        text = f"Undone: {step.text}"
        if result.removed:
            text += f" {_records(result.removed).capitalize()} it added removed."
        if result.kept:
            text += f" {_records(result.kept).capitalize()} changed again since kept as they are."
        self._update_first_run()
        self._reload_at(step.current_id)
        shown = self.window.detail.record_id
        if shown is not None and shown in step.change.record_ids:
            self.window.detail.record_id = None  # read again in full, the note editor too
            self.show_record(shown)
        self.refresh_sidebar()
        self._status(text, timeout=UNDO_MESSAGE_MS)

    # -- the note (desktop/ui/note_saver.py keeps each pending note until it is saved) -------------

    def _on_note_edited(self, record_id: int, text: str) -> None:
        self.notes.edit(record_id, text, base=self.window.detail.note_loaded_text)

    def save_note_now(self) -> bool:
        """Save pending notes now (after the pause, on focus loss, on leaving, on close);
        True when none is left. One that fails stays pending and is retried in the background."""
        saved = self.notes.save_now()
        if not saved:
            error = self.notes.first_error()
            self._status(
                f"The note could not be saved yet: {shown(error, 300)} It is kept, and saved as soon "
                "as the data file allows."
            )
        return saved

    def _on_note_saved(self, record_id: int, text: str) -> None:
        self.model.update_rows([record_id], note_first_line=first_line(text))
        self.note_saved.emit(record_id)

    def _show_note_state(self, record_id: int) -> None:
        detail = self.window.detail
        if detail.note_record_id != record_id:
            return
        error = self.notes.error(record_id)
        if error is not None:
            detail.set_note_state(
                "Not saved yet — retrying",
                unsaved=True,
                why=f"{shown(error, 200)} Your text is kept here and saved as soon as the data file "
                "allows; quitting now offers to keep it in a recovery file.",
            )
        elif self.notes.pending_text(record_id) is not None:
            detail.set_note_state("Editing…")
        else:
            detail.set_note_state("Saved")

    # -- sidebar counts ------------------------------------------------------------------------------

    def refresh_sidebar(self) -> None:
        """Re-read counts in the background; coalesces calls made while one is running."""
        if self._closed:
            return
        if self._sidebar_task is not None:
            self._sidebar_again = True
            return
        self._sidebar_task = run_task(
            read_sidebar_data, self.db_path, on_result=self._on_sidebar_data, on_error=self._on_sidebar_error
        )

    def _on_sidebar_data(self, data: dict[str, Any]) -> None:
        self._sidebar_task = None
        if self._closed:
            return
        w = self.window
        w.sidebar.set_view_counts(data["views"])
        w.sidebar.set_sources(data["sources"], self.store.clock())
        w.sidebar.set_tags(data["tags"])
        if self.runner.running:
            self._mark_running_sources()
        tags = [name for name, _count in data["tags"]]
        w.detail.tags.set_known_tags(tags)
        w.filter_bar.blockSignals(True)
        w.filter_bar.set_choices(data["categories"], data["jurisdictions"], tags)
        w.filter_bar.blockSignals(False)
        self._show_last_refresh(data["sources"])
        w.empty_state.set_sources(
            [s["name"] for s in data["sources"] if s.get("enabled")] or self._source_names()
        )
        if self._sidebar_again:
            self._sidebar_again = False
            self.refresh_sidebar()
        self.counts_updated.emit()

    def _on_sidebar_error(self, message: str) -> None:
        self._sidebar_task = None
        self._status(f"Could not count the records: {message}")

    def _show_last_refresh(self, rows: list[dict[str, Any]]) -> None:
        successes = [r["last_success_at"] for r in rows if r.get("last_success_at")]
        label = self.window.last_refresh_label
        if not successes:
            label.setText("Never refreshed")
            return
        last = max(successes)
        failing = [r for r in rows if health.source_health(r, self.store.clock()).state == health.FAILING]
        changed = [
            r for r in rows if health.source_health(r, self.store.clock()).state == health.SITE_CHANGED
        ]
        text = f"Last refresh: {relative_time(last, now=self.store.clock())}"
        if failing:
            text += f" · {len(failing)} failing"
        if changed:
            text += f" · {len(changed)} source{'s' if len(changed) != 1 else ''} may have changed"
        label.setText(text)
        label.setToolTip(
            plain_tooltip(
                "The last time a source was fetched successfully."
                + (f"\nFailing: {', '.join(r['name'] for r in failing)}" if failing else "")
                + (
                    f"\nSite changed?: {', '.join(r['name'] for r in changed)} (see Sources)"
                    if changed
                    else ""
                )
            )
        )

    def _update_first_run(self) -> None:
        """A store with no record at all, and no filter: greet the user with a big Refresh."""
        if self.model.rowCount() > 0:
            empty = False  # rows on screen: no need to count the whole store
        else:
            try:
                empty = self.store.count(Query()) == 0 and self.store.count(Query(view="archived")) == 0
            except StoreError:
                empty = False
        was = self._first_run
        self._first_run = empty
        if empty:
            self.window.empty_state.set_sources(self._source_names())
        if was != empty:
            self._after_rows_changed()

    def _source_names(self) -> list[str]:
        try:
            return [s.name for s in self._load_sources() if s.enabled]
        except (SourcesFileError, OSError):
            return []

    # -- refresh ---------------------------------------------------------------------------------

    def _load_sources(self) -> list[Source]:
        return load_sources(self.sources_path or default_sources_path())

    def _default_client(self) -> HttpClient:
        return HttpClient(per_host_delay=settings.get("refresh/per_host_delay", self._qsettings))

    def sync_configured_sources(self) -> None:
        """Show every configured source in the sidebar, fetched or not (as the refresh will)."""
        try:
            self.store.sync_sources([source_row(s) for s in self._load_sources()])
        except SourcesFileError as exc:  # the window still opens, and says why nothing refreshes
            logger.warning("sources file not usable: %s", exc)
            self._status(f"The sources file cannot be used: {shown(exc)}")
        except (StoreError, OSError) as exc:
            logger.info("sources not synced: %s", exc)

    def start_refresh(self) -> bool:
        if self._closed:
            return False
        self.save_note_now()
        self.sync_configured_sources()
        return self.runner.start()

    def cancel_refresh(self) -> None:
        self.runner.cancel()
        self.window.cancel_button.setEnabled(False)
        self._status("Cancelling: waiting for the sources being fetched…")

    def _on_refresh_started(self, total: int) -> None:
        w = self.window
        w.actions["refresh"].setEnabled(False)
        w.empty_state.refresh_button.setEnabled(False)
        w.empty_state.refresh_button.setText("Refreshing…")
        w.progress.setRange(0, max(total, 1))
        w.progress.setValue(0)
        w.progress.setVisible(True)
        w.cancel_button.setEnabled(True)
        w.cancel_button.setVisible(True)
        self._mark_running_sources()
        self._status(f"Refreshing {total} source{'s' if total != 1 else ''}…")

    def _mark_running_sources(self) -> None:
        done = set(self._done_sources)
        for source_id in self.runner.enabled_ids:
            if source_id not in done:
                self.window.sidebar.mark_source(source_id, health.RUNNING, "")

    def _on_source_done(self, progress: SourceProgress) -> None:
        if self._closed:
            return
        outcome = progress.outcome
        self._done_sources = [*self._done_sources, outcome.source_id]
        w = self.window
        w.progress.setValue(progress.done)
        if outcome.error:
            w.sidebar.mark_source(outcome.source_id, health.FAILING, outcome.error)
        elif outcome.site_changed:
            w.sidebar.mark_source(outcome.source_id, health.SITE_CHANGED, outcome.line())
        else:
            w.sidebar.mark_source(outcome.source_id, health.OK, outcome.line())
        self._status(f"{progress.done} of {progress.total}: {outcome.line()}")
        if outcome.new or outcome.changed:
            if self._first_run:  # the first records: leave the empty state at once
                self.reload_keeping_place()
                self._update_first_run()
            elif not self._reload_timer.isActive():
                self._reload_timer.start()

    def _reload_after_refresh_progress(self) -> None:
        if not self._closed:
            self.reload_keeping_place()
            self.refresh_sidebar()

    def _on_refresh_finished(self, summary: RefreshSummary) -> None:
        self._done_sources = []
        self._end_refresh_ui()
        if self._closed:
            self.refresh_finished.emit(summary)
            return
        self._reload_timer.stop()
        self._update_first_run()
        self.reload_keeping_place()
        self.refresh_sidebar()
        text = f"Refresh done: {summary.text()}."
        if summary.failed:
            names = ", ".join(o.name for o in summary.failed[:3])
            text += f" Failing: {names} (see Sources)."
        self._status(text)
        self.refresh_finished.emit(summary)

    def _on_refresh_failed(self, message: str) -> None:
        self._done_sources = []
        self._end_refresh_ui()
        if self._closed:
            return
        self._status(f"Refresh did not run: {message}")
        warn(self.window, "Refresh did not run", shown(message, 2000))

    def _end_refresh_ui(self) -> None:
        w = self.window
        w.actions["refresh"].setEnabled(True)
        w.empty_state.refresh_button.setEnabled(True)
        w.empty_state.refresh_button.setText("Refresh now")
        w.progress.setVisible(False)
        w.cancel_button.setVisible(False)

    # -- export / import -----------------------------------------------------------------------------

    def choose_export(self) -> None:
        view = self.model.query.view.replace("_", "-")
        suggested = Path.home() / f"policy-tracker-{view}-{date.today():%Y-%m-%d}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export the current view to CSV",
            str(suggested),
            "CSV files (*.csv)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked below, whichever dialog it was
        )
        if path and (not Path(path).exists() or self.confirm_overwrite(Path(path))):
            self.export_to(Path(path))

    def confirm_overwrite(self, path: Path) -> bool:
        """Ask before an export replaces a file (a native dialog may not ask; No is the default)."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = message_box(
            self.window,
            "Replace the file?",
            f"{shown(path.name)} already exists in {shown(path.parent)}.",
            "Exporting replaces it with the records of this view.",
            icon=QMessageBox.Icon.Question,
            buttons=buttons,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def export_to(self, path: Path) -> Task:
        """Write what the table shows (its filters and order) to `path`, in the background."""
        self.save_note_now()
        query = self.current_query()
        self._status(f"Exporting {self.model.rowCount():,} records…")
        return run_task(
            export_view,
            self.db_path,
            query,
            path,
            on_result=self._on_exported,
            on_error=lambda message: self._on_exported(ExportResult(str(path), error=message)),
        )

    def _on_exported(self, result: ExportResult) -> None:
        if result.error is not None:
            self._status(f"Export failed: {result.error}")
            if not self._closed:
                warn(self.window, "Export failed", shown(result.path), shown(result.error, 2000))
        else:
            self._status(f"Exported {_records(result.rows)} to {result.path}.")
        self.export_finished.emit(result)

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import records from CSV", str(Path.home()), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> Task:
        self.save_note_now()
        self._status(f"Importing {path.name}…")
        return run_task(
            import_file,
            self.db_path,
            path,
            on_result=self._on_imported,
            on_error=lambda message: self._on_imported(ImportResult(str(path), error=message)),
        )

    def _on_imported(self, result: ImportResult) -> None:
        if result.error is not None:
            self._status(f"Import failed: {result.error}")
            if not self._closed:
                warn(self.window, "Import failed", shown(result.path), shown(result.error, 2000))
        elif not self._closed:
            self._update_first_run()
            self.reload_keeping_place()
            self.refresh_sidebar()
            changes = f" ({result.changes})" if result.changes else ""
            text = f"Imported {result.path}: {result.new} new, {result.updated} updated{changes}."
            if result.change:
                self._push_undo(UndoStep(text, result.change, self.window.detail.record_id))
            else:
                self._status(text)
        self.import_finished.emit(result)

    # -- dialogs -------------------------------------------------------------------------------------

    def sources_target(self) -> Path:
        """Where the Sources dialog saves: the file given with --sources, else the user's own."""
        return self.sources_path or user_sources_path()

    def make_sources_dialog(self) -> SourcesDialog | None:
        try:
            sources = self._load_sources()
            rows = self.store.source_rows()
        except (SourcesFileError, StoreError) as exc:
            warn(self.window, "Sources", shown(exc, 2000))
            return None
        return SourcesDialog(
            sources,
            rows,
            sources_path_text=str(self.sources_target()),
            per_host_delay=settings.get("refresh/per_host_delay", self._qsettings),
            now=self.store.clock(),
            parent=self.window,
        )

    def show_sources(self) -> None:
        dialog = self.make_sources_dialog()
        if dialog is None:
            return
        if dialog.exec() == dialog.DialogCode.Accepted and dialog.changed:
            self.save_sources(dialog.result_sources())

    def save_sources(self, sources: list[Source]) -> bool:
        try:
            write_sources(self.sources_target(), sources)
            self.store.sync_sources([source_row(s) for s in sources])
        except (SourcesFileError, StoreError, OSError) as exc:
            warn(self.window, "Sources not saved", shown(exc, 2000))
            return False
        self._status(f"Sources saved to {self.sources_target()}.")
        self.refresh_sidebar()
        return True

    def show_settings(self) -> None:
        SettingsDialog(self._qsettings, self.window).exec()
        self.alerts.settings_changed()

    def show_about(self) -> None:
        AboutDialog(self.db_path, self.sources_path or default_sources_path(), self.window).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.window).exec()

    # -- window state ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        w = self.window
        state = self._state
        if (geometry := state.bytes(WindowState.GEOMETRY)) is not None:
            w.restoreGeometry(geometry)
        if (splitter := state.bytes(WindowState.MAIN_SPLITTER)) is not None:
            w.splitter.restoreState(splitter)
        if (detail := state.bytes(WindowState.DETAIL_SPLITTER)) is not None:
            w.detail.splitter.restoreState(detail)
        if (header := state.bytes(WindowState.HEADER)) is not None:
            w.table.horizontalHeader().blockSignals(True)
            w.table.horizontalHeader().restoreState(header)
            w.table.horizontalHeader().blockSignals(False)
        self._sorts.update(state.sorts())
        kind, _, value = state.text(WindowState.VIEW, "view:all").partition(":")
        if kind in (VIEW, SOURCE, TAG) and value:
            if kind == VIEW and value not in VIEW_LABELS:
                return
            self._choice = (kind, value)
        w.sidebar.select(*self._choice)

    def save_state(self) -> None:
        w = self.window
        state = self._state
        state.set_bytes(WindowState.GEOMETRY, w.saveGeometry())
        state.set_bytes(WindowState.MAIN_SPLITTER, w.splitter.saveState())
        state.set_bytes(WindowState.DETAIL_SPLITTER, w.detail.splitter.saveState())
        state.set_bytes(WindowState.HEADER, w.table.horizontalHeader().saveState())
        state.set_sorts(self._sorts)
        state.set_text(WindowState.VIEW, f"{self._choice[0]}:{self._choice[1]}")
        state.sync()

    def confirm_close(self) -> bool:
        """The user asks to quit: True when every note is saved, or the user chose to keep the
        unsaved ones in the recovery file; False (stay open) when the user cancelled."""
        while not self.notes.save_all(QUIT_WAIT_S):
            count = len(self.notes.pending_ids())
            box = message_box(
                self.window,
                "A note is not saved",
                f"{count} note{'s are' if count != 1 else ' is'} not saved yet: "
                f"{shown(self.notes.first_error(), 300)}",
                "Try again, keep the note in a recovery file in the data folder (it is put back "
                "when the app starts again) and quit, or cancel and stay.",
                buttons=QMessageBox.StandardButton.Cancel,
            )
            retry = box.addButton("Try Again", QMessageBox.ButtonRole.AcceptRole)
            keep = box.addButton("Keep in Recovery File and Quit", QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(retry)
            box.exec()
            if box.clickedButton() is keep:
                return self._keep_unsaved_notes()
            if box.clickedButton() is not retry:
                return False
        return True

    def _may_close(self) -> bool:
        return self._ending or self.confirm_close()

    def end_session(self) -> None:
        """A signal or the session manager ends the app: save what can be saved at once,
        write the rest to the recovery file, keep the layout; never ask."""
        self._ending = True
        self.notes.save_all(QUIT_WAIT_S)
        self._keep_unsaved_notes()
        self.save_state()

    def commit_session(self) -> None:
        """The session manager asks to save before logout (it may still be cancelled): save what
        can be saved, keep the rest in the recovery file, keep the layout."""
        self.notes.save_all(QUIT_WAIT_S)
        self._keep_unsaved_notes()
        self.save_state()

    def _keep_unsaved_notes(self) -> bool:
        try:
            path = self.notes.write_recovery()
        except OSError as exc:
            logger.error("unsaved notes not written to the recovery file: %s", exc)
            if not self._ending:
                warn(self.window, "Notes not kept", f"The recovery file cannot be written: {shown(exc)}")
            return False
        if path is not None:
            self._status(f"Unsaved notes kept in {path}.")
        return True

    def restore_unsaved_notes(self) -> None:
        """At start: notes a previous session could not save go back to their records."""
        try:
            found = self.notes.recover()
        except OSError as exc:
            logger.error("recovery file not read: %s", exc)
            return
        if found is None or not (found.restored or found.kept):
            return
        lines = []
        if found.restored:
            lines.append(
                f"{found.restored} note{'s' if found.restored != 1 else ''} typed in the last session "
                "had not been saved; they are back in their records and being saved now."
            )
        if found.kept:
            lines.append(
                "Kept in the recovery file, not restored: "
                + "; ".join(shown(k, 200) for k in found.kept)
                + "."
            )
        self._status(" ".join(lines))
        box = message_box(
            self.window,
            "Unsaved notes restored",
            "\n\n".join(lines),
            f"Recovery file: {shown(found.path)}",
            icon=QMessageBox.Icon.Information,
        )
        box.open()  # not modal to the app: the window works while it shows
        self.notes.save_now()

    def shutdown(self) -> None:
        """The window is closing: keep the note and the layout, stop the refresh."""
        if self._closed:
            return
        if not self.notes.save_now():
            self._keep_unsaved_notes()
        self.notes.stop()
        self.save_state()
        self._closed = True
        if self.runner.running:
            self.runner.cancel()
            self.runner.wait(10_000)

    # -- helpers -------------------------------------------------------------------------------------

    def _status(self, text: str, timeout: int = 0, *, undo: bool = False) -> None:
        self.window.status_bar.showMessage(text, timeout, undo=undo)
        logger.debug("status: %s", text)


def _records(count: int) -> str:
    return f"{count:,} record{'s' if count != 1 else ''}"


def build_window(
    store: Store,
    *,
    sources_path: Path | None = None,
    client_factory: Callable[[], HttpClient] | None = None,
    refresh_workers: int = 4,
    restore_state: bool = True,
    parent: QWidget | None = None,
) -> tuple[MainWindow, TrackerController]:
    """The main window and its controller, wired to `store`."""
    window = MainWindow(parent)
    controller = TrackerController(
        window,
        store,
        sources_path=sources_path,
        client_factory=client_factory,
        refresh_workers=refresh_workers,
        restore_state=restore_state,
    )
    return window, controller
