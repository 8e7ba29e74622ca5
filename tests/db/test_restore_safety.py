"""A restore never swaps the store under a program that has it open, and neither a restore nor
an open accepts a file that carries SQL of its own (docs/TRUST.md, "Copies of the store")."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.backups import backup_to, not_a_store_reason, restore_backup
from db.store import Store, StoreError
from tests.db.helpers import item, open_store, user_data

WIPE_OTHER_NOTES = (
    "CREATE TRIGGER keep_tidy AFTER UPDATE ON records BEGIN "
    "UPDATE records SET note = NULL WHERE id != NEW.id; END"
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def annotated(db_path: Path) -> Path:
    store = open_store(db_path)
    store.save_announcements("src", [item(n) for n in range(22)])
    for n in range(1, 23):
        store.set_note(n, f"note {n}")
    store.close()
    return db_path


@pytest.fixture
def other_process(annotated: Path) -> Iterator[subprocess.Popen[str]]:
    """A real second process (as the window would be) with the store open until told to stop."""
    code = (
        "import sys\nfrom db.store import Store\n"
        f"store = Store.open({str(annotated)!r})\nprint('open', flush=True)\nsys.stdin.readline()\n"
        "store.set_note(1, 'typed in the other process')\nstore.close()\nprint('closed', flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_restore_is_refused_while_another_process_has_the_store_open(
    annotated: Path, tmp_path: Path, other_process: subprocess.Popen[str]
) -> None:
    copy = backup_to(annotated, tmp_path / "older.sqlite")
    with Store.open(copy) as older:
        older.set_note(1, "the backup's own note")
    before = _bytes(annotated)
    with pytest.raises(StoreError, match="open in another program"):
        restore_backup(copy, annotated)
    assert _bytes(annotated) == before
    assert not list((annotated.parent / "backups").glob("*before-restore*"))
    # The other program's edit lands on its own record of its own store.
    assert other_process.stdin is not None and other_process.stdout is not None
    other_process.stdin.write("\n")
    other_process.stdin.flush()
    assert other_process.stdout.readline().strip() == "closed"
    with Store.open(annotated) as store:
        assert store.record(1)["note"] == "typed in the other process"  # type: ignore[index]
    restore_backup(copy, annotated)  # once nobody has it open, the restore goes ahead
    with Store.open(annotated) as store:
        assert store.record(1)["note"] == "the backup's own note"  # type: ignore[index]


def test_restore_is_refused_while_a_store_of_this_process_has_it_open(
    annotated: Path, tmp_path: Path
) -> None:
    copy = backup_to(annotated, tmp_path / "older.sqlite")
    window = open_store(annotated)
    try:
        with pytest.raises(StoreError, match="open in another program"):
            restore_backup(copy, annotated)
        window.set_note(2, "still saved to the right record")
        assert window.record(2)["note"] == "still saved to the right record"  # type: ignore[index]
    finally:
        window.close()


def _with_trigger(annotated: Path, dest: Path, statement: str = WIPE_OTHER_NOTES) -> Path:
    copy = backup_to(annotated, dest)
    conn = sqlite3.connect(copy)
    conn.execute(statement)
    conn.commit()
    conn.close()
    return copy


@pytest.mark.parametrize(
    "statement, named",
    [
        (WIPE_OTHER_NOTES, "trigger 'keep_tidy'"),
        ("CREATE VIEW everything AS SELECT * FROM records", "view 'everything'"),
        ("CREATE TABLE extra (x)", "table 'extra'"),
        ("CREATE INDEX records_odd ON records(title, note)", "index 'records_odd'"),
    ],
)
def test_a_backup_carrying_its_own_sql_is_refused_and_nothing_changes(
    annotated: Path, tmp_path: Path, statement: str, named: str
) -> None:
    hostile = _with_trigger(annotated, tmp_path / "hostile.sqlite", statement)
    before = _bytes(annotated)
    with pytest.raises(StoreError, match="not Policy Tracker's own") as refused:
        restore_backup(hostile, annotated)
    assert named in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert _bytes(annotated) == before
    with Store.open(annotated) as store:
        assert [store.record(n)["note"] for n in (1, 22)] == ["note 1", "note 22"]  # type: ignore[index]


def test_an_altered_trigger_of_the_app_is_refused(annotated: Path, tmp_path: Path) -> None:
    copy = backup_to(annotated, tmp_path / "altered.sqlite")
    conn = sqlite3.connect(copy)
    conn.execute("DROP TRIGGER notes_fts_after_update")
    conn.execute(
        "CREATE TRIGGER notes_fts_after_update AFTER UPDATE OF note ON records BEGIN "
        "UPDATE records SET note = NULL WHERE id != NEW.id; END"
    )
    conn.commit()
    conn.close()
    reason = not_a_store_reason(copy)
    assert reason is not None and "altered: trigger 'notes_fts_after_update'" in reason


def test_a_store_carrying_its_own_sql_is_not_opened(annotated: Path, tmp_path: Path) -> None:
    hostile = _with_trigger(annotated, tmp_path / "hostile.sqlite")
    before = _bytes(hostile)
    with pytest.raises(StoreError, match="was not opened: its database objects are not"):
        Store.open(hostile)
    assert _bytes(hostile) == before


def test_the_app_s_own_store_passes(annotated: Path) -> None:
    assert not_a_store_reason(annotated) is None
    with Store.open(annotated) as store:
        assert len(user_data(store)) == 22
