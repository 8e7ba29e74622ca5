"""The one background helper: results, errors and progress arrive on the UI thread as data."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread

from desktop.ui.worker import run_task


def test_work_runs_off_the_ui_thread_and_the_result_comes_back_on_it(qtbot) -> None:
    main = QThread.currentThread()
    ran_in: list[threading.Thread] = []
    results: list[tuple[dict[str, int], bool]] = []

    def work(a: int, b: int) -> dict[str, int]:
        ran_in.append(threading.current_thread())
        return {"sum": a + b}

    task = run_task(work, 2, 3, on_result=lambda r: results.append((r, QThread.currentThread() is main)))
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert ran_in[0] is not threading.main_thread()
    assert results == [({"sum": 5}, True)]


def test_errors_and_progress(qtbot) -> None:
    progress: list[int] = []
    errors: list[str] = []

    def work(report: Callable[[int], None]) -> None:
        for step in range(3):
            report(step)
        raise ValueError("the site said no")

    task = run_task(work, on_progress=progress.append, on_error=errors.append)
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert progress == [0, 1, 2]
    assert errors == ["the site said no"]
