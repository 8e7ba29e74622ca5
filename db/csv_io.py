"""CSV export and import (contract columns): UTF-8 with BOM for Excel, no formula can ride along.

Export writes the tracker's current view in its order, streaming rows. Import reads our own
export or a hand-made tracker spreadsheet: notes, tags, status and stars for known links, new
records for unknown ones, all in one transaction.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from db import userdata
from db.atomic_file import replace_with, temporary_beside
from db.errors import DAMAGED, StoreError
from db.safe_text import shown
from db.saving import NewRecords, fast_canonical_url, given_fields
from db.schema import STATUSES

logger = logging.getLogger(__name__)

EXPORT_COLUMNS: tuple[str, ...] = (
    "url",
    "title",
    "identifier",
    "source",
    "category",
    "jurisdiction",
    "organisation",
    "published_at",
    "deadline_at",
    "call_status",
    "budget_amount",
    "budget_currency",
    "status",
    "starred",
    "tags",
    "note",
    "summary",
    "followed",  # after the columns older exports had, so their order stays the contract
    # The funding facets, after those too, so a spreadsheet made for them still lines up.
    "opens_at",
    "programme",
    "action_type",
)
_EXPORT_SQL = {
    "source": "coalesce(s.name, r.source_id, '')",
    "tags": "r.tags_text",
}

# A spreadsheet runs a cell starting with these as a formula (OWASP CSV injection). Such a cell
# gets a leading "'"; so does one already starting with quotes before such a character, so
# that import can strip exactly one quote and give back the original text.
_DANGEROUS = "=+-@\t\r\n\x00"
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(_DANGEROUS)}]")
_WAS_QUOTED = re.compile(f"'+[{re.escape(_DANGEROUS)}]")

_TRUE = {"1", "true", "yes", "y", "x", "★", "starred"}
_FALSE = {"0", "false", "no", "n", ""}
_FIELD_LIMIT = 64 * 1024 * 1024  # a long note or summary is one big cell


# record_versions.source_id of the user values an import replaced (the values before and
# after, as refreshes keep scraped ones), and of those `undo_last_import` has put back.
IMPORTED = "import"
IMPORT_UNDONE = "import-undone"
USER_FIELDS = ("note", "tags", "status", "starred", "followed")


@dataclass(frozen=True)
class ImportResult:
    """What an import did: records created, records whose user data changed, rows that
    matched a record and changed nothing, rows skipped for having no link; and of the stored
    records, how many notes, tag lists, statuses and stars it changed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: int = 0
    tags: int = 0
    statuses: int = 0
    stars: int = 0
    follows: int = 0

    def changes_text(self) -> str:
        """ "2 notes, 1 tag list, 0 statuses, 0 stars, 1 follow changed" (empty when none
        changed; follows are named only when some changed, as few files carry them)."""
        if not (self.notes or self.tags or self.statuses or self.stars or self.follows):
            return ""
        follows = f", {_count(self.follows, 'follow')}" if self.follows else ""
        return (
            f"{_count(self.notes, 'note')}, {_count(self.tags, 'tag list')}, "
            f"{_count(self.statuses, 'status', 'statuses')}, {_count(self.stars, 'star')}"
            f"{follows} changed"
        )


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def neutralise(text: str) -> str:
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    return text[1:] if text[:1] == "'" and _WAS_QUOTED.match(text) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return neutralise(str(value))


# A cell needs `_cell`'s full treatment only if it is not text, or starts with one of these.
_RISKY = frozenset(_DANGEROUS + "'")


def export_rows(db: Database, where: str, params: dict[str, Any], order: str) -> Iterator[str]:
    """The export's rows in the tracker's order, as CSV lines: what csv.writer would write for
    `_cell` of each value (tests/db/test_csv_io_export_lines.py holds them to it: QUOTE_MINIMAL
    quotes a cell holding a double quote, a comma or a line break), built with string methods,
    which is three times as fast. One statement for the whole file (a consistent
    snapshot), read as it is written, never the whole result in memory."""
    columns = ", ".join(f"{_EXPORT_SQL.get(c, 'r.' + c)} AS {c}" for c in EXPORT_COLUMNS)
    cursor = db.conn.execute(
        f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
        f" WHERE {where} ORDER BY {order}",
        params,
    )
    risky, cell = _RISKY, _cell
    try:
        for row in cursor:
            cells: list[Any] = []
            add = cells.append
            for value in row:
                if value is None:
                    add("")
                    continue
                if value.__class__ is not str or (value and value[0] in risky):
                    value = cell(value)
                if '"' in value or "," in value or "\n" in value or "\r" in value:
                    value = '"' + value.replace('"', '""') + '"'
                add(value)
            yield ",".join(cells) + "\r\n"
    finally:
        cursor.close()


_SQLITE_HEADER = b"SQLite format 3\x00"
_STORE_SIDECARS = ("", "-wal", "-shm", "-journal", "-open")


def check_export_target(target: Path, store_path: Path, kind: str) -> None:
    """Refuse to write an export over the store, one of its side files or any SQLite database
    (a backup): an export named after the wrong file must never replace the user's work.
    `kind` names what is being written ("CSV file", "XLSX workbook", "brief") so the message
    says which file the user should rename."""
    chosen = target.resolve()
    store = store_path.resolve()
    if chosen in {Path(f"{store}{suffix}") for suffix in _STORE_SIDECARS}:
        raise StoreError(
            f"{shown(str(target), 120)} is the store itself or one of its files: "
            f"choose another name for the {kind}. Nothing was written."
        )
    try:
        with chosen.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return  # no such file (or unreadable: writing it will say why)
    if head == _SQLITE_HEADER:
        raise StoreError(
            f"{shown(str(target), 120)} is an SQLite database (a store or a backup): "
            f"choose another name for the {kind}. Nothing was written."
        )


def write_csv(target: str | Path | IO[str], rows: Iterator[str]) -> int:
    """Write the header and the lines to a path or an open text file; returns the number of
    rows. A path is written to a temporary file beside it, synced, then renamed over it: an
    export that fails half way (a full disk, a damaged store) leaves no half file and the
    previous file as it was. Raises OSError for the file, StoreError for the store."""
    try:
        if hasattr(target, "write"):
            return _write(target, rows)  # type: ignore[arg-type]
        return _write_replacing(Path(target), rows)
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
        # Text that is not UTF-8 inside a record: the file's pages were damaged.
        raise StoreError(f"{DAMAGED} (a record's text cannot be read); the export was not written.") from exc
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # the query's cursor, while its connection is still open


def _write_replacing(path: Path, rows: Iterator[str]) -> int:
    with temporary_beside(path) as temporary:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            count = _write(handle, rows)
        replace_with(temporary, path)
    return count


def _write(handle: IO[str], rows: Iterator[str]) -> int:
    handle.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    csv.writer(handle).writerow(EXPORT_COLUMNS)
    count = 0
    for line in rows:
        handle.write(line)
        count += 1
    return count


_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_READ_CHUNK = 1 << 20


def _encoding(path: Path) -> str:
    """The file's text encoding: UTF-16 by its BOM, else UTF-8 if every byte decodes as UTF-8,
    else Excel's cp1252, else latin-1 (which takes any byte). Read in chunks: a big export
    is checked without holding it in memory."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            if head.startswith(_EXCEL_MAGIC):
                raise StoreError(f"{path} is an Excel workbook, not CSV: save it as CSV (UTF-8) first.")
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                return "utf-16"
            handle.seek(0)
            unmarked = _utf16_without_bom(handle.read(4096))
            if unmarked:
                return unmarked
            for encoding in ("utf-8-sig", "cp1252"):
                handle.seek(0)
                decoder = codecs.getincrementaldecoder(encoding)()
                try:
                    while chunk := handle.read(_READ_CHUNK):
                        decoder.decode(chunk)
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    continue
                return encoding
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return "latin-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 by its zero bytes: text in Latin script saved as UTF-16 without a byte order mark
    has a zero in every other byte (odd places little-endian, even places big-endian), which
    UTF-8 would otherwise accept as text full of NUL characters."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.6 and even == 0:
        return "utf-16-le"
    if even >= pairs * 0.6 and odd == 0:
        return "utf-16-be"
    return None


def _normal_name(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().split())


@dataclass(frozen=True)
class _Layout:
    """How the file is laid out: its delimiter, its header's width and its link column."""

    delimiter: str
    width: int
    url_column: int


def _reader(path: Path, handle: IO[str]) -> tuple[dict[str, int], Any, _Layout]:
    """The header (column name -> index) and the rows, for whichever of `,` `;` or tab the
    file uses (Excel in much of Europe writes `;`)."""
    first_line = handle.readline()
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error as exc:
            raise StoreError(
                f"{path} is not valid CSV (line 1: {_csv_problem(exc)}); nothing was imported."
            ) from exc
        names = [_normal_name(n) for n in header]
        if "url" in names and "title" in names:
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader)
            index: dict[str, int] = {}
            for position, name in enumerate(names):
                index.setdefault(name, position)
            return index, reader, _Layout(delimiter, len(names), index["url"])
    quoted = shown(first_line.strip(), 120) or "nothing"
    raise StoreError(
        f"{path} is not a CSV file with 'url' and 'title' columns (its first line is: {quoted})."
    )


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a cell is larger than {_FIELD_LIMIT // (1024 * 1024)} MiB"
    return str(exc)


def _flag(text: str, line: int, column: str) -> bool | None:
    """A yes/no cell (starred, followed): None when empty, which changes nothing."""
    value = text.strip().lower()
    if value == "":
        return None
    if value in _TRUE or value == column:
        return True
    if value in _FALSE:
        return False
    raise StoreError(f"Line {line}: {column} must be 1 or 0, not {text!r}; nothing was imported.")


def _status(text: str, line: int) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if value not in STATUSES:
        raise StoreError(
            f"Line {line}: unknown status {text!r} (one of: {', '.join(STATUSES)}); nothing was imported."
        )
    return value


IMPORT_BATCH = 10_000  # rows looked up and written together (see `_Importer`)
OPTIMIZE_AFTER = 20_000  # new records from one import after which the search index is merged


@dataclass
class _Row:
    line: int
    url: str
    cells: dict[str, str]


def import_rows(db: Database, path: Path, now: str) -> ImportResult:
    """Apply a CSV file; the caller holds the write transaction (so an error imports nothing).

    The file is read as a stream and applied in batches: the links of a batch are looked up in
    one query and its new records written in one statement (db.saving.NewRecords). Rows are
    still checked in file order, so the first bad line is the one reported."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    encoding = _encoding(path)
    importer = _Importer(db, now)
    skipped = 0
    line = ended = 1
    try:
        with path.open(encoding=encoding, newline="") as handle:
            index, reader, layout = _reader(path, handle)
            names, positions = tuple(index), tuple(index.values())
            # Our own export (and most files): each column named once, in order, so a full row's
            # cells are its names zipped with its values, built in C.
            in_order = positions == tuple(range(len(positions)))
            for row in reader:
                line, ended = ended + 1, reader.line_num
                if ended > line:
                    _refuse_swallowed_rows(row, line, ended, layout)
                if in_order and len(row) >= len(names):
                    cells = dict(zip(names, row, strict=False))  # extra cells past the header are ignored
                else:
                    cells = {name: row[i] for name, i in index.items() if i < len(row)}
                for name, text in cells.items():
                    if text[:1] == "'":  # the few cells the export guarded (`neutralise`)
                        cells[name] = restore(text)
                url_text = cells.get("url", "").strip()
                if not url_text:
                    if any(c.strip() for c in row):
                        skipped += 1
                    continue
                url = fast_canonical_url(url_text)
                if not url.startswith(("http://", "https://")):
                    raise StoreError(
                        f"Line {line}: {url_text[:80]!r} is not a web address (http or https); "
                        "nothing was imported."
                    )
                importer.add(_Row(line, url, cells))
        if ended > line:
            _refuse_unclosed_at_end(path, encoding, line, layout)
    except csv.Error as exc:
        raise StoreError(f"{path} is not valid CSV (line {ended + 1}: {_csv_problem(exc)}).") from exc
    except UnicodeDecodeError as exc:  # the file changed while we read it
        raise StoreError(f"{path} could not be read as {encoding} text ({exc.reason}).") from exc
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    importer.flush()
    new, updated, unchanged = importer.new, importer.updated, importer.unchanged
    if new >= OPTIMIZE_AFTER:
        # A bulk load leaves the search index in many segments, and a search that tests
        # records one at a time seeks in every one of them (ten times slower at a million
        # records). Merging them is a few seconds per million records, once.
        for table in ("records_fts", "notes_fts"):
            db.conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    logger.info("imported %s: %d new, %d updated, %d unchanged", path, new, updated, unchanged)
    changed = importer.changed
    return ImportResult(
        new,
        updated,
        unchanged,
        skipped,
        changed["note"],
        changed["tags"],
        changed["status"],
        changed["starred"],
        changed["followed"],
    )


def undo_last_import(db: Database, now: str) -> tuple[int, int]:
    """Put back the notes, tags, statuses, stars and follows the latest import replaced (the records it
    added stay); the caller holds the write transaction. A value changed again since the import
    is kept as it is now. Returns (records put back, values kept because they changed since)."""
    latest = db.conn.execute("SELECT max(changed_at) FROM record_versions WHERE source_id = ?", (IMPORTED,))
    (stamp,) = latest.fetchone()
    if stamp is None:
        return 0, 0
    rows = db.conn.execute(
        "SELECT v.id, v.record_id, v.previous, v.current, r.note, r.tags_text, r.status, r.starred,"
        " r.followed FROM record_versions v JOIN records r ON r.id = v.record_id"
        " WHERE v.source_id = ? AND v.changed_at = ?",
        (IMPORTED, stamp),
    ).fetchall()
    restored = kept = 0
    for version_id, record_id, previous_json, current_json, *now_values in rows:
        previous, current = json.loads(previous_json), json.loads(current_json)
        values = dict(zip(USER_FIELDS, now_values, strict=True))
        back = {field: previous[field] for field in previous if values[field] == current[field]}
        kept += len(previous) - len(back)
        if "note" in back:
            userdata.set_note(db, record_id, back["note"], now)
        if "tags" in back:
            names = back["tags"].split(userdata.TAG_SEPARATOR) if back["tags"] else []
            userdata.set_tags(db, record_id, names)
        if "status" in back:
            userdata.set_status(db, [record_id], back["status"])
        if "starred" in back:
            userdata.set_starred(db, [record_id], bool(back["starred"]))
        if "followed" in back:
            userdata.set_followed(db, [record_id], bool(back["followed"]))
        restored += 1 if back else 0
        db.conn.execute("UPDATE record_versions SET source_id = ? WHERE id = ?", (IMPORT_UNDONE, version_id))
    return restored, kept


def _refuse_swallowed_rows(row: list[str], line: int, ended: int, layout: _Layout) -> None:
    """A cell spanning lines (a note may) must not hold what are rows of this file: a quote
    left open on `line` makes the reader take every following row into one cell until the
    next quote, and those rows would be lost without a word."""
    for cell in row:
        for text in cell.splitlines()[1:]:
            cells = next(csv.reader([text], delimiter=layout.delimiter), [])
            if len(cells) == layout.width and cells[layout.url_column].strip().startswith(_WEB):
                raise StoreError(
                    f"Line {line}: a quoted cell opened on this line runs to line {ended} and takes in "
                    f'what look like rows ({shown(text, 60)}): a closing quote (") is missing; '
                    "nothing was imported."
                )


def _refuse_unclosed_at_end(path: Path, encoding: str, line: int, layout: _Layout) -> None:
    """The last row spans lines: read it again strictly to tell a note with line breaks from a
    quote that is never closed (which would take the rest of the file into its cell)."""
    with path.open(encoding=encoding, newline="") as handle:
        for _ in range(line - 1):
            handle.readline()
        try:
            for _ in csv.reader(handle, delimiter=layout.delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                return  # some other oddity the lenient reading accepted
            raise StoreError(
                f"Line {line}: a quoted cell opened on this line is never closed (it runs to the end "
                'of the file): a closing quote (") is missing; nothing was imported.'
            ) from exc


_WEB = ("http://", "https://")


class _Importer:
    """Rows of an import, applied a batch at a time in file order."""

    def __init__(self, db: Database, now: str) -> None:
        self.db = db
        self.now = now
        self.pending: dict[str, _Row] = {}
        self.new = self.updated = self.unchanged = 0
        self.staged = NewRecords(db)
        self.tags: dict[str, tuple[int, str]] = {}  # name as typed -> (id, stored name)
        self.changed = dict.fromkeys(USER_FIELDS, 0)
        self.replaced: list[tuple[int, str, str, str, str, str]] = []  # record_versions rows

    def add(self, row: _Row) -> None:
        if row.url in self.pending:  # the same link twice: the first must be in the store first
            self.flush()
        self.pending[row.url] = row
        if len(self.pending) >= IMPORT_BATCH:
            self.flush()

    def flush(self) -> None:
        rows = list(self.pending.values())
        self.pending.clear()
        stored = self._stored([row.url for row in rows])
        links: list[tuple[int, int]] = []
        for row in rows:
            found = stored.get(row.url)
            if found is None:
                fields = given_fields(row.cells)  # reads the scraped names only
                user, tag_ids = self._user_values(row)
                record_id = self.staged.add(row.url, None, fields, self.now, user)
                links.extend((record_id, tag) for tag in tag_ids)
                self.new += 1
            elif self._apply(found, row):
                self.updated += 1
            else:
                self.unchanged += 1
        self.staged.flush()
        self.db.conn.executemany("INSERT OR IGNORE INTO record_tags (record_id, tag_id) VALUES (?, ?)", links)
        self.db.conn.executemany(
            "INSERT INTO record_versions (record_id, changed_at, source_id, changed_fields, previous,"
            " current) VALUES (?, ?, ?, ?, ?, ?)",
            self.replaced,
        )
        self.replaced.clear()

    def _stored(self, urls: list[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(urls), 500):
            part = urls[start : start + 500]
            for row in self.db.conn.execute(
                "SELECT url, id, note, status, starred, tags_text, followed FROM records"
                f" WHERE url IN ({', '.join('?' * len(part))})",
                part,
            ):
                found[row[0]] = row[1:]
        return found

    def _tags(self, names: list[str]) -> dict[int, str]:
        """id -> stored name of each tag (created if new), as `set_tags` would link them."""
        chosen: dict[int, str] = {}
        for name in names:
            tag = self.tags.get(name)
            if tag is None:
                tag_id = userdata.tag_id(self.db, name)
                stored = self.db.conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()
                tag = self.tags[name] = (tag_id, stored[0])
            chosen.setdefault(tag[0], tag[1])
        return chosen

    def _user_values(self, row: _Row) -> tuple[dict[str, Any], list[int]]:
        """A new record's note, tags, status, star and follow, checked in the order `_apply` checks
        them (so the same line fails with the same message)."""
        user: dict[str, Any] = {}
        note = row.cells.get("note", "")
        if note:
            user["note"], user["note_updated_at"] = note, self.now
        tags = self._tags(_tag_names(row.cells, row.line))
        if tags:
            user["tags_text"] = userdata.tags_text(tags.values())
        status = _status(row.cells.get("status", ""), row.line)
        if status:
            user["status"] = status
        for column in ("starred", "followed"):
            flag = _flag(row.cells.get(column, ""), row.line, column)
            if flag is not None:
                user[column] = 1 if flag else 0
        return user, list(tags)

    def _apply(self, before: tuple[Any, ...], row: _Row) -> bool:
        """Apply the note, tags, status, star and follow a row gives to a stored record (`before`: its
        id, note, status, starred, tags_text, followed). An empty cell changes nothing: an import never
        erases a note or tags the store has. Only what differs is written; returns whether
        anything did."""
        record_id, note_before, status_before, starred_before, tags_before, followed_before = before
        cells, line = row.cells, row.line
        previous: dict[str, Any] = {}
        current: dict[str, Any] = {}
        note = cells.get("note", "")
        if note and note != note_before and userdata.set_note(self.db, record_id, note, self.now):
            previous["note"], current["note"] = note_before, note
        tags = self._tags(_tag_names(cells, line))
        if tags and userdata.tags_text(tags.values()) != tags_before:
            userdata.set_tags(self.db, record_id, list(tags.values()))
            previous["tags"], current["tags"] = tags_before, userdata.tags_text(tags.values())
        status = _status(cells.get("status", ""), line)
        if status and status != status_before:
            userdata.set_status(self.db, [record_id], status)
            previous["status"], current["status"] = status_before, status
        starred = _flag(cells.get("starred", ""), line, "starred")
        if starred is not None and int(starred) != starred_before:
            userdata.set_starred(self.db, [record_id], starred)
            previous["starred"], current["starred"] = starred_before, int(starred)
        followed = _flag(cells.get("followed", ""), line, "followed")
        if followed is not None and int(followed) != followed_before:
            userdata.set_followed(self.db, [record_id], followed)
            previous["followed"], current["followed"] = followed_before, int(followed)
        for field in previous:
            self.changed[field] += 1
        if previous:  # kept, as a refresh keeps the scraped values it replaces: undo_last_import
            self.replaced.append(
                (
                    record_id,
                    self.now,
                    IMPORTED,
                    json.dumps(list(previous)),
                    json.dumps(previous, ensure_ascii=False),
                    json.dumps(current, ensure_ascii=False),
                )
            )
        return bool(previous)


def _tag_names(cells: dict[str, str], line: int) -> list[str]:
    """The row's tags, cleaned and without repeats (ignoring case), as `set_tags` takes them."""
    wanted: dict[str, str] = {}
    for name in cells.get("tags", "").split(";"):
        if name.strip():
            try:
                cleaned = userdata.clean_tag(name)
            except ValueError as exc:
                raise StoreError(f"Line {line}: {exc}; nothing was imported.") from exc
            wanted.setdefault(cleaned.casefold(), cleaned)
    return list(wanted.values())
