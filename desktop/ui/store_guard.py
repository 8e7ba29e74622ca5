"""The one way the window meets a store failure: one plain status message, never a traceback.

Every Store call turns an SQLite failure into a `StoreError` with a plain reason (disk full,
read-only, a held lock, a damaged file: tests/db/test_store.py). In the window such an error
must reach the user as one line saying what did not happen and why, and must never escape into
Qt (an exception in a slot or a paint is printed and the action silently half-done). Each
controller guards its store calls with a `StoreGuard` built on its `status` signal:

    with self._guard("Not saved") as attempt:
        self._store.set_starred(ids, starred)
    if attempt.failed:
        return
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from db.safe_text import shown
from db.store import StoreError

logger = logging.getLogger(__name__)

REASON_CHARS = 300  # what a status line shows of the reason (a path, SQLite's own words)


def failure_text(what_failed: str, reason: object) -> str:
    """ "Not saved: the data file is read-only", with the reason's control characters escaped."""
    return f"{what_failed}: {shown(reason, REASON_CHARS)}"


@dataclass
class Attempt:
    """What became of a guarded block: `failed` with the message the user was shown."""

    failed: bool = False
    message: str = ""


class StoreGuard:
    """Runs blocks of store calls; a failure ends the block and is reported through `report`."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report

    @contextlib.contextmanager
    def __call__(self, what_failed: str, *, also: tuple[type[Exception], ...] = ()) -> Iterator[Attempt]:
        """Guard a block; `also` names input errors (a tag name refused) reported the same way."""
        attempt = Attempt()
        try:
            yield attempt
        except (StoreError, *also) as exc:
            attempt.failed = True
            attempt.message = failure_text(what_failed, exc)
            logger.warning("%s", attempt.message)
            self._report(attempt.message)
