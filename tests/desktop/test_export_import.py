"""Export writes exactly the rows the table shows, in its order; import brings rows in."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt

from desktop.sidebar import VIEW
from desktop.tracker_model import COL_BUDGET, COL_DEADLINE, UrlRole


def visible_urls(controller) -> list[str]:
    model = controller.model
    return [model.data(model.index(r, 0), UrlRole) for r in range(model.rowCount())]


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
    expected = visible_urls(controller)
    assert 50 < len(expected) < 9_000

    target = tmp_path / "open funding.csv"
    with qtbot.waitSignal(controller.export_finished, timeout=20_000) as done:
        controller.export_to(target)
    assert done.args[0]["rows"] == len(expected)
    rows = read_csv(target)
    assert [r["url"] for r in rows] == expected
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    assert "Exported" in window.statusBar().currentMessage()


def test_export_follows_a_search_and_a_deadline_sort(qtbot, tmp_path, make_window, big_db) -> None:
    window, controller = make_window(big_db)
    with qtbot.waitSignal(controller.query_applied):
        qtbot.keyClicks(window.filter_bar.search, "quantum")
    window.table.horizontalHeader().setSortIndicator(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    expected = visible_urls(controller)
    target = tmp_path / "search.csv"
    with qtbot.waitSignal(controller.export_finished, timeout=20_000):
        controller.export_to(target)
    assert [r["url"] for r in read_csv(target)] == expected


def test_export_to_an_unwritable_place_says_so(qtbot, monkeypatch, tmp_path, make_window, small_db) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("desktop.tracker_controller.warn", lambda *a: warnings.append(a[2]))
    window, controller = make_window(small_db)
    with qtbot.waitSignal(controller.export_finished, timeout=20_000) as done:
        controller.export_to(tmp_path / "missing-folder" / "x.csv")
    assert "error" in done.args[0]
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
        controller.import_from(source)
    assert done.args[0]["new"] == 1
    assert controller.model.rowCount() == before + 1
    record_id = next(
        controller.model.record_id(r)
        for r in range(controller.model.rowCount())
        if controller.model.row(r)["url"] == "https://example.org/imported/1"
    )
    record = controller.store.record(record_id)
    assert record["note"] == "From a colleague" and record["tags"] == ["imported"] and record["starred"]
