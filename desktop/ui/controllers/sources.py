"""The sources the window fetches: the sources file, its copy in the store, the Sources dialog,
a source's menu in the sidebar, and File → Import/Export OPML.

The file (docs/SOURCES.md) is the truth; the store keeps a row per source so the sidebar lists
every configured source, fetched or not. Every change is written to the file given with
--sources, else the user's own file, as the changes applied to the file as it is then (a hand
edit made meanwhile stays), and the store is synced. Refreshing one source is asked for with
`refresh_wanted`; the window's refresh does it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from db.safe_text import shown
from db.store import Store, StoreError
from desktop.opml import OpmlError, import_feeds, read_opml, write_opml
from desktop.paths import shown_path, user_sources_path
from desktop.sidebar_data import SidebarData
from desktop.sources_file import SourcesFileError, load_sources, source_row
from desktop.sources_writer import apply_changes, write_sources
from desktop.ui import settings
from desktop.ui.dialogs.add_source_dialog import AddSourceDialog
from desktop.ui.dialogs.sources_dialog import SourcesDialog
from desktop.ui.message_box import warn
from desktop.ui.store_guard import StoreGuard
from desktop.ui.views.main_window import MainWindow
from scrapers.model import Source

logger = logging.getLogger(__name__)


class SourcesController(QObject):
    counts_stale = Signal()
    status = Signal(str)
    refresh_wanted = Signal(str)  # refresh this one saved source now

    def __init__(
        self, window: MainWindow, store: Store, sources_path: Path | None, qsettings: QSettings
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._sources_path = sources_path
        self._qsettings = qsettings
        self._guard = StoreGuard(self.status.emit)
        self._dialog: SourcesDialog | None = None  # while it is open: a refresh updates it
        # The sources' rows the sidebar last read on a worker (CountsController.latest): each
        # with its record count, which took 50-80 ms at a million records on the window's thread.
        self.sidebar_data: Callable[[], SidebarData | None] = lambda: None
        self.import_action = QAction("Import &OPML…", self)
        self.import_action.setToolTip("Add the feeds of a feed reader's OPML export to your sources")
        self.import_action.triggered.connect(self.choose_opml_import)
        self.export_action = QAction("Export O&PML…", self)
        self.export_action.setToolTip("Save your feed sources as OPML, for a feed reader")
        self.export_action.triggered.connect(self.choose_opml_export)
        quit_action = window.actions["quit"]
        window.file_menu.insertActions(quit_action, [self.import_action, self.export_action])
        window.file_menu.insertSeparator(quit_action)
        window.sidebar.source_menu.connect(self.show_source_menu)

    def load_sources(self) -> list[Source]:
        """The configured sources: the file given with --sources, else the user's, else the defaults."""
        return load_sources(self._sources_path)

    def sources_target(self) -> Path:
        """Where the Sources dialog saves: the file given with --sources, else the user's own."""
        return self._sources_path or user_sources_path()

    def sync_configured_sources(self) -> None:
        """Show every configured source in the sidebar, fetched or not (as the refresh will).
        Not in a read-only store: nothing can be written there, and the window said so at open."""
        try:
            rows = [source_row(s) for s in self.load_sources()]
        except SourcesFileError as exc:  # the window still opens, and says why nothing refreshes
            logger.warning("sources file not usable: %s", exc)
            self.status.emit(f"The sources file cannot be used: {shown(exc)}")
            return
        if not self._store.readonly:
            with self._guard("The sources could not be listed in the data file"):
                self._store.sync_sources(rows)

    def make_sources_dialog(self) -> SourcesDialog | None:
        try:
            sources = self.load_sources()
            data = self.sidebar_data()
            rows = data.sources if data is not None else self._store.source_rows()  # not read yet
        except (SourcesFileError, StoreError) as exc:
            warn(self._window, "Sources", shown(exc, 2000))
            return None
        dialog = SourcesDialog(
            sources,
            rows,
            sources_path_text=shown_path(self.sources_target()),
            per_host_delay=settings.get("refresh/per_host_delay", self._qsettings),
            now=self._store.clock(),
            parent=self._window,
        )
        dialog.refresh_requested.connect(self.refresh_wanted)
        return dialog

    def show_sources(self) -> None:
        dialog = self.make_sources_dialog()
        if dialog is None:
            return
        self._dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self._dialog = None
        if accepted and dialog.changed:
            self.save_changes(dialog.result_sources)

    def sidebar_read(self) -> None:
        """The sidebar read the sources again (after a refresh, an import, a change): an open
        Sources dialog shows each source's new health and records."""
        data = self.sidebar_data()
        if self._dialog is not None and data is not None:
            self._dialog.set_rows(data.sources)

    def save_changes(self, change: Callable[[list[Source]], list[Source]]) -> bool:
        """Apply `change` to the sources file as it is now, and save it."""
        try:
            on_disk = self.load_sources()
        except SourcesFileError as exc:
            warn(self._window, "Sources not saved", shown(exc, 2000))
            return False
        return self.save_sources(change(on_disk))

    def save_sources(self, sources: list[Source]) -> bool:
        try:
            write_sources(self.sources_target(), sources)
            self._store.sync_sources([source_row(s) for s in sources])
        except (SourcesFileError, StoreError, OSError) as exc:
            warn(self._window, "Sources not saved", shown(exc, 2000))
            return False
        self.status.emit(f"Sources saved to {shown_path(self.sources_target())}.")
        self.counts_stale.emit()
        return True

    # -- one source, from the sidebar ----------------------------------------------------------

    def source_menu(self, source_id: str) -> QMenu:
        """Refresh, switch off or on, edit: for a source of the file (one only in the store,
        removed from the file, says so)."""
        menu = QMenu(self._window)
        try:
            source = next((s for s in self.load_sources() if s.id == source_id), None)
        except SourcesFileError:
            source = None
        if source is None:
            menu.addAction("Not in the sources file (its records stay)").setEnabled(False)
            return menu
        refresh = menu.addAction("Refresh this source")
        refresh.setEnabled(source.enabled)
        refresh.triggered.connect(lambda: self.refresh_wanted.emit(source_id))
        switch = menu.addAction("Disable" if source.enabled else "Enable")
        switch.triggered.connect(lambda: self.set_enabled(source_id, not source.enabled))
        menu.addAction("Edit…").triggered.connect(lambda: self.edit_source(source_id))
        return menu

    def show_source_menu(self, source_id: str, position: QPoint) -> None:
        self.source_menu(source_id).popup(position)

    def set_enabled(self, source_id: str, enabled: bool) -> bool:
        def change(on_disk: list[Source]) -> list[Source]:
            return [replace(s, enabled=enabled) if s.id == source_id else s for s in on_disk]

        return self.save_changes(change)

    def edit_source(self, source_id: str) -> bool:
        try:
            sources = self.load_sources()
        except SourcesFileError as exc:
            warn(self._window, "Sources", shown(exc, 2000))
            return False
        source = next((s for s in sources if s.id == source_id), None)
        if source is None:
            return False
        delay = settings.get("refresh/per_host_delay", self._qsettings)
        dialog = AddSourceDialog({s.id for s in sources}, delay, self._window, editing=source)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.previewed is None:
            return False
        edited = dialog.previewed
        return self.save_changes(lambda on_disk: apply_changes([source], [edited], on_disk))

    # -- OPML ----------------------------------------------------------------------------------

    def choose_opml_import(self) -> None:
        kinds = "OPML files (*.opml *.xml);;All files (*)"
        path, _ = QFileDialog.getOpenFileName(self._window, "Import feeds from OPML", str(Path.home()), kinds)
        if path:
            self.import_opml(Path(path))

    def import_opml(self, path: Path) -> bool:
        """Add the file's feeds to the sources; a refused file changes nothing and says why."""
        try:
            read = read_opml(path)
            imported = import_feeds(self.load_sources(), read)
        except (OpmlError, SourcesFileError) as exc:
            warn(self._window, "Nothing imported", shown(exc, 2000))
            return False
        if imported.added and not self.save_changes(lambda on_disk: [*on_disk, *imported.added]):
            return False
        text = f"{shown(path.name)}: {imported.text()}."
        self.status.emit(text + (" Refresh to fetch the new feeds." if imported.added else ""))
        return True

    def choose_opml_export(self) -> None:
        suggested = str(Path.home() / "policy-tracker-feeds.opml")
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Export the feeds as OPML", suggested, "OPML files (*.opml)"
        )
        if path:
            self.export_opml(Path(path))

    def export_opml(self, path: Path) -> bool:
        try:
            count = write_opml(path, self.load_sources())
        except (SourcesFileError, OSError) as exc:
            warn(self._window, "OPML not saved", shown(exc, 2000))
            return False
        self.status.emit(f"{count} feed{'s' if count != 1 else ''} saved to {shown_path(path)}.")
        return True
