"""The sidebar's counts and lists, and the filters' choices, read in a worker.

Counting a large store takes long enough to stall typing, so it runs with its own Store in a
worker (desktop/ui/worker.py, a CoalescingJob): calls made while one count runs coalesce into
one more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from db.store import Store
from desktop import health
from desktop.formatting import plain_tooltip, relative_time
from desktop.sidebar_data import SidebarData, read_sidebar_data
from desktop.sources_file import enabled_source_names
from desktop.ui.store_guard import failure_text
from desktop.ui.views.main_window import MainWindow
from desktop.ui.worker import CoalescingJob

READ_COUNT_DELAY_MS = 400  # the Unread count follows J/K reading after this pause


class CountsController(QObject):
    counts_updated = Signal()
    status = Signal(str)

    def __init__(self, window: MainWindow, store: Store, sources_path: Path | None) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._sources_path = sources_path
        self.latest: SidebarData | None = None  # what the last read found, for the dialogs' lists
        self._job = CoalescingJob(
            read_sidebar_data, store.path, on_result=self._on_data, on_error=self._on_error
        )
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_COUNT_DELAY_MS)
        self._read_timer.timeout.connect(self.refresh_sidebar)

    @property
    def running(self) -> bool:
        """A count is being read in the background."""
        return self._job.running

    def read_marked(self) -> None:
        """A record was read: the Unread count follows after a pause, not at every J/K."""
        self._read_timer.start()

    def refresh_sidebar(self) -> None:
        """Re-read counts in the background; coalesces calls made while one is running."""
        self._read_timer.stop()  # this count includes the reading
        self._job.start()

    def close(self) -> None:
        self._job.close()
        self._read_timer.stop()

    def _on_data(self, data: SidebarData) -> None:
        self.latest = data
        w = self._window
        w.sidebar.set_view_counts(data.views)
        w.sidebar.set_sources(data.sources, self._store.clock())
        w.sidebar.set_tag_colours(data.tag_colours)
        w.sidebar.set_tags(data.tags)
        w.detail.tags.set_tag_colours(data.tag_colours)
        tags = [name for name, _count in data.tags]
        w.detail.tags.set_known_tags(tags)
        w.filter_bar.blockSignals(True)
        w.filter_bar.set_choices(data.categories, data.jurisdictions, tags)
        w.filter_bar.set_facet_choices(data.programmes, data.action_types)
        w.filter_bar.blockSignals(False)
        self._show_last_refresh(data.sources)
        w.empty_state.set_sources(
            [s["name"] for s in data.sources if s.get("enabled")] or enabled_source_names(self._sources_path)
        )
        self.counts_updated.emit()

    def _on_error(self, message: str) -> None:
        self.status.emit(failure_text("Could not count the records", message))

    def _show_last_refresh(self, rows: list[dict[str, Any]]) -> None:
        successes = [r["last_success_at"] for r in rows if r.get("last_success_at")]
        label = self._window.last_refresh_label
        if not successes:
            label.setText("Never refreshed")
            return
        now = self._store.clock()
        last = max(successes)
        failing = [r for r in rows if health.source_health(r, now).state == health.FAILING]
        changed = [r for r in rows if health.source_health(r, now).state == health.SITE_CHANGED]
        text = f"Last refresh: {relative_time(last, now=now)}"
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
