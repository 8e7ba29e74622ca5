"""A row of controls wraps when short of width: the details pane's buttons no longer make the
pane wider than its scroll area (at 150 % on a laptop its right side was cut)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

from desktop.ui.views.wrapping_row import WrappingRow


def test_the_row_takes_a_second_line_when_its_buttons_do_not_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    holder = QWidget()  # a fixed height on a window of its own would warn on the offscreen platform
    qtbot.addWidget(holder)
    row = WrappingRow(holder, spacing=8)
    buttons = [QPushButton(text) for text in ("★ Starred", "Reviewing", "Open original")]
    for button in buttons:
        row.add(button)
    wide = sum(b.sizeHint().width() for b in buttons) + 2 * 8
    row.resize(wide, 10)
    holder.show()
    one_line = row.height()
    assert one_line == max(b.sizeHint().height() for b in buttons)
    row.resize(wide - 40, 10)
    assert row.height() > one_line  # the last button went to a second line
    assert buttons[2].geometry().left() == 0 and buttons[2].geometry().top() > 0
    assert all(row.rect().contains(b.geometry()) for b in buttons)  # each one whole


def test_the_details_pane_is_never_wider_than_its_scroll_area(qtbot, make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db, size=(900, 600))
    controller.place.select_row(0)
    qtbot.waitUntil(lambda: bool(window.detail.title.text()))
    sizes = window.splitter.sizes()
    window.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - 260, 260])
    scroll = window.detail.findChild(QScrollArea, "detailScroll")
    qtbot.waitUntil(lambda: scroll.widget().width() <= scroll.viewport().width())
    open_button = window.detail.open_button
    right = open_button.mapTo(scroll.viewport(), open_button.rect().topRight()).x()
    assert right < scroll.viewport().width()  # "Open original" whole, not cut at the pane's edge
