"""A note is never lost and never lands on another record: signals end the app cleanly with the
note saved; a note the store refuses (another process holds the write lock) stays pending for
its own record, is retried off the window's thread, survives choosing another record, blocks
quitting with a choice, and comes back from the recovery file at the next start; a record whose
date cannot be shown in the local zone still gets its own note (docs/TRUST.md)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from db.connection import BUSY_TIMEOUT_S
from db.store import Store
from desktop.formatting import date_time, short_date
from desktop.ui import note_saver
from desktop.ui.controllers import notes as notes_controller
from desktop.ui.note_saver import recovery_path
from desktop.ui.table_cells import CELL_CHARS
from desktop.ui.tracker_columns import COL_DEADLINE, COL_TITLE
from desktop.ui.views.record_text import TEXT_CHARS, TITLE_CHARS
from desktop.ui.worker import running_tasks
from scrapers.model import Announcement
from tests import repo_paths
from tests.desktop.answer_box import answer_next_box
from tests.trust.conftest import ROOT, cli_env

DRIVER = repo_paths.REPO_ROOT / "tests" / "desktop" / "note_driver.py"
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
LOCKER = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN IMMEDIATE')\n"
    "print('held', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.execute('ROLLBACK')\n"
)


@contextmanager
def write_lock_held(db: Path) -> Iterator[None]:
    """Another process holds the store's write lock (as a long import does) until the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        yield
    finally:
        if child.stdin is not None:
            child.stdin.write("\n")
            child.stdin.close()
        child.wait(10)


def stored_notes(db: Path, *ids: int) -> dict[int, str | None]:
    with Store.open(db) as store:
        return {i: (store.record(i) or {}).get("note") for i in ids}


def _line(child: subprocess.Popen[str], timeout: float) -> str:
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], timeout)
    return child.stdout.readline() if ready else ""


# --- the session ends: signals -------------------------------------------------------------------


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda n: n.name)
def test_a_signal_right_after_typing_saves_the_note_and_quits_cleanly(
    number: signal.Signals, small_db: Path, tmp_path: Path
) -> None:
    home = tmp_path / "child-home"
    env = {**cli_env(home), "QT_QPA_PLATFORM": "offscreen"}
    text = f" typed just before {number.name}"
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(small_db), text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        line = _line(child, 60)
        typed_at = time.monotonic()
        assert line.startswith("typed "), (line, child.stderr.read() if child.poll() is not None else "")
        child.send_signal(number)  # well inside the 0.6 s pause after which a note is saved
        sent_after = time.monotonic() - typed_at
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert sent_after < 0.1
    assert child.returncode == 0, err
    record_id = int(line.split()[1])
    note = stored_notes(small_db, record_id)[record_id]
    assert note is not None and note.endswith(text)
    settings_text = "".join(p.read_text(encoding="utf-8") for p in home.rglob("*.ini"))
    assert "geometry" in settings_text  # the window's state was kept too
    assert not list(home.glob("unsaved-notes-*.json"))  # nothing left over: the store has it


# --- the store refuses: a held write lock ---------------------------------------------------------


def test_a_refused_note_stays_pending_for_its_record_and_is_saved_when_the_lock_goes(
    qtbot, make_window, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    detail = window.detail
    controller.place.select_row(0)
    first = controller.place.current_record_id()
    before = stored_notes(small_db, first)[first]
    with write_lock_held(small_db):
        detail.note.setPlainText("first record: brief the minister")
        started = time.monotonic()
        assert controller.notes.save_note_now() is False
        waited = time.monotonic() - started
        assert waited < BUSY_TIMEOUT_S / 4  # the window's thread never sits out the busy timeout
        assert "Not saved yet" in detail.note_state.text() and detail.note_state.property("role") == "unsaved"
        assert "could not be saved yet" in window.statusBar().currentMessage()

        controller.place.select_row(1)  # another record, and a keystroke there
        second = controller.place.current_record_id()
        assert second != first and detail.note_record_id == second
        detail.note.moveCursor(detail.note.textCursor().MoveOperation.End)
        qtbot.keyClicks(detail.note, "x")
        second_text = detail.note.toPlainText()
        controller.notes.save_note_now()
        assert stored_notes(small_db, first)[first] == before  # untouched, never NULLed

        controller.place.select_row(0)  # back: the editor shows what was typed, not the stored note
        assert detail.note.toPlainText() == "first record: brief the minister"
        assert "Not saved yet" in detail.note_state.text()
    qtbot.waitUntil(
        lambda: (
            stored_notes(small_db, first, second)
            == {first: "first record: brief the minister", second: second_text}
        ),
        timeout=int(BUSY_TIMEOUT_S * 1000 + 5000),
    )
    qtbot.waitUntil(lambda: detail.note_state.text() == "Saved", timeout=5000)


@OFFSCREEN_DIALOG
def test_quitting_with_an_unsaved_note_asks_and_the_recovery_file_brings_it_back(
    qtbot, make_window, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notes_controller, "QUIT_WAIT_S", 0.3)
    monkeypatch.setattr(note_saver, "BUSY_TIMEOUT_S", 0.5)  # the background gives up soon
    window, controller = make_window(small_db)
    controller.place.select_row(3)
    record_id = controller.place.current_record_id()
    with write_lock_held(small_db):
        window.detail.note.setPlainText("kept across the restart")
        asked = answer_next_box("Cancel")
        window.actions["quit"].trigger()
        assert window.isVisible()  # Cancel: the window stays, the note is still pending
        assert {"Try Again", "Keep in Recovery File and Quit", "Cancel"} <= set(asked)
        assert any("not saved yet" in text for text in asked)
        assert controller.notes.saver.pending_text(record_id) == "kept across the restart"

        answer_next_box("Keep in Recovery File and Quit")
        window.close()
        assert not window.isVisible()
        assert "kept across the restart" in recovery_path(small_db).read_text(encoding="utf-8")
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=int(BUSY_TIMEOUT_S * 1000 + 5000))
    assert stored_notes(small_db, record_id)[record_id] != "kept across the restart"

    window2, _controller2 = make_window(small_db)
    qtbot.waitUntil(
        lambda: stored_notes(small_db, record_id)[record_id] == "kept across the restart", timeout=10_000
    )
    qtbot.waitUntil(lambda: not recovery_path(small_db).exists(), timeout=5000)
    told = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert told and "back in their records" in told[0].text()
    assert "back in their records" in window2.statusBar().currentMessage()
    told[0].close()


def test_the_session_manager_s_commit_request_keeps_an_unsaved_note_and_the_layout(
    qtbot, make_window, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notes_controller, "QUIT_WAIT_S", 0.3)
    monkeypatch.setattr(note_saver, "BUSY_TIMEOUT_S", 0.5)
    window, controller = make_window(small_db)
    controller.place.select_row(4)
    with write_lock_held(small_db):
        window.detail.note.setPlainText("typed as the session ends")
        controller.commit_session()  # what app.run connects to commitDataRequest
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=5000)
    assert "typed as the session ends" in recovery_path(small_db).read_text(encoding="utf-8")
    assert controller._qsettings.value("window/geometry") is not None
    assert window.isVisible()  # the logout may still be cancelled: the window stays


@OFFSCREEN_DIALOG
def test_a_recovered_note_never_overwrites_a_note_changed_since(
    qtbot, make_window, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notes_controller, "QUIT_WAIT_S", 0.3)
    monkeypatch.setattr(note_saver, "BUSY_TIMEOUT_S", 0.5)
    window, controller = make_window(small_db)
    controller.place.select_row(2)
    record_id = controller.place.current_record_id()
    with write_lock_held(small_db):
        window.detail.note.setPlainText("typed in the session that ended")
        controller.end_session()  # what a signal does: no question, the note to the recovery file
        qtbot.waitUntil(lambda: running_tasks() == 0, timeout=int(BUSY_TIMEOUT_S * 1000 + 5000))
    window.close()
    with Store.open(small_db) as store:  # meanwhile, the note is edited elsewhere (a CSV import)
        store.set_note(record_id, "changed in another program")
    make_window(small_db)
    qtbot.wait(200)
    assert stored_notes(small_db, record_id)[record_id] == "changed in another program"
    assert "typed in the session that ended" in recovery_path(small_db).read_text(encoding="utf-8")
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]:
        assert "was changed since" in box.text() + box.informativeText() or "Kept" in box.text()
        box.close()


# --- a record the local zone cannot show ------------------------------------------------------------


@pytest.fixture
def tokyo() -> Iterator[None]:
    """The local zone east of UTC, where 9999-12-31T23:30Z is in year 10000."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _two_records(db: Path) -> tuple[int, int]:
    with Store.open(db) as store:
        store.save_announcements(
            "s",
            [
                Announcement(
                    url="https://example.org/a", title="An ordinary call", published_at="2027-02-01T10:00:00Z"
                ),
                Announcement(
                    url="https://example.org/z", title="Dated 9999", published_at="2027-01-01T10:00:00Z"
                ),
            ],
        )
        ids = {url: id_ for id_, url in store.db.conn.execute("SELECT id, url FROM records").fetchall()}
        ordinary, far = ids["https://example.org/a"], ids["https://example.org/z"]
        # Stored before dates were checked at parse time: the store may hold such a value.
        store.db.conn.execute(
            "UPDATE records SET deadline_at = '9999-12-31T23:30:00+00:00' WHERE id = ?", (far,)
        )
        store.set_note(ordinary, "note of the ordinary call")
        store.set_note(far, "note of the far one")
    return ordinary, far


def test_a_record_dated_9999_in_tokyo_gets_its_own_note(tokyo, qtbot, make_window, empty_db: Path) -> None:  # type: ignore[no-untyped-def]
    ordinary, far = _two_records(empty_db)
    window, controller = make_window(empty_db)
    detail = window.detail
    rows = {controller.model.record_id(r): r for r in range(controller.model.rowCount())}
    controller.place.select_row(rows[ordinary])
    assert detail.note.toPlainText() == "note of the ordinary call"
    controller.place.select_row(rows[far])
    assert detail.title.text() == "Dated 9999"
    assert detail.note_record_id == far and detail.note.toPlainText() == "note of the far one"
    assert "9999" in detail._fields["deadline"].text()  # shown as given, not converted
    assert controller.model.data(controller.model.index(rows[far], COL_DEADLINE)) == "31 Dec 9999"
    detail.note.setFocus()
    detail.note.moveCursor(detail.note.textCursor().MoveOperation.End)
    qtbot.keyClicks(detail.note, " and more")
    assert controller.notes.save_note_now()
    assert stored_notes(empty_db, ordinary, far) == {
        ordinary: "note of the ordinary call",
        far: "note of the far one and more",
    }


# --- a 1 MB title and text ------------------------------------------------------------------------------


def test_a_megabyte_title_and_text_are_shown_cut_and_say_so(make_window, empty_db: Path) -> None:  # type: ignore[no-untyped-def]
    title = "Very long title " * 65_536  # 1 MiB
    body = "A paragraph of the page.\n\n" * 80_000  # about 2 MB
    with Store.open(empty_db) as store:
        store.save_announcements("s", [Announcement(url="https://example.org/big", title=title, body=body)])
    window, controller = make_window(empty_db)
    controller.place.select_row(0)
    detail = window.detail
    cell = controller.model.data(controller.model.index(0, COL_TITLE))
    assert len(cell) <= CELL_CHARS and cell.endswith("…")
    tip = controller.model.data(controller.model.index(0, COL_TITLE), Qt.ItemDataRole.ToolTipRole)
    assert len(tip) < CELL_CHARS * 2
    assert len(detail.title.text()) < TITLE_CHARS + 100 and "cut" in detail.title.text()
    shown_text = detail.text.toPlainText()
    assert len(shown_text) < TEXT_CHARS + 500 and "The text is cut here" in shown_text


def test_values_no_format_expects_are_shown_as_stored(tokyo, make_window, empty_db: Path) -> None:  # type: ignore[no-untyped-def]
    """Formatting never raises: a budget stored as text (by another tool), a date at the end of
    time and one at its start are shown as they are, and the pane still binds the note."""
    _ordinary, far = _two_records(empty_db)
    with Store.open(empty_db) as store:
        store.db.conn.execute(
            "UPDATE records SET budget_amount = 'lots', budget_currency = 'EUR',"
            " published_at = '0001-01-01T00:00:00+05:00' WHERE id = ?",
            (far,),
        )
    window, controller = make_window(empty_db)
    rows = {controller.model.record_id(r): r for r in range(controller.model.rowCount())}
    model = controller.model
    texts = [model.data(model.index(rows[far], column)) for column in range(model.columnCount())]
    assert "lots" in texts and "31 Dec 9999" in texts
    controller.place.select_row(rows[far])
    assert window.detail._fields["budget"].text() == "lots"
    assert window.detail.note_record_id == far and window.detail.note.toPlainText() == "note of the far one"
    assert short_date("0001-01-01T00:00:00+05:00") and date_time("9999-12-31T23:30:00+00:00")
