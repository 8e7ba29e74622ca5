"""One queue of writers per database file within this process, served in arrival order.

SQLite's busy handler polls: a waiting note save sleeps, wakes, finds a refresh's next batch
already holding the lock, and sleeps again, so a refresh that writes back to back can starve
the window until the busy timeout fails it with "database is locked". Queueing our own
writers first, and handing the turn straight to the next in line, makes every writer wait for
at most the transactions queued before it. (Other processes still meet SQLite's busy timeout.)
"""

from __future__ import annotations

import os
import threading
from collections import deque
from pathlib import Path


class FairLock:
    """A non-reentrant lock whose waiters acquire it first come, first served."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._locked = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._locked:
                self._locked = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait timed out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # the lock passes on without being free
            else:
                self._locked = False


_locks: dict[str, FairLock] = {}
_locks_guard = threading.Lock()


def writer_lock(path: Path) -> FairLock:
    """The queue of writers of the file at `path` (shared by every Store of this process)."""
    key = os.path.realpath(path)
    with _locks_guard:
        return _locks.setdefault(key, FairLock())
