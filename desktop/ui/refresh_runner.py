"""Runs the refresh pipeline (desktop.refresh.refresh) off the UI thread, cancellable.

Everything the runner reports is frozen data (`SourceProgress`, `RefreshSummary`): the window
shows per-source results as they arrive and the summary at the end. The pipeline writes through its
own Store in its own thread, fed by a fetch process (desktop/fetch_process.py) that Cancel and
closing the window kill; the window keeps reading and saving notes meanwhile (WAL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.fetch_process import EventFlag
from desktop.refresh import RefreshSummary, SourceOutcome, new_cancel_flag, refresh
from desktop.ui.worker import Task, run_task
from scrapers.http import HttpClient
from scrapers.model import Source

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceProgress:
    """One source finished: its outcome, and how many of the refresh's sources are done."""

    outcome: SourceOutcome
    done: int
    total: int


class RefreshRunner(QObject):
    """`start()` → `started(total)`, `source_done(SourceProgress)` per source, then
    `finished(RefreshSummary)`.

    `failed(message)` when the refresh could not run at all (its sources, its store).
    """

    started = Signal(int)
    source_done = Signal(SourceProgress)
    finished = Signal(RefreshSummary)
    failed = Signal(str)

    def __init__(
        self,
        db_path: Path,
        load_sources: Callable[[], Sequence[Source]],
        client_factory: Callable[[], HttpClient],
        *,
        workers: int = 4,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self._load_sources = load_sources
        self._client_factory = client_factory
        self._workers = workers
        self._cancel: EventFlag | None = None
        self._task: Task | None = None
        self._pool = QThreadPool(self)  # its own pool: closing waits for the refresh only
        self._pool.setMaxThreadCount(1)
        self.enabled_ids: list[str] = []
        self.names: dict[str, str] = {}  # the refresh's sources by id: progress speaks of names

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, only: str | None = None) -> bool:
        """Start a refresh of every enabled source, or of the one source `only` names (Sources'
        "Refresh this source"); False (and `failed`) when one is running or the sources are
        unusable, or `only` is not an enabled source."""
        if self.running:
            return False
        try:
            sources = list(self._load_sources())
        except Exception as exc:  # SourcesFileError and friends: say it, never a traceback
            logger.warning("refresh not started: %s", exc)
            self.failed.emit(str(exc))
            return False
        if only is not None:
            sources = [s for s in sources if s.id == only and s.enabled]
            if not sources:
                self.failed.emit(f"no enabled source {only!r} in the sources file (save the Sources first)")
                return False
        self.names = {s.id: s.name for s in sources}
        self.enabled_ids = [s.id for s in sources if s.enabled]
        self._cancel = new_cancel_flag()
        self._task = run_task(
            self._work,
            sources,
            self._cancel,
            on_result=self._on_result,
            on_error=self._on_error,
            on_progress=self.source_done.emit,
            pool=self._pool,
        )
        self.started.emit(len(self.enabled_ids))
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the background refresh has returned (closing the window)."""
        return self._pool.waitForDone(msecs)

    def _work(
        self, sources: list[Source], cancel: EventFlag, report: Callable[[Any], None]
    ) -> RefreshSummary:
        client = self._client_factory()
        try:
            summary = refresh(
                self._db_path,
                sources,
                client=client,
                on_progress=lambda outcome, done, total: report(SourceProgress(outcome, done, total)),
                cancel=cancel,
                workers=self._workers,
            )
        finally:
            client.close()
        return summary

    def _on_result(self, result: RefreshSummary) -> None:
        self._task = None
        self.finished.emit(result)

    def _on_error(self, message: str) -> None:
        self._task = None
        self.failed.emit(message)
