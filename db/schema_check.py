"""Whether a store file holds exactly the schema objects the app's migrations create.

A file is data, never code: a "backup" carrying its own trigger (say, one that clears every
other record's note on each update) would run that SQL inside the app as soon as the user
edits anything, and `integrity_check` would still pass. So a store is opened or restored only
when its tables, indexes, triggers and views are exactly those the migrations make for its
schema version. The expected set is computed by running the migrations on an empty database
in memory, so it can never fall out of step with them.

Tables and indexes SQLite or sqlite-utils write themselves (the full-text indexes' shadow
tables, `_sqlite_migrations`, `sqlite_stat*`) are compared by name only: their text depends on
the library's version, and a table or index cannot run SQL.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from sqlite_utils import Database

from db import schema

_SQLITE_INTERNAL = re.compile(r"sqlite_(stat\d|sequence)$")
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")

SchemaObject = tuple[str, str, str]  # (type, name, normalised SQL or "" when compared by name)


def _normalised(sql: str | None) -> str:
    return " ".join((sql or "").split())


def _library_made(name: str, virtual_tables: set[str]) -> bool:
    if name == "_sqlite_migrations" or name.startswith("idx__sqlite_migrations"):
        return True
    return any(name == f"{table}{suffix}" for table in virtual_tables for suffix in _SHADOW_SUFFIXES)


def schema_objects(conn: sqlite3.Connection) -> set[SchemaObject]:
    """The schema objects of the main database of `conn`, in the form they are compared in."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    virtual = {name for kind, name, sql in rows if kind == "table" and "VIRTUAL TABLE" in (sql or "").upper()}
    found: set[SchemaObject] = set()
    for kind, name, sql in rows:
        if _SQLITE_INTERNAL.match(name):
            continue
        compared = "" if name.startswith("sqlite_autoindex_") or _library_made(name, virtual) else sql
        found.add((kind, name, _normalised(compared)))
    return found


@functools.cache
def expected_objects(version: int) -> frozenset[SchemaObject]:
    """The objects a store at schema `version` holds: the first `version` migrations, run on
    an empty database."""
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    try:
        names = [m.name for m in schema.MIGRATIONS.pending(db)]
        if not 0 < version <= len(names):
            raise ValueError(f"no schema version {version} (this version knows 1 to {len(names)})")
        schema.MIGRATIONS.apply(db, stop_before=names[version:])
        return frozenset(schema_objects(db.conn))
    finally:
        db.close()


def foreign_objects_reason(conn: sqlite3.Connection) -> str | None:
    """Why the store open on `conn` does not hold exactly the app's own schema objects for its
    version (None: it does). Reads only."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    try:
        wanted = expected_objects(version)
    except ValueError as exc:
        return str(exc)
    found = schema_objects(conn)
    extra = sorted(found - wanted, key=lambda o: (o[0], o[1]))
    missing = sorted(wanted - found, key=lambda o: (o[0], o[1]))
    altered = {(kind, name) for kind, name, _ in extra} & {(kind, name) for kind, name, _ in missing}
    parts = []
    if altered:
        parts.append("altered: " + _names(sorted(altered)))
    added = [(kind, name) for kind, name, _ in extra if (kind, name) not in altered]
    if added:
        parts.append("not made by Policy Tracker: " + _names(added))
    gone = [(kind, name) for kind, name, _ in missing if (kind, name) not in altered]
    if gone:
        parts.append("missing: " + _names(gone))
    if not parts:
        return None
    return "its database objects are not Policy Tracker's own (" + "; ".join(parts) + ")"


def _names(objects: list[tuple[str, str]], limit: int = 4) -> str:
    shown = ", ".join(f"{kind} {name!r}" for kind, name in objects[:limit])
    more = len(objects) - limit
    return shown + (f" and {more} more" if more > 0 else "")
