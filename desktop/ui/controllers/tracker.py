"""The main window's controller: builds the controllers of each concern and wires them.

Each controller in this package owns one concern and only the widgets it needs (query: what
the table is asked for; place: the user's row, selection and scroll; triage: star, status,
tags, Undo; notes: the shown record and its note; columns: each view's columns; counts: the
sidebar's numbers; refreshing; transfer: export and import; sources). None imports another:
they say what happened through Qt signals, and this module connects them, maps the window's
actions (menus and keys) to them, keeps the window's layout between sessions and shuts
everything down in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from db.store import Store
from desktop.refresh import RefreshSummary
from desktop.sources_file import default_sources_path
from desktop.ui import settings, table_selection
from desktop.ui.controllers.alerts import AlertsController
from desktop.ui.controllers.brief import BriefController, BriefScope, saved_text
from desktop.ui.controllers.calendar import CalendarController
from desktop.ui.controllers.columns import ColumnsController
from desktop.ui.controllers.counts import CountsController
from desktop.ui.controllers.notes import NotesController
from desktop.ui.controllers.place import PlaceController
from desktop.ui.controllers.query import QueryController
from desktop.ui.controllers.reading import ReadingController
from desktop.ui.controllers.refreshing import RefreshingController
from desktop.ui.controllers.row_menu import RowMenuController
from desktop.ui.controllers.sources import SourcesController
from desktop.ui.controllers.tags import TagsController
from desktop.ui.controllers.transfer import ExportResult, ImportResult, TransferController
from desktop.ui.controllers.triage import UNDO_MESSAGE_MS, TriageController, UndoStep
from desktop.ui.controllers.watchlists import WatchlistsController
from desktop.ui.dialogs.about_dialog import AboutDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop.ui.links import open_in_browser
from desktop.ui.settings import WindowState
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.main_window import MainWindow
from scrapers.http import HttpClient

logger = logging.getLogger(__name__)


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
        self.sources_path = sources_path
        self._qsettings = qsettings or QSettings()
        self._state = WindowState(self._qsettings)
        self._closed = False
        self._ending = False  # a signal or the session manager ends the app: no question

        self.model = TrackerModel(store, window)  # apply_query() asks for the first rows
        window.table.setModel(self.model)
        self.columns = ColumnsController(
            window.table, window.column_menu, self._qsettings, self, stored=restore_state
        )
        self.query = QueryController(window, store, self.model, sources_path)
        self.place = PlaceController(window.table, self.model, self)
        self.notes = NotesController(store, self.model, window.detail, self)
        self.triage = TriageController(
            store, self.model, window.table, window.detail, window.actions["undo"], self
        )
        self.reading = ReadingController(
            store, self.model, window.table, window.detail, window.selection_summary, self._qsettings, self
        )
        self.row_menu = RowMenuController(store, self.model, window.table, window.actions, self)
        self.counts = CountsController(window, store, sources_path)
        self.sources = SourcesController(window, store, sources_path, self._qsettings)
        self.refreshing = RefreshingController(
            window,
            store.path,
            self.sources.load_sources,
            client_factory or self._default_client,
            refresh_workers,
        )
        self.transfer = TransferController(window, store.path, self.model)
        self.watchlists = WatchlistsController(window, store, self)
        self.tags = TagsController(window, store, self)
        self.calendar = CalendarController(window, store.path, self.model, self._qsettings)
        self.query.watchlist_query = self.watchlists.query_for
        self.watchlists.sidebar_data = lambda: self.counts.latest
        self.sources.sidebar_data = lambda: self.counts.latest
        self._connect_controllers()
        self._connect_actions()

        if restore_state:
            self._restore_state()
        self.query.apply_sort_indicator()
        self.sources.sync_configured_sources()
        self.query.apply_query()
        self.query.update_first_run()
        self.counts.refresh_sidebar()
        self.alerts = AlertsController(
            window, store, self._qsettings, self.refreshing.start_refresh, parent=self
        )
        self.refresh_finished.connect(self.alerts.refresh_finished)
        self.refreshing.about_to_refresh.connect(self.alerts.refresh_started)
        self.alerts.record_wanted.connect(self.notes.show_current)
        window.close_guard = self._may_close
        if restore_state:
            QTimer.singleShot(0, self.notes.restore_unsaved_notes)
        if restore_state and settings.get("refresh/on_start", self._qsettings):
            QTimer.singleShot(0, self.refreshing.start_refresh)

    def _default_client(self) -> HttpClient:
        return HttpClient(per_host_delay=settings.get("refresh/per_host_delay", self._qsettings))

    # -- wiring ------------------------------------------------------------------------------

    def _connect_controllers(self) -> None:
        query, place, notes, triage = self.query, self.place, self.notes, self.triage
        counts, refreshing, transfer = self.counts, self.refreshing, self.transfer
        reading = self.reading
        for controller in (
            *(query, place, notes, triage, reading, self.row_menu),
            *(counts, self.sources, refreshing, transfer, self.tags),
        ):
            controller.status.connect(self._status)
        self.model.read_failed.connect(self._status)

        query.query_built.connect(lambda shown: self.columns.show_choice(":".join(query.choice), shown))
        query.query_built.connect(place.show_query)
        place.rows_changed.connect(query.rows_shown)
        place.query_shown.connect(self.query_applied)
        place.leaving_record.connect(notes.save_note_now)
        place.record_current.connect(notes.show_current)
        place.no_record.connect(notes.show_nothing)
        place.record_stayed.connect(notes.reread)
        place.record_left.connect(notes.leave)

        notes.record_shown.connect(self.record_shown)
        notes.note_saved.connect(self.note_saved)
        notes.unread_shown.connect(reading.unread_shown)
        reading.read_changed.connect(counts.read_marked)
        reading.reload_wanted.connect(place.reload_keeping_place)
        reading.undoable.connect(triage.offer_undo)
        notes.back_to_table.connect(lambda: place.focus_table(0))

        triage.reload_wanted.connect(lambda: place.reload_keeping_place(advance=True))
        triage.counts_stale.connect(counts.refresh_sidebar)
        triage.before_undo.connect(notes.save_note_now)
        triage.undone.connect(self._after_undo)
        triage.changed_by_predicate.connect(self._after_undo)
        triage.notice.connect(lambda text, ms: self._status(text, ms))
        triage.undo_offered.connect(lambda text: self._status(text, UNDO_MESSAGE_MS, undo=True))

        counts.counts_updated.connect(refreshing.mark_running_sources)
        counts.counts_updated.connect(self.counts_updated)
        self.sources.counts_stale.connect(counts.refresh_sidebar)
        self.sources.refresh_wanted.connect(refreshing.refresh_source)
        counts.counts_updated.connect(self.watchlists.refresh_counts)
        counts.counts_updated.connect(self.sources.sidebar_read)
        self.watchlists.status.connect(self._status)
        self.calendar.status.connect(self._status)
        self.calendar.before_export.connect(notes.save_note_now)
        self.watchlists.shown_changed.connect(query.apply_query)

        refreshing.about_to_refresh.connect(notes.save_note_now)
        refreshing.about_to_refresh.connect(self.sources.sync_configured_sources)
        refreshing.records_arrived.connect(self._on_records_arrived)
        refreshing.reload_due.connect(self._on_reload_due)
        refreshing.refreshed.connect(self._after_store_changed)
        refreshing.refresh_finished.connect(self.refresh_finished)

        transfer.before_transfer.connect(notes.save_note_now)
        transfer.imported.connect(self._after_store_changed)
        transfer.undoable.connect(triage.offer_undo)
        self.tags.undoable.connect(triage.offer_undo)
        self.tags.changed.connect(self._after_store_changed)
        transfer.export_finished.connect(self.export_finished)
        transfer.import_finished.connect(self.import_finished)

    def _connect_actions(self) -> None:
        """The window's commands (menus, toolbar, keys) to the controller that does each."""
        w = self.window
        a = w.actions
        a["next"].triggered.connect(lambda: self.place.move(1))
        a["previous"].triggered.connect(lambda: self.place.move(-1))
        a["star"].triggered.connect(self.triage.toggle_star)
        a["archive"].triggered.connect(self.triage.toggle_archive)
        a["follow"].triggered.connect(self.triage.toggle_follow)
        for status in ("new", "reviewing", "done", "archived"):
            a[f"status_{status}"].triggered.connect(lambda _=False, s=status: self.triage.set_status(s))
        a["tag"].triggered.connect(self.notes.focus_tag)
        a["note"].triggered.connect(self.notes.focus_note)
        a["open"].triggered.connect(self.triage.open_original)
        a["mark_unread"].triggered.connect(self.reading.mark_unread)
        a["mark_all_read"].triggered.connect(self.reading.mark_all_read)
        a["undo"].triggered.connect(self.triage.undo)
        w.status_bar.undo_button.clicked.connect(self.triage.undo)
        a["focus_sidebar"].triggered.connect(self.query.focus_sidebar)
        a["focus_table"].triggered.connect(lambda: self.place.focus_table(0))
        a["refresh"].triggered.connect(self.refreshing.start_refresh)
        a["search"].triggered.connect(self.query.focus_search)
        a["clear_search"].triggered.connect(self.on_escape)
        a["export"].triggered.connect(self.transfer.choose_export)
        a["import"].triggered.connect(self.transfer.choose_import)
        a["brief"].triggered.connect(self.show_brief)
        a["sources"].triggered.connect(self.sources.show_sources)
        a["settings"].triggered.connect(self.show_settings)
        a["shortcuts"].triggered.connect(self.show_shortcuts)
        a["quit"].triggered.connect(w.close)
        w.about_action.triggered.connect(self.show_about)

        w.table.doubleClicked.connect(lambda _index: self.triage.open_original())
        w.sidebar.to_table.connect(self.place.focus_table)
        w.detail.open_original_requested.connect(self.triage.open_original)
        w.detail.link_clicked.connect(open_in_browser)
        w.closing.connect(self.shutdown)

    def on_escape(self) -> None:
        """Esc: leave the note or tag field for the table; elsewhere clear the search."""
        if self.notes.leave_editing():
            return
        self.query.clear_filters()
        self.window.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- what one controller's news means for the others -------------------------------------------

    def _after_store_changed(self) -> None:
        """A refresh or an import changed records: re-read the rows, the first-run page, counts."""
        self.place.reload_keeping_place()
        self.query.update_first_run()
        self.counts.refresh_sidebar()

    def _after_undo(self, step: UndoStep) -> None:
        self.place.reload_at(step.current_id)
        self.query.update_first_run()
        self.notes.reread_in_full(step.change, coming=step.current_id)
        self.counts.refresh_sidebar()

    def _on_records_arrived(self) -> None:
        if self.query.first_run:  # the first records: leave the empty state at once
            self.place.reload_keeping_place()
            self.query.update_first_run()
        else:
            self.refreshing.reload_soon()

    def _on_reload_due(self) -> None:
        self.place.reload_keeping_place()
        self.counts.refresh_sidebar()

    # -- dialogs -------------------------------------------------------------------------------------

    def show_settings(self) -> None:
        SettingsDialog(self._qsettings, self.window).exec()
        self.alerts.settings_changed()

    def show_brief(self) -> BriefController:
        """File → Brief…: from the selected records, the tag in view or the view itself."""
        self.notes.save_note_now()  # the note being typed goes into the brief too
        query = self.model.query
        listable = table_selection.selected_count(self.window.table) <= table_selection.SMALL_SELECTION
        scope = BriefScope(
            selected_ids=tuple(self.triage.selected_ids()) if listable else (),  # a select all: the view
            view=query,
            view_label=self.query.scope_label(),
            tags=tuple(name for name, _count in self.store.tag_counts()),
            tag=query.tag,
        )
        brief = BriefController(self.window, self.store.path, scope, self._qsettings)
        brief.saved.connect(lambda result: self._status(saved_text(result)))
        brief.show()
        return brief

    def show_about(self) -> None:
        AboutDialog(self.store.path, self.sources_path or default_sources_path(), self.window).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.window).exec()

    # -- window state and shutdown -----------------------------------------------------------------

    def _restore_state(self) -> None:
        w = self.window
        state = self._state
        if (geometry := state.bytes(WindowState.GEOMETRY)) is not None:
            w.restoreGeometry(geometry)
        if (splitter := state.bytes(WindowState.MAIN_SPLITTER)) is not None:
            w.panes_placed = w.splitter.restoreState(splitter)
        if (detail := state.bytes(WindowState.DETAIL_SPLITTER)) is not None:
            w.detail.splitter.restoreState(detail)
        w.actions["toggle_detail"].setChecked(not state.flag(WindowState.DETAIL_HIDDEN))
        self.query.restore_state(state)

    def save_state(self) -> None:
        w = self.window
        state = self._state
        state.set_bytes(WindowState.GEOMETRY, w.saveGeometry())
        state.set_bytes(WindowState.MAIN_SPLITTER, w.splitter.saveState())
        state.set_bytes(WindowState.DETAIL_SPLITTER, w.detail.splitter.saveState())
        state.set_flag(WindowState.DETAIL_HIDDEN, not w.actions["toggle_detail"].isChecked())
        self.query.save_state(state)
        state.sync()

    def _may_close(self) -> bool:
        return self._ending or self.notes.confirm_close()

    def end_session(self) -> None:
        """A signal or the session manager ends the app: save what can be saved at once,
        write the rest to the recovery file, keep the layout; never ask."""
        self._ending = True
        self.notes.save_or_keep_all(quietly=True)
        self.save_state()

    def commit_session(self) -> None:
        """The session manager asks to save before logout (it may still be cancelled): save what
        can be saved, keep the rest in the recovery file, keep the layout."""
        self.notes.save_or_keep_all(quietly=self._ending)
        self.save_state()

    def shutdown(self) -> None:
        """The window is closing: keep the note and the layout, stop the refresh."""
        if self._closed:
            return
        self.notes.close(quietly=self._ending)
        self.reading.close()
        self.triage.close()
        self.save_state()
        self._closed = True
        self.model.close()
        self.columns.close()
        self.query.close()
        self.counts.close()
        self.transfer.close()
        self.refreshing.close()
        self.watchlists.close()
        self.calendar.close()
        self.alerts.close()

    def _status(self, text: str, timeout: int = 0, *, undo: bool = False) -> None:
        self.window.status_bar.showMessage(text, timeout, undo=undo)
        logger.debug("status: %s", text)


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
