"""Export writes exactly the rows the table shows, in its order; import brings rows in."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop.ui.tracker_columns import COL_BUDGET, COL_DEADLINE
from desktop.ui.views.sidebar import VIEW
from tests.desktop.conftest import landed


def visible_urls(qtbot, controller) -> list[str]:
    """The links of the rows the table shows, in its order, once they have landed."""
    landed(qtbot, controller)
    model = controller.model
    return [model.row(r)["url"] for r in range(model.rowCount())]


def read_csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_the_visible_rows_in_view_order(qtbot, tmp_path, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    window.sidebar.select(VIEW, "open_funding", notify=True)
    qtbot.waitUntil(lambda: window.filter_bar.jurisdiction.findData("EU") > 0)
    bar = window.filter_bar
    bar.jurisdiction.setCurrentIndex(bar.jurisdiction.findData("EU"))
    window.table.horizontalHeader().setSortIndicator(COL_BUDGET, Qt.SortOrder.DescendingOrder)
    expected = visible_urls(qtbot, controller)
    assert 50 < len(expected) < 9_000

    target = tmp_path / "open funding.csv"
    with qtbot.waitSignal(controller.export_finished, timeout=20_000) as done:
        controller.transfer.export_to(target)
    assert done.args[0].rows == len(expected)
    rows = read_csv(target)
    assert [r["url"] for r in rows] == expected
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    assert "Exported" in window.statusBar().currentMessage()


def test_export_follows_a_search_and_a_deadline_sort(qtbot, tmp_path, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    with qtbot.waitSignal(controller.query_applied):
        qtbot.keyClicks(window.filter_bar.search, "quantum")
    window.table.horizontalHeader().setSortIndicator(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    expected = visible_urls(qtbot, controller)
    target = tmp_path / "search.csv"
    with qtbot.waitSignal(controller.export_finished, timeout=20_000):
        controller.transfer.export_to(target)
    assert [r["url"] for r in read_csv(target)] == expected


def test_export_to_an_unwritable_place_says_so(qtbot, monkeypatch, tmp_path, make_window, small_db) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("desktop.ui.controllers.transfer.warn", lambda *a: warnings.append(a[2]))
    window, controller = make_window(small_db)
    with qtbot.waitSignal(controller.export_finished, timeout=20_000) as done:
        controller.transfer.export_to(tmp_path / "missing-folder" / "x.csv")
    assert done.args[0].error is not None
    assert warnings and "Export failed" in window.statusBar().currentMessage()


def test_import_adds_rows_and_user_data(qtbot, tmp_path, make_window, small_db) -> None:
    source = tmp_path / "tracker.csv"
    source.write_text(
        "url,title,tags,note,status,starred\n"
        "https://example.org/imported/1,Imported call,imported,From a colleague,reviewing,yes\n",
        encoding="utf-8",
    )
    _window, controller = make_window(small_db)
    before = controller.model.rowCount()
    with qtbot.waitSignal(controller.import_finished, timeout=20_000) as done:
        controller.transfer.import_from(source)
    assert done.args[0].new == 1
    landed(qtbot, controller)
    assert controller.model.rowCount() == before + 1
    record_id = next(
        controller.model.record_id(r)
        for r in range(controller.model.rowCount())
        if controller.model.row(r)["url"] == "https://example.org/imported/1"
    )
    record = controller.store.record(record_id)
    assert record["note"] == "From a colleague" and record["tags"] == ["imported"] and record["starred"]


def test_importing_over_a_note_says_what_changed_and_the_versions_list_shows_it(
    qtbot, tmp_path, make_window, small_db
) -> None:
    _window, controller = make_window(small_db)
    record_id = controller.model.record_id(0)
    url = controller.model.row(0)["url"]
    controller.store.set_note(record_id, "my own words")
    source = tmp_path / "edited.csv"
    source.write_text(f"url,title,note,status\n{url},x,edited in a spreadsheet,done\n", encoding="utf-8")
    with qtbot.waitSignal(controller.import_finished, timeout=20_000):
        controller.transfer.import_from(source)
    assert (
        "(1 note, 0 tag lists, 1 status, 0 stars changed)" in controller.window.statusBar().currentMessage()
    )
    (version,) = controller.store.versions(record_id)
    assert ("note", "my own words", "edited in a spreadsheet") in version["changes"]


def _answer_next_question(qtbot, button) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the next modal message box with `button`; returns its text."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)
    return seen


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
def test_export_asks_before_replacing_a_file_and_no_keeps_it(
    qtbot, monkeypatch, tmp_path, make_window, small_db
) -> None:
    target = tmp_path / "brief.csv"
    target.write_text("my own spreadsheet\n", encoding="utf-8")
    asked: list[object] = []

    def save_dialog(*args, **kwargs):  # the platform's file dialog: the user picked `target`
        asked.append(kwargs.get("options"))
        return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    _window, controller = make_window(small_db)

    seen = _answer_next_question(qtbot, QMessageBox.StandardButton.No)
    controller.transfer.choose_export()
    assert seen == ["brief.csv already exists in " + str(tmp_path) + "."]
    assert asked == [QFileDialog.Option.DontConfirmOverwrite]  # one question, ours
    qtbot.wait(200)
    assert target.read_text(encoding="utf-8") == "my own spreadsheet\n"

    _answer_next_question(qtbot, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(controller.export_finished, timeout=20_000):
        controller.transfer.choose_export()
    assert read_csv(target)  # replaced by the export
