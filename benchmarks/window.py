"""The window's side of the benchmark: the real main window, offscreen, on a real store.

Every timing goes through what the user does (build the window, click a column header, pick
a sidebar entry, type a search, drag the scroll bar) and stops when the table has painted its
first screenful, so it includes the model, the controller and Qt, not just the store.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

WINDOW_SIZE = (1400, 850)


def prepare_environment(workdir: Path) -> None:
    """Offscreen Qt with a desktop-sized screen, and settings and data kept in `workdir`.
    Must run before Qt is imported."""
    if not os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        screen = {
            "name": "Desktop",
            "x": 0,
            "y": 0,
            "width": 1920,
            "height": 1200,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
        config = Path(tempfile.mkdtemp(prefix="pt-bench-qpa-")) / "offscreen.json"
        config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["POLICY_TRACKER_HOME"] = str(home)


def application(workdir: Path) -> Any:
    """The app's own QApplication (style sheet included), with settings kept in `workdir`."""
    prepare_environment(workdir)
    from PySide6.QtCore import QSettings

    from desktop.ui.app import application as make_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
    return make_application()


def rss_mb() -> float:
    """This process's resident memory (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class OpenWindow:
    """The main window and its controller on the store at `path`, shown offscreen."""

    def __init__(self, app: Any, path: Path) -> None:
        from db.store import Store
        from desktop.ui.controllers.tracker import build_window
        from scrapers.http import HttpClient

        self.app = app
        self.store = Store.open(path)
        self.window, self.controller = build_window(
            self.store,
            restore_state=False,
            client_factory=lambda: HttpClient(per_host_delay=0, retries=0),
        )
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        self.paint()

    @property
    def table(self) -> Any:
        return self.window.table

    @property
    def model(self) -> Any:
        return self.controller.model

    def paint(self, timeout_s: float = 600.0) -> None:
        """Let Qt handle what is pending, wait for the rows asked for (the model reads them on a
        worker), then paint the table now (as the screen would); painting may ask for pages
        not held yet: wait for those too, so the screenful timed is the real one."""
        began = time.perf_counter()
        while time.perf_counter() - began < timeout_s:
            self.app.processEvents()
            if self.model.reading:
                time.sleep(0.0005)
                continue
            self.table.viewport().repaint()
            if not self.model.reading:
                return

    def shown_rows(self) -> int:
        """How many rows the table shows from the top of its viewport (sanity check)."""
        top = self.table.rowAt(0)
        return 0 if top < 0 else self.model.rowCount() - top

    def wait_idle(self, timeout_s: float = 600.0) -> float:
        """Wait for background work (the sidebar's counts); returns the seconds waited."""
        from desktop.ui.worker import running_tasks

        began = time.perf_counter()
        while running_tasks() and time.perf_counter() - began < timeout_s:
            self.app.processEvents()
            time.sleep(0.002)
        self.app.processEvents()
        return time.perf_counter() - began

    def close(self) -> None:
        self.window.close()
        self.controller.refreshing.runner.wait(20_000)
        self.wait_idle()
        self.store.close()
        self.window.deleteLater()
        self.app.processEvents()

    # -- what the user does ------------------------------------------------------------------

    def sort(self, column: int, descending: bool, paint: bool = True) -> None:
        """Click a column's header (see `choose` for `paint`)."""
        from PySide6.QtCore import Qt

        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(column, order)
        if paint:
            self.paint()

    def choose(self, kind: str, value: str, paint: bool = True) -> None:
        """Pick a sidebar entry (a view, a source or a tag) as a click would; with `paint`,
        wait for its first page and paint it at once (to time it). A stall is measured
        without: that paint is the benchmark's own, on top of the one Qt makes when it
        handles the update the new rows asked for."""
        if not self.window.sidebar.select(kind, value, notify=True):
            self.controller.query.choose(kind, value)  # not listed yet (counts still loading)
        if paint:
            self.paint()

    def filter(self, name: str, value: str | None) -> None:
        """Set one of the filter bar's combos (`category`, `jurisdiction`, `status`, ...) to
        `value` (None: any) and let the query run, as picking it from the list does."""
        bar = self.window.filter_bar
        bar.choose(getattr(bar, name), value)
        self.controller.query.apply_query()
        self.paint()

    def search(self, text: str) -> None:
        """Type `text` in the search box and let the search run (the typing pause skipped)."""
        self.window.filter_bar.search.setText(text)
        self.controller.query.apply_query()
        self.paint()

    def scroll_to(self, fraction: float) -> None:
        bar = self.table.verticalScrollBar()
        bar.setValue(int(bar.maximum() * fraction))
        self.paint()

    def first_ids(self, count: int = 20) -> list[int | None]:
        return [self.model.record_id(i) for i in range(min(count, self.model.rowCount()))]

    def deselect(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self.paint()

    def reset_rows(self) -> None:
        """Drop the model's cached pages (as after a refresh), back at the top."""
        self.model.request_reload()
        self.paint()
        self.table.verticalScrollBar().setValue(0)
        self.paint()


def sortable_columns() -> list[tuple[int, Any]]:
    """(index, column) of the table's columns a click on the header sorts by (a column worked
    out per row, such as What changed, has no order over the store)."""
    from desktop.ui.tracker_columns import COLUMNS

    return [(i, spec) for i, spec in enumerate(COLUMNS) if spec.sortable]


def timed_action(action: Callable[[], None]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000
