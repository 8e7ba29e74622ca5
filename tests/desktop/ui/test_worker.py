"""The one background helper: results, errors and progress arrive on the UI thread as data."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread

from desktop.ui.worker import CoalescingJob, run_task


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


def test_a_typed_result_arrives_as_itself_and_progress_in_order(qtbot) -> None:
    """The signals carry no value of their own: the result and each progress value are handed
    over on the UI thread, the same objects the function made, in the order it made them."""
    made: list[object] = []

    def work(report: Callable[[tuple[int, int]], None]) -> list[object]:
        for done in range(1, 51):
            report((done, 50))
        made.append(object())
        return made

    results: list[list[object]] = []
    progress: list[tuple[int, int]] = []
    task = run_task(work, on_result=results.append, on_progress=progress.append)
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert results == [made] and results[0] is made and task.result is made
    assert progress == [(done, 50) for done in range(1, 51)]


def test_a_coalescing_job_asked_while_running_runs_once_more_not_once_per_ask(qtbot) -> None:
    release = threading.Event()
    runs: list[int] = []
    results: list[int] = []

    def work() -> int:
        runs.append(len(runs))
        release.wait(5)
        return len(runs)

    job = CoalescingJob(work, on_result=results.append, on_error=lambda _m: None)
    job.start()
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=5000)
    for _ask in range(5):  # asked again and again while the first run works
        job.start()
    assert job.running
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2 and not job.running, timeout=5000)
    assert results == [1, 2]  # the first answer, then exactly one more run for all five asks
    assert len(runs) == 2


def test_a_coalescing_job_reports_a_failure_and_stays_usable_and_drops_results_once_closed(
    qtbot,
) -> None:
    answers = iter([ValueError("the store is locked"), 7, 8])
    errors: list[str] = []
    results: list[int] = []

    def work() -> int:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    job = CoalescingJob(work, on_result=results.append, on_error=errors.append)
    job.start()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert errors == ["the store is locked"]
    job.start()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert results == [7]
    job.start()
    job.close()  # the window closed while it ran: its answer is for nobody
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    job.start()  # and nothing starts any more
    assert results == [7] and not job.running
