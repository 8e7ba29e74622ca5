"""Known store errors (the user's environment, shown as one plain line) versus bugs."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

READ_ONLY = "The database is read-only: changes cannot be saved."
DISK_FULL = "The disk is full: the change was not saved (earlier data is intact)."
DAMAGED = "The database file is damaged (corrupt); restore it from a backup."
BUSY = "The database is busy in another program; try again in a moment."

# Primary result codes (sqlite3.h) that describe the environment, not a bug in our code.
_KNOWN: dict[int, str] = {
    5: BUSY,  # SQLITE_BUSY
    6: BUSY,  # SQLITE_LOCKED
    8: READ_ONLY,  # SQLITE_READONLY
    10: "The database file could not be read or written (input/output error).",  # SQLITE_IOERR
    11: DAMAGED,  # SQLITE_CORRUPT
    13: DISK_FULL,  # SQLITE_FULL
    14: "The database file cannot be opened (missing folder or no permission).",  # CANTOPEN
    23: "Permission to use the database file was refused.",  # SQLITE_AUTH
    26: "The file is not a Policy Tracker database, or it is damaged.",  # SQLITE_NOTADB
}


class StoreError(Exception):
    """A known error of the store: the message is a plain sentence fit to show the user."""


def known_error(exc: sqlite3.Error) -> StoreError | None:
    """The StoreError for an SQLite error caused by the environment, or None for a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    message = _KNOWN.get(code & 0xFF)
    return StoreError(message) if message else None


def translate_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn environment errors (disk full, read-only, corrupt...) into StoreError; re-raise bugs."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except sqlite3.Error as exc:
            known = known_error(exc)
            if known is None:
                raise
            logger.warning("%s failed: %s (%s)", func.__name__, exc, known)
            raise known from exc

    return wrapper
