"""Notes typed in the window, each bound to its record id and kept until the store has it.

A note is never thrown away: an edit waits here, per record, until a save of exactly that text
succeeded. The window's thread tries once without waiting (`QUICK_WAIT_S`; a refresh's write
lasts milliseconds); when another program holds the write lock (a long import) or the disk is
full, the note stays pending and is retried on a worker thread, so the window never freezes
on SQLite's busy timeout. Choosing another record and typing there never touches the first
record's pending note. What is still pending when the app must end (a signal, the session
ending, the user choosing to quit) goes to a recovery file in the data folder, and the next start
puts it back (docs/TRUST.md, "Notes and the record they belong to").
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, QTimer, Signal

from db.atomic_file import write_atomically
from db.connection import BUSY_TIMEOUT_S
from db.errors import BUSY
from db.store import Store, StoreError
from desktop.paths import data_dir
from desktop.ui.worker import run_task

logger = logging.getLogger(__name__)

NOTE_SAVE_DELAY_MS = 600  # the pause in typing after which a note is saved
QUICK_WAIT_S = 0.25  # how long the window's thread may wait for the write lock
RETRY_MS = 3000  # the pause between background attempts while the store refuses


def recovery_path(db_path: Path) -> Path:
    """Where notes that could not be saved wait for the next start: in the app's data folder
    (writable even when the store's own folder is not), one file per store."""
    key = hashlib.sha256(os.path.realpath(db_path).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return data_dir() / f"unsaved-notes-{db_path.stem}-{key}.json"


def save_in_background(db_path: Path, record_id: int, text: str) -> int:
    """Runs on a worker thread with its own Store, for up to the busy timeout. It asks for the
    lock in short turns: waiting in one long turn would hold this process's queue of writers
    (db.locks), and the window's next write (a read mark, a star) would freeze behind it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    store = Store.open(db_path)
    try:
        while True:
            try:
                store.set_note(record_id, text, wait_s=QUICK_WAIT_S)
                return record_id
            except StoreError as exc:
                if str(exc) != BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(QUICK_WAIT_S / 2)
    finally:
        store.close()


@dataclass
class Recovered:
    """What the start found in the recovery file."""

    restored: int  # notes put back in their records' editors, being saved
    kept: list[str]  # why the others stay in the file (their record changed or is gone)
    path: Path


class NoteSaver(QObject):
    """The pending notes of one window's store; signals say when one is saved or failed."""

    saved = Signal(int, str)  # record id, the text the store now has
    state_changed = Signal(int)  # record id whose pending state or error changed

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pending: dict[int, str] = {}
        self._base: dict[int, str] = {}  # the stored note when editing began (for recovery)
        self._errors: dict[int, str] = {}
        self._in_flight: dict[int, str] = {}  # record id -> text a worker is saving
        self._recovered: set[int] = set()  # ids still in the recovery file until saved
        self._stopped = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(NOTE_SAVE_DELAY_MS)
        self._debounce.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._retry_in_background)

    # -- what is pending -----------------------------------------------------------------------

    def edit(self, record_id: int, text: str, base: str) -> None:
        """The user typed: `text` is now the note of `record_id` (saved after the pause)."""
        self._pending[record_id] = text
        self._base.setdefault(record_id, base)
        self._debounce.start()
        self.state_changed.emit(record_id)

    def pending_text(self, record_id: int) -> str | None:
        return self._pending.get(record_id)

    def pending_ids(self) -> list[int]:
        return list(self._pending)

    def error(self, record_id: int) -> str | None:
        return self._errors.get(record_id) if record_id in self._pending else None

    def first_error(self) -> str:
        return next(iter(self._errors.values()), "")

    # -- saving --------------------------------------------------------------------------------

    def save_now(self) -> bool:
        """Try every pending note now without waiting for the lock; True when none is left.
        A note that fails stays pending and goes to a worker thread."""
        self._debounce.stop()
        for record_id, text in list(self._pending.items()):
            if record_id in self._in_flight:
                continue  # a worker is saving an earlier text; this one follows it
            if self._errors and not self._store.readonly:
                self._start_background(record_id, text)  # the store refuses: do not even wait
                continue
            try:
                self._store.set_note(record_id, text, wait_s=QUICK_WAIT_S)
            except StoreError as exc:
                self._failed(record_id, str(exc))
                if not self._store.readonly:
                    self._start_background(record_id, text)
            else:
                self._done(record_id, text)
        return not self._pending

    def save_all(self, wait_s: float) -> bool:
        """Before the app ends: save now, then give the workers up to `wait_s` to finish
        (the window keeps painting meanwhile). True when every note is in the store."""
        self.save_now()
        deadline = time.monotonic() + wait_s
        while self._pending and time.monotonic() < deadline:
            if not self._in_flight:
                if self.save_now():
                    break
                if not self._in_flight:
                    break  # nothing is trying any more (a read-only store)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThread.msleep(20)
        return not self._pending

    def _start_background(self, record_id: int, text: str) -> None:
        self._in_flight[record_id] = text
        run_task(
            save_in_background,
            self._store.path,
            record_id,
            text,
            on_result=lambda _id: self._background_done(record_id, text),
            on_error=lambda message: self._background_failed(record_id, message),
        )

    def _background_done(self, record_id: int, text: str) -> None:
        self._in_flight.pop(record_id, None)
        self._done(record_id, text)
        if record_id in self._pending and not self._stopped:  # typed on meanwhile: save that too
            self._debounce.start()

    def _background_failed(self, record_id: int, message: str) -> None:
        self._in_flight.pop(record_id, None)
        self._failed(record_id, message)
        if not self._retry.isActive() and not self._stopped:
            self._retry.start()

    def _retry_in_background(self) -> None:
        if self._stopped:
            return
        for record_id, text in list(self._pending.items()):
            if record_id not in self._in_flight:
                self._start_background(record_id, text)

    def _failed(self, record_id: int, message: str) -> None:
        logger.error("note of record %s not saved yet: %s", record_id, message)
        self._errors[record_id] = message
        self.state_changed.emit(record_id)

    def _done(self, record_id: int, text: str) -> None:
        if self._pending.get(record_id) == text:
            del self._pending[record_id]
            self._base.pop(record_id, None)
            self._errors.pop(record_id, None)
            if record_id in self._recovered:
                self._recovered.discard(record_id)
                self._forget_recovered(record_id)
        self.saved.emit(record_id, text)
        self.state_changed.emit(record_id)

    def stop(self) -> None:
        """The window closed: no more attempts (what is pending is in the recovery file)."""
        self._debounce.stop()
        self._retry.stop()
        self._stopped = True

    # -- the recovery file ---------------------------------------------------------------------

    def write_recovery(self) -> Path | None:
        """Every pending note into the recovery file (written whole, then renamed; entries
        already there for other records are kept). None when nothing is pending."""
        if not self._pending:
            return None
        path = recovery_path(self._store.path)
        entries = {e["record_id"]: e for e in _read_entries(path)}
        for record_id, text in self._pending.items():
            record = self._record(record_id)
            entries[record_id] = {
                "record_id": record_id,
                "text": text,
                "base": self._base.get(record_id, ""),
                "url": (record or {}).get("url"),
                "title": ((record or {}).get("title") or "")[:200],
                "store": str(self._store.path),
                "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_entries(path, list(entries.values()))
        logger.warning("%d unsaved note(s) written to %s", len(self._pending), path)
        return path

    def recover(self) -> Recovered | None:
        """Put back the notes a previous session could not save: each into its record, only
        when that record is the same one (its address) and its stored note has not changed
        since (otherwise it stays in the file, and the reason is given)."""
        path = recovery_path(self._store.path)
        entries = _read_entries(path)
        if not entries:
            return None
        restored = 0
        kept: list[str] = []
        left: list[dict[str, Any]] = []
        for entry in entries:
            record_id, text = int(entry["record_id"]), str(entry["text"])
            record = self._record(record_id)
            stored = (record or {}).get("note") or ""
            if record is None or record.get("url") != entry.get("url"):
                kept.append(f"record {record_id} (“{entry.get('title', '')}”) is no longer in this store")
                left.append(entry)
            elif stored == text:
                continue  # saved after all
            elif stored != (entry.get("base") or ""):
                kept.append(f"the note of “{entry.get('title', '')}” was changed since")
                left.append(entry)
            else:
                restored += 1
                left.append(entry)  # stays in the file until it is saved
                self._recovered.add(record_id)
                self.edit(record_id, text, stored)
        _write_entries(path, left)
        return Recovered(restored, kept, path)

    def _forget_recovered(self, record_id: int) -> None:
        path = recovery_path(self._store.path)
        _write_entries(path, [e for e in _read_entries(path) if int(e["record_id"]) != record_id])

    def _record(self, record_id: int) -> dict[str, Any] | None:
        try:
            return self._store.record(record_id)
        except StoreError as exc:
            logger.warning("record %s not read for the recovery file: %s", record_id, exc)
            return None


def _read_entries(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        logger.error("recovery file %s cannot be read: %s", path, exc)
        return []
    notes = data.get("notes") if isinstance(data, dict) else None
    return [e for e in notes or [] if isinstance(e, dict) and "record_id" in e and "text" in e]


def _write_entries(path: Path, entries: list[dict[str, Any]]) -> None:
    """Written to a temporary file, synced, then renamed: a crash leaves the old or the new."""
    if not entries:
        path.unlink(missing_ok=True)
        return
    payload = json.dumps({"notes": entries}, ensure_ascii=False, indent=1).encode("utf-8")
    write_atomically(path, lambda stream: stream.write(payload))
