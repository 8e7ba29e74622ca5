"""The counts controller in the real window: counts read in a worker, calls coalesced."""

from __future__ import annotations

from pathlib import Path

from desktop.ui.controllers.counts import READ_COUNT_DELAY_MS


def _settled(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not controller.counts.running, timeout=20_000)


def test_calls_while_a_count_runs_make_one_more_count_not_one_each(
    qtbot, make_window, small_db: Path
) -> None:  # type: ignore[no-untyped-def]
    _window, controller = make_window(small_db)
    _settled(qtbot, controller)
    counted: list[bool] = []
    controller.counts_updated.connect(lambda: counted.append(True))
    for _ in range(5):
        controller.counts.refresh_sidebar()
    _settled(qtbot, controller)
    qtbot.waitUntil(lambda: len(counted) == 2, timeout=20_000)  # the first, then one for the rest
    qtbot.wait(200)
    assert len(counted) == 2


def test_reading_records_recounts_once_after_the_pause(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    _settled(qtbot, controller)
    counted: list[bool] = []
    controller.counts_updated.connect(lambda: counted.append(True))
    for _ in range(4):  # J J J J: four records read in quick succession
        controller.counts.read_marked()
    assert not controller.counts.running  # nothing counted at each key
    qtbot.waitUntil(lambda: len(counted) == 1, timeout=READ_COUNT_DELAY_MS + 20_000)
    qtbot.wait(READ_COUNT_DELAY_MS + 100)
    assert len(counted) == 1
    assert window.sidebar.topLevelItemCount() > 0


def test_a_count_that_fails_is_said_in_the_status_line(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    _settled(qtbot, controller)
    said: list[str] = []
    controller.counts.status.connect(said.append)
    small_db.write_bytes(b"not a database at all" * 100)  # the worker opens the file afresh
    controller.counts.refresh_sidebar()
    _settled(qtbot, controller)
    qtbot.waitUntil(lambda: any("Could not count the records: " in text for text in said), timeout=20_000)
    # Other workers meet the same broken file and may speak last: the bar says why either way.
    qtbot.waitUntil(lambda: window.status_bar.currentMessage().startswith("Could not "), timeout=20_000)
