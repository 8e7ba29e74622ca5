"""The window never stalls while the user types, or selects all and stars every row, on a
store of 100,000 records (a heartbeat in the real window, benchmarks/heartbeat.py). The figure
is reported, not held to a tight time that a busy CI machine could break: the test fails only
above STALL_LIMIT_MS; the target (50 ms, at a million records) is a row of benchmarks/run.py,
whose README table shows it."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks import heartbeat
from benchmarks.build import build
from benchmarks.corpus import COMMON_WORD, Corpus
from benchmarks.window import OpenWindow
from db.store import Query

RECORDS = 100_000
REPO = Path(__file__).resolve().parents[3]
BUILT_BY = ("benchmarks/corpus.py", "benchmarks/build.py", "db/schema.py", "db/saving.py", "db/userdata.py")
STALL_LIMIT_MS = 500.0


def built_store(cache: Path) -> Path:
    """The 100,000-record store of the benchmark's own builder (benchmarks/build.py, through
    the Store API: about 20 s of CPU), kept in pytest's temporary root between sessions under
    a name that changes with the code that makes it, so a later session only copies it."""
    digest = hashlib.sha256()
    for part in BUILT_BY:
        digest.update((REPO / part).read_bytes())
    path = cache / f"store-{RECORDS}-{digest.hexdigest()[:16]}.sqlite"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=cache)) / "store.sqlite"
        build(partial, Corpus(RECORDS))
        partial.replace(path)  # whole or absent, even with two sessions building at once
        shutil.rmtree(partial.parent, ignore_errors=True)
    return path


@pytest.fixture(scope="module")
def hundred_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store for this session (the window writes read marks)."""
    cached = built_store(tmp_path_factory.getbasetemp().parent / "policy-tracker-stall-store")
    copy = tmp_path_factory.mktemp("stall") / "store.sqlite"
    shutil.copyfile(cached, copy)
    return copy


@pytest.mark.parametrize("key_ms", [120, 400])
def test_typing_a_common_word_never_stalls_the_window(
    qapp: QApplication, hundred_thousand: Path, key_ms: int, record_property
) -> None:
    window = OpenWindow(qapp, hundred_thousand)
    try:
        window.wait_idle()
        stall = heartbeat.typing(window, COMMON_WORD, key_ms)
        shown = window.model.rowCount()
    finally:
        window.close()
    record_property("longest_stall_ms", round(stall.longest_ms, 1))
    record_property("first_page_after_last_key_ms", stall.first_page_after_last_key_ms)
    print(
        f"\n{RECORDS:,} records, “{COMMON_WORD}” at {key_ms} ms a key:"
        f" longest stall {stall.longest_ms:.0f} ms,"
        f" letters up to {stall.late_letter_ms:.0f} ms late, first page"
        f" {stall.first_page_after_last_key_ms or float('nan'):.0f} ms after the last key ({shown:,} matches)"
    )
    assert stall.first_page_after_last_key_ms is not None, "the search's first page was never painted"
    assert shown > RECORDS // 2  # the common word is in most records: the search really ran
    assert stall.longest_ms < STALL_LIMIT_MS


def test_select_all_then_star_every_row_and_undo_it_never_stalls_the_window(
    qapp: QApplication, hundred_thousand: Path, record_property
) -> None:
    window = OpenWindow(qapp, hundred_thousand)
    try:
        window.wait_idle()
        shown = window.model.rowCount()
        starred_before = window.store.count(Query(view="starred"))
        window.table.setFocus()
        select = heartbeat.while_doing(
            lambda: QTest.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        )
        star = heartbeat.while_doing(lambda: QTest.keyClick(window.table, Qt.Key.Key_S))
        starred = window.store.count(Query(view="starred"))
        undo = heartbeat.while_doing(window.controller.triage.undo)
        starred_after_undo = window.store.count(Query(view="starred"))
    finally:
        window.close()
    record_property("select_all_stall_ms", round(select.longest_ms, 1))
    record_property("star_all_stall_ms", round(star.longest_ms, 1))
    record_property("undo_star_all_stall_ms", round(undo.longest_ms, 1))
    print(
        f"\n{RECORDS:,} records: Ctrl+A of {shown:,} rows stalls {select.longest_ms:.0f} ms;"
        f" starring them all {star.longest_ms:.0f} ms (saved in {star.seconds:.1f} s);"
        f" undoing it {undo.longest_ms:.0f} ms (in {undo.seconds:.1f} s)"
    )
    assert starred == shown  # every listed record was starred, in one change
    assert starred_after_undo == starred_before  # and Undo put back exactly those it starred
    assert max(select.longest_ms, star.longest_ms, undo.longest_ms) < STALL_LIMIT_MS
