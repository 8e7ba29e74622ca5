"""The user's own work, kept on every change in a small file of its own, keyed by the records'
identity.

Notes, statuses, stars, read marks and tags are tiny and irreplaceable; the scraped text
around them can be fetched again. A full copy of a large store takes seconds and gigabytes,
so it is taken once a day at most (db.backups); this file follows every change batch instead.
It is an SQLite file (`backups/<stem>-user-work.sqlite`, application id "PTuw") holding one
row per record that carries any user work, keyed by the record's canonical URL
(db.identity), never by its row id, so it can be put back onto any store holding the same
records: a restored copy, a store rebuilt by fetching again.

Each change batch updates only the rows of the records it changed (milliseconds, whatever
the store's size). Once a day, off the UI thread, the whole file is rebuilt from the store
(so nothing a failed update or an older version missed stays missing) and a dated copy of
it is kept: the last KEEP_GENERATIONS days.

Writing here never fails the user's change: the store has already committed it. A batch
that could not be written is remembered and written with the next one.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlite_utils import Database

from db import userdata
from db.errors import StoreError
from db.readonly import connect_readonly
from db.rows import chunked, marks
from db.schema import STATUSES, USER_FIELDS
from db.schema_check import schema_objects
from db.tag_admin import TAG_COLOURS

logger = logging.getLogger(__name__)

APPLICATION_ID = int.from_bytes(b"PTuw", "big")
FORMAT_VERSION = 2  # 2: the followed mark
KEEP_GENERATIONS = 7
WRITE_WAIT_S = 0.2  # an update waits no longer than this for the daily rebuild; retried later
WAL_LIMIT = 1024 * 1024
TITLE_CHARS = 100  # enough to recognise a record that is no longer in the store

# The user columns kept, beside the tags (tags_text is derived from them), by file version:
# a file an older version wrote is still restored, with the columns it has.
KEPT_FIELDS = tuple(f for f in USER_FIELDS if f != "tags_text")
FIELDS_BY_VERSION: dict[int, tuple[str, ...]] = {
    1: tuple(f for f in KEPT_FIELDS if f != "followed"),
    2: KEPT_FIELDS,
}


def _schema(version: int) -> tuple[str, ...]:
    return (
        f"""
    CREATE TABLE work (
        url TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        {", ".join(f"{field}" for field in FIELDS_BY_VERSION[version])},
        tags TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID
    """,
        "CREATE TABLE tags (name TEXT PRIMARY KEY COLLATE NOCASE, colour TEXT) WITHOUT ROWID",
    )


# A record carries user work when any of these holds; each is served by an index of records.
_HAS_WORK = (
    "SELECT id FROM records WHERE note IS NOT NULL AND note != ''",
    "SELECT id FROM records WHERE status IN ('reviewing', 'done', 'archived')",
    "SELECT id FROM records WHERE starred = 1",
    "SELECT id FROM records WHERE followed = 1",
    "SELECT id FROM records WHERE read_at IS NOT NULL",
    "SELECT record_id FROM record_tags",
)
_COLUMNS = f"url, substr(title, 1, {TITLE_CHARS}), {', '.join(KEPT_FIELDS)}, tags_text"


def user_work_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / "backups" / f"{db_path.stem}-user-work.sqlite"


def generations(db_path: Path) -> list[Path]:
    """The dated copies of the user-work file, newest first."""
    folder = user_work_path(db_path).parent
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(db_path).stem}-user-work-????????.sqlite"), reverse=True)


def is_user_work_file(path: Path) -> bool:
    """Whether `path` is a user-work file (by its application id; read through SQLite)."""
    try:
        conn = connect_readonly(Path(path))
        try:
            return int(conn.execute("PRAGMA application_id").fetchone()[0]) == APPLICATION_ID
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _create(conn: sqlite3.Connection, version: int = FORMAT_VERSION, replacing: bool = False) -> None:
    """The file's tables and marks, in one transaction (one write to the disk, not four);
    `replacing` drops an older version's tables first (the rebuild that follows refills them)."""
    conn.execute("BEGIN IMMEDIATE")
    if replacing:
        conn.execute("DROP TABLE IF EXISTS work")
        conn.execute("DROP TABLE IF EXISTS tags")
    for statement in _schema(version):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("COMMIT")


def _open(path: Path, wait_s: float) -> tuple[sqlite3.Connection, bool]:
    """The user-work file at `path` (made if missing); (connection, whether it was made now)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    made = not path.exists() or path.stat().st_size == 0
    conn = sqlite3.connect(str(path), timeout=wait_s, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA synchronous = NORMAL")  # the store itself is FULL; this is its copy
        if made:
            _create(conn)
        elif int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            raise sqlite3.DatabaseError(f"{path} is not a user-work file")  # never written to
        elif int(conn.execute("PRAGMA user_version").fetchone()[0]) < FORMAT_VERSION:
            # The current file of an older version: remade and rebuilt from the store (its
            # dated copies stay as they are, and restore as they are).
            _create(conn, replacing=True)
            made = True
        conn.execute("PRAGMA journal_mode = WAL")  # a change batch then costs no fsync
        conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT}")  # not left at a rebuild's size
    except BaseException:
        conn.close()
        raise
    return conn, made


def _not_user_work_reason(conn: sqlite3.Connection) -> str | None:
    """Why the file open on `conn` is not a user-work file of a version we read (None: it is
    one), its schema objects compared as a store's are (a file is data, never code)."""
    if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
        return "it is not a Policy Tracker user-work file"
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > FORMAT_VERSION:
        return "it was made by a newer version of Policy Tracker"
    if version not in FIELDS_BY_VERSION:
        return "it is not a Policy Tracker user-work file"
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _create(fresh, version)
        wanted = schema_objects(fresh)
    finally:
        fresh.close()
    if schema_objects(conn) != wanted:
        return "its database objects are not Policy Tracker's own"
    return None


# Whether a record of the store still carries user work (else its row leaves the file), in SQL:
# a change to a million records is copied without one of their rows going through Python.
_HAS_WORK_SQL = (
    "(coalesce(note, '') != '' OR status IS NOT 'new' OR starred OR followed"
    " OR coalesce(read_at, '') != '' OR tags_text != '')"
)
_WORK_FIELDS = ("url", "title", *KEPT_FIELDS, "tags")
_WORK_NAMES = ", ".join(_WORK_FIELDS)


def _copy_tags(store: sqlite3.Connection, work: sqlite3.Connection) -> None:
    work.execute("DELETE FROM tags")
    work.executemany(
        "INSERT INTO tags (name, colour) VALUES (?, ?)", store.execute("SELECT name, colour FROM tags")
    )


def _rebuild(store: sqlite3.Connection, work: sqlite3.Connection) -> int:
    """Replace the whole file's content with the store's user work, in one transaction (the
    rows stream from one connection to the other: never all of them in memory at once)."""
    union = " UNION ".join(_HAS_WORK)
    work.execute("BEGIN IMMEDIATE")
    try:
        work.execute("DELETE FROM work")
        work.executemany(
            f"INSERT OR REPLACE INTO work ({_WORK_NAMES}) VALUES ({marks(len(_WORK_FIELDS))})",
            store.execute(f"SELECT {_COLUMNS} FROM records WHERE id IN ({union}) AND {_HAS_WORK_SQL}"),
        )
        _copy_tags(store, work)
        count = int(work.execute("SELECT count(*) FROM work").fetchone()[0])
        work.execute("COMMIT")
    except BaseException:
        if work.in_transaction:
            work.execute("ROLLBACK")
        raise
    return count


def _write_attached(store: sqlite3.Connection, path: Path, ids: str | None, tags: bool) -> None:
    """Copy the user work of the records `ids` lists (None: the whole file, from every record
    with work) from the store into the file at `path`, attached to the store's connection for
    the copy, dropping the rows of records that no longer carry any. Waits at most
    WRITE_WAIT_S for the file (a daily rebuild may hold it)."""
    chosen = f"FROM main.records WHERE id IN ({ids or ' UNION '.join(_HAS_WORK)})"
    wait_ms = int(store.execute("PRAGMA busy_timeout").fetchone()[0])
    store.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_S * 1000)}")
    store.execute("ATTACH DATABASE ? AS user_work", (str(path),))
    try:
        store.execute("PRAGMA user_work.synchronous = NORMAL")  # as its own connection has it
        store.execute("BEGIN")  # deferred: writes the file only, reads a snapshot of the store
        try:
            if ids is None:
                store.execute("DELETE FROM user_work.work")
            store.execute(
                f"INSERT OR REPLACE INTO user_work.work ({_WORK_NAMES})"
                f" SELECT {_COLUMNS} {chosen} AND {_HAS_WORK_SQL}"
            )
            store.execute(
                f"DELETE FROM user_work.work WHERE url IN (SELECT url {chosen} AND NOT {_HAS_WORK_SQL})"
            )
            if tags or ids is None:
                store.execute("DELETE FROM user_work.tags")
                store.execute("INSERT INTO user_work.tags (name, colour) SELECT name, colour FROM main.tags")
            store.execute("COMMIT")
        except BaseException:
            if store.in_transaction:
                store.execute("ROLLBACK")
            raise
    finally:
        store.execute("DETACH DATABASE user_work")
        store.execute(f"PRAGMA busy_timeout = {wait_ms}")


class UserWorkMirror:
    """The user-work file of one Store, updated after each of its change batches."""

    def __init__(self, db_path: Path) -> None:
        self.path = user_work_path(db_path)
        self._conn: sqlite3.Connection | None = None
        self._pending: set[int] = set()
        self._everything = False  # the next write rebuilds the whole file

    def changed(self, store: sqlite3.Connection, ids: Iterable[int] | None, tags: bool = False) -> None:
        """Write the user work of records `ids` (None: every record) as the store now has it.
        Never raises: a failure is logged and the records are written with the next batch."""
        if ids is None:
            self._everything = True
        else:
            self._pending.update(ids)
        self._flush(store, None, tags)

    def changed_listed(self, store: sqlite3.Connection, listed: str, tags: bool = False) -> None:
        """Write the user work of the records `listed` names: a query of record ids in the
        store's connection (a bulk change's temporary list), so that the ids of a million
        records never become Python objects. A failure makes the next write a rebuild."""
        self._flush(store, listed, tags)

    def _flush(self, store: sqlite3.Connection, listed: str | None, tags: bool) -> None:
        try:
            if self._conn is None:
                self._conn, made = _open(self.path, WRITE_WAIT_S)
                self._everything = self._everything or made
            self._write(store, listed, tags)
        except (sqlite3.Error, OSError) as exc:
            self._everything = self._everything or listed is not None  # that list is gone
            if self._conn is not None:  # opened again next time: the file may have been moved away
                self._conn.close()
                self._conn = None
            logger.warning(
                "user work not yet written to %s (%s); it will be with the next change", self.path, exc
            )
            return
        self._pending.clear()
        self._everything = False

    def _write(self, store: sqlite3.Connection, listed: str | None, tags: bool) -> None:
        """The pending records (and the `listed` ones) copied in SQL, the file attached to the
        store's connection: no row of theirs goes through Python, whatever their number."""
        if self._everything:
            _write_attached(store, self.path, None, tags)
            return
        store.execute("CREATE TEMP TABLE IF NOT EXISTS user_work_ids (id INTEGER PRIMARY KEY)")
        try:
            store.executemany(
                "INSERT OR IGNORE INTO temp.user_work_ids VALUES (?)", ((i,) for i in self._pending)
            )
            ids = "SELECT id FROM temp.user_work_ids" + (f" UNION ALL {listed}" if listed else "")
            _write_attached(store, self.path, ids, tags)
        finally:
            store.execute("DROP TABLE temp.user_work_ids")

    def close(self, store: sqlite3.Connection | None) -> None:
        """Write what is still pending (waiting longer than a batch would), then close."""
        if store is not None and (self._pending or self._everything):
            self.changed(store, ())
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def daily_user_work(db_path: Path, *, today: date | None = None, keep: int = KEEP_GENERATIONS) -> Path | None:
    """Rebuild the user-work file from the store and keep today's copy of it (once a day).

    Runs off the UI thread with its own connections; returns the dated copy, or None when
    there is one for today already or no store yet.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    day = (today or datetime.now(UTC).date()).strftime("%Y%m%d")
    current = user_work_path(db_path)
    dest = current.with_name(f"{db_path.stem}-user-work-{day}.sqlite")
    if dest.exists():
        return None
    store = connect_readonly(db_path)
    try:
        work, _ = _open(current, 30.0)
        try:
            _rebuild(store, work)
            partial = dest.with_name(dest.name + ".partial")
            partial.unlink(missing_ok=True)
            target = sqlite3.connect(str(partial))
            try:
                work.backup(target)
            finally:
                target.close()
            os.replace(partial, dest)
        finally:
            work.close()
    finally:
        store.close()
    for old in generations(db_path)[keep:]:
        old.unlink(missing_ok=True)
    return dest


def write_user_work(db_path: Path, dest: Path) -> int:
    """A complete user-work file of the store at `dest` (written under a temporary name and
    renamed); returns the number of records it holds."""
    partial = Path(dest).with_name(Path(dest).name + ".partial")
    partial.unlink(missing_ok=True)
    store = connect_readonly(Path(db_path))
    try:
        work, _ = _open(partial, 30.0)
        try:
            count = _rebuild(store, work)
            work.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            work.close()
    finally:
        store.close()
    os.replace(partial, dest)
    return count


@dataclass(frozen=True)
class UserWorkResult:
    """What putting a user-work file back did: records found by their link, and not found."""

    matched: int
    unmatched: int
    unmatched_titles: tuple[str, ...]


def apply_user_work(db: Database, path: Path) -> UserWorkResult:
    """Put the user work in `path` onto the records of this store with the same link; runs in
    the caller's write transaction. Records the file does not name keep their own work;
    records it names that this store does not hold are counted and named, never invented."""
    source = connect_readonly(Path(path))
    try:
        reason = _not_user_work_reason(source)
        if reason is not None:
            raise StoreError(f"{path} cannot be restored: {reason}. Nothing was changed.")
        fields = FIELDS_BY_VERSION[int(source.execute("PRAGMA user_version").fetchone()[0])]
        names = ("url", "title", *fields, "tags")
        rows = source.execute(f"SELECT {', '.join(names)} FROM work").fetchall()
        colours = dict(source.execute("SELECT name, colour FROM tags").fetchall())
    finally:
        source.close()
    _check_values(path, names, rows)
    conn = db.conn
    conn.execute(f"CREATE TEMP TABLE restoring ({', '.join(names)}, PRIMARY KEY (url))")
    try:
        conn.executemany(f"INSERT OR REPLACE INTO temp.restoring VALUES ({marks(len(names))})", rows)
        absent = "NOT EXISTS (SELECT 1 FROM records r WHERE r.url = w.url)"
        unmatched = int(conn.execute(f"SELECT count(*) FROM temp.restoring w WHERE {absent}").fetchone()[0])
        missing = [
            str(title)
            for (title,) in conn.execute(
                "SELECT coalesce(nullif(title, ''), url) FROM temp.restoring w"
                f" WHERE {absent} ORDER BY url LIMIT 5"
            )
        ]
        matched = len(rows) - unmatched
        # Only rows whose work differs are written: each write rewrites a dozen indexes.
        assignments = ", ".join(f"{field} = w.{field}" for field in fields)
        differs = " OR ".join(f"records.{field} IS NOT w.{field}" for field in fields)
        conn.execute(
            f"UPDATE records SET {assignments} FROM temp.restoring w"
            f" WHERE records.url = w.url AND ({differs})"
        )
        retag = conn.execute(
            "SELECT r.id, w.tags FROM records r JOIN temp.restoring w ON w.url = r.url"
            " WHERE r.tags_text IS NOT w.tags"
        ).fetchall()
        _retag(db, [(int(record_id), str(tags or "")) for record_id, tags in retag])
    finally:
        conn.execute("DROP TABLE temp.restoring")
    _restore_tag_rows(db, colours)
    return UserWorkResult(matched, unmatched, tuple(missing))


def _restore_tag_rows(db: Database, colours: dict[str, str | None]) -> None:
    """The file's tags, made if missing (a tag the user made and coloured may tag no record
    yet), each with its colour where the store's tag has none. A name or colour the store
    would refuse is left out."""
    for name, colour in colours.items():
        try:
            cleaned = userdata.clean_tag(str(name))
        except ValueError:
            continue
        known = colour if colour in TAG_COLOURS else None
        db.conn.execute(
            "INSERT INTO tags (name, colour) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET colour = coalesce(tags.colour, excluded.colour)",
            (cleaned, known),
        )


def _retag(db: Database, retag: list[tuple[int, str]]) -> None:
    """Give each record the tags named in its "a; b" text (`userdata.set_tags`, for many
    records at once)."""
    ids = [record_id for record_id, _ in retag]
    for part in chunked(ids):
        db.conn.execute(f"DELETE FROM record_tags WHERE record_id IN ({marks(len(part))})", part)
    known: dict[str, int] = {}
    links = []
    for record_id, text in retag:
        for name in text.split(userdata.TAG_SEPARATOR):
            if name.strip():
                cleaned = userdata.clean_tag(name)
                key = cleaned.casefold()
                if key not in known:
                    known[key] = userdata.tag_id(db, cleaned)
                links.append((record_id, known[key]))
    db.conn.executemany("INSERT OR IGNORE INTO record_tags (record_id, tag_id) VALUES (?, ?)", links)
    userdata.refresh_tags_text(db, ids)


def _check_values(path: Path, names: Sequence[str], rows: list[tuple[object, ...]]) -> None:
    """Refuse (nothing changed) a file holding values the store's own checks would refuse."""
    status_at, starred_at = names.index("status"), names.index("starred")
    followed_at = names.index("followed") if "followed" in names else None
    for row in rows:
        bad_follow = followed_at is not None and row[followed_at] not in (0, 1)
        if row[status_at] not in STATUSES or row[starred_at] not in (0, 1) or bad_follow or not row[0]:
            raise StoreError(
                f"{path} cannot be restored: it holds a record ({row[0]!r}) whose status, star or follow "
                "Policy Tracker would not store. Nothing was changed."
            )
