"""Refreshing the sources from the window: the runner, its progress and its summary.

The fetching runs in a separate process (desktop/ui/refresh_runner.py); this controller shows
how far it got (the progress bar, each source's mark in the sidebar, the status line) and asks
for the rows to be re-read while records arrive, at most every RELOAD_DURING_REFRESH_MS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from db.safe_text import shown
from desktop import health
from desktop.refresh import RefreshSummary
from desktop.ui.message_box import warn
from desktop.ui.refresh_runner import RefreshRunner, SourceProgress
from desktop.ui.store_guard import failure_text
from desktop.ui.views.main_window import MainWindow
from scrapers.http import HttpClient
from scrapers.model import Source

RELOAD_DURING_REFRESH_MS = 700


class RefreshingController(QObject):
    about_to_refresh = Signal()  # save the note, sync the sources file into the store
    records_arrived = Signal()  # a source brought new or changed records
    reload_due = Signal()  # records arrived a while ago: re-read the rows and the counts
    refreshed = Signal()  # the refresh ended: re-read rows and counts before the summary
    refresh_finished = Signal(RefreshSummary)
    status = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        db_path: Path,
        load_sources: Callable[[], list[Source]],
        client_factory: Callable[[], HttpClient],
        workers: int,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._closed = False
        self._done_sources: list[str] = []
        self.runner = RefreshRunner(db_path, load_sources, client_factory, workers=workers, parent=self)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DURING_REFRESH_MS)
        self._reload_timer.timeout.connect(self._reload_after_progress)
        self.runner.started.connect(self._on_started)
        self.runner.source_done.connect(self._on_source_done)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        window.cancel_button.clicked.connect(self.cancel_refresh)
        window.empty_state.refresh_button.clicked.connect(self.start_refresh)

    def start_refresh(self) -> bool:
        if self._closed:
            return False
        self.about_to_refresh.emit()
        return self.runner.start()

    def refresh_source(self, source_id: str) -> bool:
        """Sources' "Refresh this source" and "Retry now": that source alone, as a refresh."""
        if self._closed:
            return False
        if self.runner.running:
            self.status.emit("A refresh is running; this source is part of it.")
            return False
        self.about_to_refresh.emit()
        return self.runner.start(only=source_id)

    def cancel_refresh(self) -> None:
        self.runner.cancel()
        self._window.set_cancelling()
        self.status.emit("Cancelling: waiting for the sources being fetched…")

    def reload_soon(self) -> None:
        """Records arrived: re-read the rows after a pause, not at every source."""
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def mark_running_sources(self) -> None:
        """Sources still being fetched show it in the sidebar (again, after it was re-filled)."""
        if not self.runner.running:
            return
        done = set(self._done_sources)
        for source_id in self.runner.enabled_ids:
            if source_id not in done:
                self._window.sidebar.mark_source(source_id, health.RUNNING, "")

    def close(self) -> None:
        """The window is closing: stop fetching, and wait a little for the worker to end."""
        self._closed = True
        self._reload_timer.stop()
        if self.runner.running:
            self.runner.cancel()
            self.runner.wait(10_000)

    def _on_started(self, total: int) -> None:
        self._window.set_refreshing(total)
        self.mark_running_sources()
        waiting = self._waiting_for()
        if total == 1:
            self.status.emit(f"Refreshing {waiting}…")
        else:
            self.status.emit(f"Refreshing {total} sources: waiting for {waiting}… (0 of {total})")

    def _waiting_for(self) -> str:
        """The name of the first source not done yet (the one the refresh waits on longest)."""
        done = set(self._done_sources)
        names = self.runner.names
        return next((names.get(i, i) for i in self.runner.enabled_ids if i not in done), "")

    def _on_source_done(self, progress: SourceProgress) -> None:
        if self._closed:
            return
        outcome = progress.outcome
        self._done_sources = [*self._done_sources, outcome.source_id]
        w = self._window
        w.show_progress(progress.done)
        if outcome.error:
            w.sidebar.mark_source(outcome.source_id, health.FAILING, outcome.error)
        elif outcome.site_changed:
            w.sidebar.mark_source(outcome.source_id, health.SITE_CHANGED, outcome.result())
        else:
            w.sidebar.mark_source(outcome.source_id, health.OK, outcome.result())
        said = f"{outcome.name}: {outcome.result()}"
        if progress.done < progress.total:
            said += f". Waiting for {self._waiting_for()}…"
        self.status.emit(f"{said} ({progress.done} of {progress.total})")
        if outcome.new or outcome.changed:
            self.records_arrived.emit()

    def _reload_after_progress(self) -> None:
        if not self._closed:
            self.reload_due.emit()

    def _on_finished(self, summary: RefreshSummary) -> None:
        self._done_sources = []
        self._window.set_refreshing(None)
        if self._closed:
            self.refresh_finished.emit(summary)
            return
        self._reload_timer.stop()
        self.refreshed.emit()
        text = f"Refresh done: {summary.text()}."
        if summary.offline:  # once, rather than a failure per source
            text = summary.offline_text()
        elif summary.failed:
            names = ", ".join(o.name for o in summary.failed[:3])
            text += f" Failing: {names} (see Sources)."
        self.status.emit(text)
        self.refresh_finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self._done_sources = []
        self._window.set_refreshing(None)
        if self._closed:
            return
        self.status.emit(failure_text("Refresh did not run", message))
        warn(self._window, "Refresh did not run", shown(message, 2000))
