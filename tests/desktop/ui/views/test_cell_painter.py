"""The table's cells drawn from layouts made once (desktop/ui/views/cell_painter.py): what is
painted follows the model, long texts are cut to the cell, and a new look lays them out again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from desktop.ui.views.cell_painter import PADDING
from desktop.ui.views.tracker_table import TrackerTable

RED = QColor("#c00000")


def _table(qtbot, rows: list[list[str]]) -> tuple[TrackerTable, QStandardItemModel]:  # type: ignore[no-untyped-def]
    model = QStandardItemModel(len(rows), len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            model.setItem(r, c, QStandardItem(text))
    table = TrackerTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(600, 200)
    for column in range(model.columnCount()):
        table.setColumnWidth(column, 150)
    table.show()
    qtbot.waitExposed(table)
    return table, model


def _cell(table: TrackerTable, row: int, column: int) -> QImage:
    table.viewport().repaint()
    rect = table.visualRect(table.model().index(row, column))
    return table.viewport().grab(rect).toImage()


def _ink_columns(image: QImage, colour: QColor | None = None) -> list[int]:
    """The x of every column of pixels that has text in it (or, given one, that colour)."""
    background = image.pixelColor(1, 1)
    found = []
    for x in range(image.width()):
        for y in range(image.height() - 2):  # the row's line is the last pixel row
            pixel = image.pixelColor(x, y)
            hit = pixel == colour if colour is not None else pixel != background
            if hit:
                found.append(x)
                break
    return found


def test_a_cell_shows_what_the_model_says_after_every_change(qtbot) -> None:  # type: ignore[no-untyped-def]
    table, model = _table(qtbot, [["Call for AI factories", "Open"], ["Second", "Closed"]])
    before = _cell(table, 0, 0)
    assert _ink_columns(before)  # the text is painted
    model.item(0, 0).setText("Gigafactory call")
    changed = _cell(table, 0, 0)
    assert changed != before
    fresh, _model = _table(qtbot, [["Gigafactory call", "Open"], ["Second", "Closed"]])
    assert _cell(fresh, 0, 0) == changed  # the same as a table that never knew the old text
    model.item(0, 0).setForeground(QBrush(RED))
    assert _ink_columns(_cell(table, 0, 0), RED)  # the model's colour, at once


def test_a_long_text_is_cut_inside_the_cell_with_room_each_side(qtbot) -> None:  # type: ignore[no-untyped-def]
    table, _model = _table(qtbot, [["a very long title " * 20, "x"]])
    ink = _ink_columns(_cell(table, 0, 0))
    assert ink and ink[0] >= PADDING - 1 and ink[-1] <= 150 - PADDING


def test_right_aligned_text_ends_at_the_right_padding(qtbot) -> None:  # type: ignore[no-untyped-def]
    table, model = _table(qtbot, [["€2,000,000", "x"]])
    model.item(0, 0).setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    ink = _ink_columns(_cell(table, 0, 0))
    assert ink[0] > PADDING * 4 and 150 - PADDING - 3 <= ink[-1] <= 150 - PADDING


def test_a_new_look_lays_every_cell_out_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    table, _model = _table(qtbot, [["Policy", "Open"]])
    small = _ink_columns(_cell(table, 0, 0))
    font = table.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    table.setFont(font)  # a FontChange, as the "Text size" setting sends
    QApplication.sendPostedEvents(table, QEvent.Type.FontChange)
    big = _ink_columns(_cell(table, 0, 0))
    assert big[-1] - big[0] > (small[-1] - small[0]) * 1.5
