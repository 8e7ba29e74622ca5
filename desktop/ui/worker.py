"""Run one function off the UI thread and deliver its result, error and progress on the UI thread.

The function gets plain arguments and returns plain data; it must open its own Store (SQLite
connections belong to the thread that made them) and never touch a widget.

A Task is generic in what its function returns (`Task[SidebarData]`), so the callbacks are
typed from the function. Its signals carry no value of an unknown type (no `Signal(object)`):
`succeeded()` says the result is in `result`, and each `progressed()` hands over the next value
`report` queued, in order.
"""

from __future__ import annotations

import logging
import queue
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)

R = TypeVar("R")

# Tasks still running; a Task dropped by the caller must not be collected mid-run.
_running: set[Task[Any]] = set()


class Task(QObject, Generic[R]):
    """One background call. `succeeded()` (the value in `result`) or `failed(message)`, then
    always `finished()`; with progress, one `progressed()` per value the function reported."""

    progressed = Signal()
    succeeded = Signal()
    failed = Signal(str)
    finished = Signal()
    result: R  # what the function returned: set before `succeeded` is emitted

    def __init__(self, fn: Callable[..., R], *args: Any, with_progress: bool = False) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self._with_progress = with_progress
        self._progress: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.done = False

    def report(self, value: Any) -> None:
        """Called from the worker thread: queued to the UI thread, one `progressed` each."""
        self._progress.put(value)
        self.progressed.emit()

    def next_progress(self) -> Any:
        """The oldest reported value not yet handed over (call once per `progressed`)."""
        return self._progress.get_nowait()

    def _run(self) -> None:
        try:
            args = (*self._args, self.report) if self._with_progress else self._args
            result = self._fn(*args)
        except Exception as exc:  # the UI shows the message; the log keeps the traceback
            logger.warning("background task %s failed:\n%s", _name(self._fn), traceback.format_exc())
            self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.result = result
            self.succeeded.emit()
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


def run_task(
    fn: Callable[..., R],
    *args: Any,
    on_result: Callable[[R], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task[R]:
    """Start `fn(*args)` on a thread pool; with `on_progress`, fn gets a last `report` argument.

    The callbacks run on the UI thread (the Task lives there; its signals are queued).
    """
    task: Task[R] = Task(fn, *args, with_progress=on_progress is not None)
    if on_result is not None:
        task.succeeded.connect(lambda: on_result(task.result))
    if on_error is not None:
        task.failed.connect(on_error)
    if on_progress is not None:
        task.progressed.connect(lambda: on_progress(task.next_progress()))
    task.finished.connect(lambda: _forget(task))
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runnable(task))
    return task


def _forget(task: Task[Any]) -> None:
    task.done = True
    _running.discard(task)


def running_tasks() -> int:
    return len(_running)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", repr(fn))


class CoalescingJob(Generic[R]):
    """One background call at a time for a job that is asked for often (the sidebar's counts,
    the watchlists' counts): a start asked while one runs makes exactly one more run after it,
    since its answer may already be out of date; any number of asks meanwhile make that one.

    `on_result`/`on_error` run on the UI thread; after `close()` nothing starts and a result
    still landing is dropped (the widgets it would fill may be gone)."""

    def __init__(
        self,
        fn: Callable[..., R],
        *args: Any,
        on_result: Callable[[R], None],
        on_error: Callable[[str], None],
    ) -> None:
        self._fn = fn
        self._args = args
        self._on_result = on_result
        self._on_error = on_error
        self._task: Task[R] | None = None
        self._again = False
        self._closed = False

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Run the job now, or once more after the run in progress."""
        if self._closed:
            return
        if self._task is not None:
            self._again = True
            return
        self._task = run_task(self._fn, *self._args, on_result=self._landed, on_error=self._failed)

    def close(self) -> None:
        self._closed = True

    def _landed(self, result: R) -> None:
        self._task = None
        if self._closed:
            return
        self._on_result(result)
        self._next()

    def _failed(self, message: str) -> None:
        self._task = None
        if self._closed:
            return
        self._on_error(message)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.start()
