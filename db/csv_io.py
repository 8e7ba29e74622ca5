"""CSV export and import (contract columns): UTF-8 with BOM for Excel, no formula can ride along.

Export writes the tracker's current view in its order, streaming rows. Import reads our own
export or a hand-made tracker spreadsheet: notes, tags, status and stars for known links, new
records for unknown ones, all in one transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from db import userdata
from db.errors import StoreError
from db.identity import canonical_url
from db.saving import given_fields, insert_record
from db.schema import SCRAPED_FIELDS, STATUSES

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


@dataclass(frozen=True)
class ImportResult:
    """What an import did: records created, records whose user data changed, rows that
    matched a record and changed nothing, rows skipped for having no link."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def neutralise(text: str) -> str:
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    return text[1:] if _WAS_QUOTED.match(text) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return neutralise(str(value))


def export_rows(db: Database, where: str, params: dict[str, Any], order: str) -> Iterator[list[str]]:
    """The export's rows in the tracker's order. One statement for the whole file (a
    consistent snapshot), read as it is written, never the whole result in memory."""
    columns = ", ".join(f"{_EXPORT_SQL.get(c, 'r.' + c)} AS {c}" for c in EXPORT_COLUMNS)
    cursor = db.conn.execute(
        f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
        f" WHERE {where} ORDER BY {order}",
        params,
    )
    try:
        for row in cursor:
            yield [_cell(value) for value in row]
    finally:
        cursor.close()


def write_csv(target: str | Path | IO[str], rows: Iterator[list[str]]) -> int:
    """Write header and rows to a path or an open text file; returns the number of rows."""
    if hasattr(target, "write"):
        return _write(target, rows)  # type: ignore[arg-type]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        return _write(handle, rows)


def _write(handle: IO[str], rows: Iterator[list[str]]) -> int:
    handle.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(handle)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise StoreError(f"{path} is an Excel workbook, not CSV: save it as CSV (UTF-8) first.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows is cp1252; latin-1 takes any byte at all.
        for encoding in ("cp1252", "latin-1"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise AssertionError("latin-1 decodes every byte")


def _normal_name(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().split())


def _reader(path: Path) -> tuple[dict[str, int], Any]:
    """The header (column name -> index) and the rows, for whichever of `,` `;` or tab the
    file uses (Excel in much of Europe writes `;`)."""
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        names = [_normal_name(n) for n in header]
        if "url" in names and "title" in names:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            next(reader)
            index: dict[str, int] = {}
            for position, name in enumerate(names):
                index.setdefault(name, position)
            return index, reader
    shown = ", ".join(n for n in first_line.strip()[:120].split(",") if n) or "nothing"
    raise StoreError(
        f"{path} is not a CSV file with 'url' and 'title' columns (its first line has: {shown})."
    )


def _starred(text: str, line: int) -> bool | None:
    value = text.strip().lower()
    if value == "":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise StoreError(f"Line {line}: starred must be 1 or 0, not {text!r}; nothing was imported.")


def _status(text: str, line: int) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if value not in STATUSES:
        raise StoreError(
            f"Line {line}: unknown status {text!r} (one of: {', '.join(STATUSES)}); nothing was imported."
        )
    return value


def import_rows(db: Database, path: Path, now: str) -> ImportResult:
    """Apply a CSV file; the caller holds the write transaction (so an error imports nothing)."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    index, reader = _reader(path)
    new = updated = unchanged = skipped = 0
    try:
        for row in reader:
            line = reader.line_num
            cells = {name: restore(row[i]) for name, i in index.items() if i < len(row)}
            url_text = cells.get("url", "").strip()
            if not url_text:
                if any(c.strip() for c in row):
                    skipped += 1
                continue
            url = canonical_url(url_text)
            if not url.startswith(("http://", "https://")):
                raise StoreError(
                    f"Line {line}: {url_text[:80]!r} is not a web address (http or https); "
                    "nothing was imported."
                )
            found = db.conn.execute("SELECT id FROM records WHERE url = ?", (url,)).fetchone()
            if found is None:
                fields = given_fields({k: v for k, v in cells.items() if k in SCRAPED_FIELDS})
                record_id = insert_record(db, url, None, fields, now)
                _apply_user_columns(db, record_id, cells, line, now)
                new += 1
            elif _apply_user_columns(db, found[0], cells, line, now):
                updated += 1
            else:
                unchanged += 1
    except csv.Error as exc:
        raise StoreError(f"{path} is not valid CSV (line {reader.line_num}: {exc}).") from exc
    logger.info("imported %s: %d new, %d updated, %d unchanged", path, new, updated, unchanged)
    return ImportResult(new, updated, unchanged, skipped)


def _apply_user_columns(db: Database, record_id: int, cells: dict[str, str], line: int, now: str) -> bool:
    """Apply the note, tags, status and star a row gives. An empty cell changes nothing: an
    import never erases a note or tags the store has."""
    before = db.conn.execute(
        "SELECT note, status, starred, tags_text FROM records WHERE id = ?", (record_id,)
    ).fetchone()
    note = cells.get("note", "")
    if note:
        userdata.set_note(db, record_id, note, now)
    tags = [t for t in cells.get("tags", "").split(";") if t.strip()]
    if tags:
        try:
            userdata.set_tags(db, record_id, tags)
        except ValueError as exc:
            raise StoreError(f"Line {line}: {exc}; nothing was imported.") from exc
    status = _status(cells.get("status", ""), line)
    if status:
        userdata.set_status(db, [record_id], status)
    starred = _starred(cells.get("starred", ""), line)
    if starred is not None:
        userdata.set_starred(db, [record_id], starred)
    after = db.conn.execute(
        "SELECT note, status, starred, tags_text FROM records WHERE id = ?", (record_id,)
    ).fetchone()
    return bool(before != after)
