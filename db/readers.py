"""Read-only Stores kept open between one window's worker reads.

The window's table reads every page on a worker thread, on a read-only Store of the worker's
own (desktop/page_reads.py). Opening one at a million records costs more than the read it is
for: about 1.3 ms for the connection, the schema and the open lock, and its page cache starts
empty, against 0.7 ms to read a sorted page on a Store already open (benchmarks/README.md,
"Where the rows stand"). So a read borrows an idle Store of the file and gives it back.

What keeps a kept Store honest:
- SQLite itself: each read starts from the newest commit of any connection, in any process,
  and its page cache is dropped when the file changed; a kept Store is never in a
  transaction between reads (one left open would pin an old snapshot, so it is closed), and
  one reading the file as immutable (db/readonly.py), blind to changes, is never kept.
- The file's identity: a Store kept for a file that was since replaced (a restore, the store
  moved aside and made again) is closed, never read, and a new one opened.
- `close_idle(path)`, when the window closes its store: a restore refuses while any Store
  holds the file open (db/open_lock.py), so none may linger; one still reading then is closed
  when it comes back instead of being kept.

A Store is shared between threads one at a time (SQLite is built serialized here; the
connection is made without Python's same-thread check, db/readonly.py), never at once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from db.readonly import ImmutableConnection
from db.store import Store

IDLE_MAX = 2  # a file's kept Stores: the window's pool runs a page read and a count at once

_FileId = tuple[int, int]

_lock = threading.Lock()
_idle: dict[Path, list[tuple[_FileId, Store]]] = {}
_epochs: dict[Path, int] = {}  # moved on by close_idle: a Store borrowed before is not kept


def _file_id(path: Path) -> _FileId | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@contextlib.contextmanager
def reading(path: Path) -> Iterator[Store]:
    """A read-only Store of `path` for one read: a kept one if the file is still the one it
    opened, else a new one (StoreError as Store.open raises it). Kept again afterwards when
    the read ended well or was interrupted; closed after any other failure."""
    key = Path(path).resolve()
    file, store, epoch = _borrow(key)
    if store is None:
        file = _file_id(key)  # before opening: a file replaced meanwhile is then not kept
        store = Store.open(key, readonly=True)
    try:
        yield store
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc):
            store.close()
        else:
            _give_back(key, file, store, epoch)
        raise
    except BaseException:
        store.close()
        raise
    _give_back(key, file, store, epoch)


def close_idle(path: Path) -> None:
    """Close the kept Stores of `path` now, and any still borrowed when it comes back."""
    key = Path(path).resolve()
    with _lock:
        _epochs[key] = _epochs.get(key, 0) + 1
        idle = _idle.pop(key, [])
    for _file, store in idle:
        store.close()


def idle(path: Path) -> list[Store]:
    """The Stores of `path` kept open now (the benchmarks empty their memories, to time
    counts and prefix expansions cold)."""
    with _lock:
        return [store for _file, store in _idle.get(Path(path).resolve(), [])]


def _borrow(key: Path) -> tuple[_FileId | None, Store | None, int]:
    """A kept Store of the file as it is now, with the file's identity when it was opened."""
    now_id = _file_id(key)
    stale: list[Store] = []
    found: tuple[_FileId | None, Store | None] = (None, None)
    with _lock:
        epoch = _epochs.get(key, 0)
        idle = _idle.get(key, [])
        while idle and found[1] is None:
            file, store = idle.pop()
            if file == now_id:
                found = (file, store)
            else:
                stale.append(store)
    for store in stale:
        store.close()
    return (*found, epoch)


def _give_back(key: Path, file: _FileId | None, store: Store, epoch: int) -> None:
    conn = store.db.conn
    conn.set_progress_handler(None, 0)
    with _lock:
        kept = _idle.setdefault(key, [])
        keep = (
            file is not None
            and not conn.in_transaction
            and not isinstance(conn, ImmutableConnection)  # blind to later changes
            and _epochs.get(key, 0) == epoch
            and len(kept) < IDLE_MAX
        )
        if keep and file is not None:
            kept.append((file, store))
    if not keep:
        store.close()
