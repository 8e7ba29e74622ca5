"""The fetching and parsing half of a refresh, run in a child process that can be killed.

A parser is plain Python holding the interpreter lock: a hostile payload that makes one chew
for minutes would freeze the window and make a time limit or a Cancel unenforceable if it ran
in a thread. So `desktop/refresh.py` starts this module's `fetch_all` in a worker process
(multiprocessing, "spawn": never a fork of a process with Qt and SQLite threads) and kills it at
the time limit, at Cancel or at quit. The child only reads the store (which details to fetch)
and sends each source's parsed result back over a pipe as plain picklable data; the parent
saves it (docs/ARCHITECTURE.md, "The fetch process"). If the parent is killed outright
(kill -9: no `finally` runs there, no kill reaches this process), the child ends itself too:
see `_end_with_parent`.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from db.store import Store
from desktop.logging_setup import setup_logging
from scrapers.http import DeadlineExceeded, HttpClient
from scrapers.kinds import get_kind, has_details
from scrapers.model import Announcement, Listing, NetworkError, ScrapeError, Source, Validators

logger = logging.getLogger(__name__)


class EventFlag(Protocol):
    """A threading.Event, or a multiprocessing one that the fetch process shares."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...


@dataclass(frozen=True)
class Fetched:
    """One source's fetch as the child sends it to the parent (picklable, no open resources)."""

    source: Source
    listing: Listing | None = None
    announcements: tuple[Announcement, ...] = ()
    error: str | None = None
    detail_errors: tuple[str, ...] = ()
    cancelled: bool = False  # cut short by the user's Cancel (set by the parent): nothing saved
    unreachable: bool = False  # the error is a NetworkError: no server answered


def fetch_all(
    connection: Connection,
    db_path: Path,
    sources: Sequence[Source],
    validators: Mapping[str, Validators],
    client_settings: Mapping[str, Any],
    stop_at: float | None,
    stop_reason: str,
    workers: int,
    cancel: EventFlag,
    details: bool = True,
) -> None:
    """The child's whole life: fetch every source (a few hosts at once), send each result.

    `stop_at` is a `time.monotonic()` moment (one clock for every process of the machine): the
    requests still running then end themselves; a parser that does not end is the parent's to kill.
    `cancel` (shared with the parent) is read before each source and each detail page, so a
    Cancel is obeyed at once, before the parent even gets to kill this process. Without
    `details`, only the listings are read (and the store is never opened).
    """
    _end_with_parent()
    if setup_logging() is None:  # the log file, never the terminal: no traceback on screen
        logging.getLogger().addHandler(logging.NullHandler())
    client = HttpClient(**client_settings)
    if stop_at is not None:
        client.stop_at(stop_at, stop_reason)
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="fetch")
    try:
        futures = [
            pool.submit(fetch_source, db_path, client, s, validators[s.id], cancel, details) for s in sources
        ]
        for future in as_completed(futures):
            _send(connection, future.result())
    except OSError:  # the parent is gone (killed, say): nobody to fetch for, stop quietly
        client.stop_at(time.monotonic(), "the refresh ended")
    except Exception:  # a bug here: the log keeps it; the parent reports the unfinished sources
        logger.exception("the fetch process failed")
        client.stop_at(time.monotonic(), "the refresh ended")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        client.close()
        with contextlib.suppress(OSError):
            connection.close()


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with_parent() -> None:
    """Make this process end when its parent does, however the parent ends.

    A parent killed with SIGKILL (or the window crashing) runs no clean-up, so nobody would kill
    this process: it would go on fetching, for as long as a slow site trickles bytes, for no one.
    On Linux the kernel sends SIGKILL here when the parent dies (prctl PR_SET_PDEATHSIG). Everywhere,
    a watcher thread waits on the parent's sentinel (a pipe the parent holds open on POSIX, the
    parent's process handle on Windows), which is ready once the parent is gone, and then exits
    this process; it also covers a parent that died before the prctl call took effect.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # called in the main process (not the fetch child): nothing to watch
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(
        target=_exit_when_ready, args=(parent.sentinel,), name="parent-watch", daemon=True
    ).start()


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)  # the parent is gone: no one reads the results, nothing here needs saving


def _send(connection: Connection, fetched: Fetched) -> None:
    try:
        connection.send(fetched)
    except (TypeError, AttributeError, RecursionError) as exc:  # a result that cannot be pickled
        logger.exception("result of %s could not be sent", fetched.source.id)
        connection.send(Fetched(fetched.source, error=f"unexpected error: {exc.__class__.__name__}: {exc}"))


def fetch_source(
    db_path: Path,
    client: HttpClient,
    source: Source,
    validators: Validators,
    cancel: EventFlag,
    details: bool = True,
) -> Fetched:
    """Network and parsing for one source, and one short read to decide which details to fetch.

    Never raises: whatever goes wrong costs this source only, with a reason.
    """
    if cancel.is_set():
        return Fetched(source, cancelled=True)
    try:
        kind = get_kind(source.kind)
        listing = kind.fetch(client, source, validators)
        if listing.not_modified or not details or not has_details(kind):
            return Fetched(source, listing, tuple(listing.announcements))
        reader = Store.open(db_path)
        try:
            wanted = {a.url for a in reader.needs_detail(listing.announcements, source_id=source.id)}
        finally:
            reader.close()
    except ScrapeError as exc:
        if cancel.is_set():  # the user's Cancel ended the request, the site did nothing wrong
            return Fetched(source, cancelled=True)
        return Fetched(source, error=str(exc), unreachable=isinstance(exc, NetworkError))
    except Exception as exc:  # a parser bug must cost one source, never the refresh
        logger.exception("source %s failed unexpectedly", source.id)
        return Fetched(source, error=f"unexpected error: {exc.__class__.__name__}: {exc}")
    items: list[Announcement] = []
    errors: list[str] = []
    out_of_time = False
    for item in listing.announcements:
        if item.url in wanted and not out_of_time and not cancel.is_set():
            try:
                item = kind.fetch_detail(client, source, item)
            except DeadlineExceeded as exc:  # keep the listing; the other details cannot be had now
                errors.append(str(exc))
                out_of_time = True
            except ScrapeError as exc:
                errors.append(str(exc))
            except Exception as exc:
                logger.exception("detail of %s failed unexpectedly", item.url)
                errors.append(f"unexpected error: {exc.__class__.__name__}")
        items.append(item)
    return Fetched(source, listing, tuple(items), detail_errors=tuple(errors))
