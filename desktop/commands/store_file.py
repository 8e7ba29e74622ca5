"""Opening the store from a command: the checks that turn SQLite's "cannot open" into the reason."""

from __future__ import annotations

from pathlib import Path

from db.store import Store, StoreError
from desktop.commands.errors import UsageError

_SQLITE_HEADER = b"SQLite format 3\x00"


def check_store_path(db_path: Path) -> None:
    """Refuse, before SQLite tries, a store path that is a folder, a device or a file that is
    not a database: one line with the real reason (SQLite's own would be "cannot open")."""
    if not db_path.exists():
        return
    if db_path.is_dir():
        raise UsageError(f"{db_path} is a folder, not a store file")
    if not db_path.is_file():
        raise StoreError(f"{db_path} is not a regular file (a device, a pipe or a socket), not a store")
    try:
        with db_path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{db_path} cannot be read: {exc.strerror or exc}") from None
    if head and head != _SQLITE_HEADER:
        raise StoreError(f"{db_path} is not a Policy Tracker database: it is not an SQLite database file")


def open_store(db_path: Path) -> Store:
    """The store at db_path, checked first, created (with its folder) when it is not there."""
    check_store_path(db_path)
    if not db_path.parent.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    return Store.open(db_path)
