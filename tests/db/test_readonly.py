"""A store that cannot be written opens read-only: it can be read, and writes say why they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from db import connection
from db.store import Query, Store, StoreError
from tests.db.helpers import item, open_store

WRITES: dict[str, Callable[[Store], object]] = {
    "save": lambda s: s.save_announcements("src", [item(9)]),
    "note": lambda s: s.set_note(1, "new note"),
    "status": lambda s: s.set_status([1], "done"),
    "star": lambda s: s.set_starred([1], True),
    "read": lambda s: s.mark_read([1]),
    "tags": lambda s: s.set_tags(1, ["x"]),
    "failure": lambda s: s.record_failure("src", "503"),
    "sync": lambda s: s.sync_sources([{"id": "other", "name": "Other"}]),
}


@pytest.fixture
def saved(db_path: Path) -> Path:
    store = open_store(db_path)
    store.save_announcements("src", [item(1, summary="compute strategy"), item(2)])
    store.set_note(1, "kept")
    store.close()
    return db_path


def _check_reads(store: Store) -> None:
    assert store.readonly
    assert store.count(Query()) == 2
    assert store.count(Query(search="compute")) == 1
    assert store.record(1)["note"] == "kept"  # type: ignore[index]
    assert store.check_integrity() == []


@pytest.mark.parametrize("write", list(WRITES.values()), ids=list(WRITES))
def test_writes_to_a_read_only_store_raise_store_error(saved: Path, write: Callable[[Store], object]) -> None:
    with Store.open(saved, readonly=True) as store:
        _check_reads(store)
        with pytest.raises(StoreError, match="read-only"):
            write(store)
        assert store.record(1)["note"] == "kept"  # type: ignore[index]


def test_a_file_we_may_not_write_falls_back_to_read_only(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection.os, "access", lambda path, mode: mode != os.W_OK)
    with Store.open(saved) as store:
        _check_reads(store)


IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
ROOT = Path(__file__).resolve().parents[2]
AS_ANOTHER_USER = """
import sys
from db.store import Query, Store, StoreError
store = Store.open(sys.argv[1])
assert store.readonly and store.count(Query(search="compute")) == 1
assert store.record(1)["note"] == "kept"
try:
    store.set_note(1, "lost?")
except StoreError as exc:
    print("refused:", exc)
"""


@pytest.mark.skipif(IS_ROOT and not SETPRIV, reason="root ignores permissions; no setpriv to drop them")
def test_a_file_and_folder_we_may_not_write(saved: Path) -> None:
    """Real permissions: as an ordinary user, or as root dropping to `nobody` in a child."""
    if not IS_ROOT:
        saved.chmod(0o444)
        saved.parent.chmod(0o555)
        try:
            with Store.open(saved) as store:
                _check_reads(store)
                with pytest.raises(StoreError, match="read-only"):
                    store.set_note(1, "lost?")
        finally:
            saved.parent.chmod(0o755)
            saved.chmod(0o644)
        return
    with tempfile.TemporaryDirectory(prefix="pt-readonly-") as name:
        folder = Path(name)
        folder.chmod(0o755)  # readable, not writable, by nobody
        copy = folder / "tracker.sqlite"
        shutil.copy(saved, copy)
        copy.chmod(0o644)
        command = [SETPRIV or "", "--reuid=65534", "--regid=65534", "--clear-groups"]
        result = subprocess.run(
            [*command, sys.executable, "-c", AS_ANOTHER_USER, str(copy)],
            cwd=ROOT,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "refused: The database is read-only" in result.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["tracker.sqlite"]


def test_no_store_is_created_in_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection.os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(StoreError, match="folder is read-only"):
        Store.open(tmp_path / "new.sqlite")
    assert not (tmp_path / "new.sqlite").exists()


def test_read_only_open_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no Policy Tracker database"):
        Store.open(tmp_path / "missing.sqlite", readonly=True)
