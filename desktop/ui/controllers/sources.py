"""The sources the window fetches: the sources file, its copy in the store, the Sources dialog.

The file (docs/SOURCES.md) is the truth; the store keeps a row per source so the sidebar lists
every configured source, fetched or not. Saving from the dialog writes the file given with
--sources, else the user's own file, and syncs the store.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from db.safe_text import shown
from db.store import Store, StoreError
from desktop.paths import shown_path, user_sources_path
from desktop.sources_file import SourcesFileError, load_sources, source_row
from desktop.sources_writer import write_sources
from desktop.ui import settings
from desktop.ui.dialogs.sources_dialog import SourcesDialog
from desktop.ui.message_box import warn
from desktop.ui.store_guard import StoreGuard
from scrapers.model import Source

logger = logging.getLogger(__name__)


class SourcesController(QObject):
    counts_stale = Signal()
    status = Signal(str)

    def __init__(
        self, window: QWidget, store: Store, sources_path: Path | None, qsettings: QSettings
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._sources_path = sources_path
        self._qsettings = qsettings
        self._guard = StoreGuard(self.status.emit)

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
            rows = self._store.source_rows()
        except (SourcesFileError, StoreError) as exc:
            warn(self._window, "Sources", shown(exc, 2000))
            return None
        return SourcesDialog(
            sources,
            rows,
            sources_path_text=shown_path(self.sources_target()),
            per_host_delay=settings.get("refresh/per_host_delay", self._qsettings),
            now=self._store.clock(),
            parent=self._window,
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
            self._store.sync_sources([source_row(s) for s in sources])
        except (SourcesFileError, StoreError, OSError) as exc:
            warn(self._window, "Sources not saved", shown(exc, 2000))
            return False
        self.status.emit(f"Sources saved to {self.sources_target()}.")
        self.counts_stale.emit()
        return True
