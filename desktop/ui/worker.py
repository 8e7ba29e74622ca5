"""Run one function off the UI thread and deliver its result, error and progress as signals.

The function gets plain arguments and returns plain data; it must open its own Store (SQLite
connections belong to the thread that made them) and never touch a widget.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)

# Tasks still running; a Task dropped by the caller must not be collected mid-run.
_running: set[Task] = set()


class Task(QObject):
    """One background call. `succeeded(result)`, `failed(message)`, then always `finished()`."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False) -> None:
        super().__init__()
        self._fn = fn
        self._args = args
        self._with_progress = with_progress
        self.done = False

    def report(self, value: Any) -> None:
        """Called from the worker thread: queued to the UI thread as `progressed`."""
        self.progressed.emit(value)

    def _run(self) -> None:
        try:
            args = (*self._args, self.report) if self._with_progress else self._args
            result = self._fn(*args)
        except Exception as exc:  # the UI shows the message; the log keeps the traceback
            logger.warning("background task %s failed:\n%s", _name(self._fn), traceback.format_exc())
            self.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start `fn(*args)` on a thread pool; with `on_progress`, fn gets a last `report` argument.

    The callbacks run on the UI thread (the Task lives there; its signals are queued).
    """
    task = Task(fn, *args, with_progress=on_progress is not None)
    if on_result is not None:
        task.succeeded.connect(on_result)
    if on_error is not None:
        task.failed.connect(on_error)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    task.finished.connect(lambda: _forget(task))
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runnable(task))
    return task


def _forget(task: Task) -> None:
    task.done = True
    _running.discard(task)


def running_tasks() -> int:
    return len(_running)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", repr(fn))
