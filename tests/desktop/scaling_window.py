"""The window at a scale factor, checked for clipped text: run by tests/desktop/test_scaling.py.

QT_SCALE_FACTOR must be set before Qt starts, so each scale is its own process. It opens the
window on a generated store at the logical size a 1920×1080 screen has at that scale, shows a
record, and prints as JSON every visible label or button whose text does not fit its box, every
pair of filter bar controls that overlap, the window's minimum size, and whether the keyboard
shortcuts dialog fits the screen with every row shown whole and its last row in reach.

    QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen python tests/desktop/scaling_window.py STORE W H
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QRect, Qt, QThreadPool
from PySide6.QtWidgets import QAbstractButton, QLabel, QToolButton, QWidget

from db.store import Store
from desktop.ui.app import application
from desktop.ui.controllers.tracker import build_window
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from tests.desktop import records


def clipped(widget: QWidget) -> str | None:
    """Why `widget`'s text does not fit its box, or its box is cut at the side by what holds
    it (a pane whose contents grew wider than its scroll area), or None."""
    size = widget.size()
    if isinstance(widget, QLabel | QAbstractButton) and widget.text():
        shown = widget.visibleRegion().boundingRect()
        if shown.left() > 0 or shown.right() < size.width() - 1:
            return f"cut at the side: {shown.width()} of its {size.width()} px shown"
    if isinstance(widget, QLabel) and widget.text() and widget.wordWrap():
        needed = widget.heightForWidth(size.width())
        return f"needs {needed} px of height, has {size.height()}" if needed > size.height() else None
    if isinstance(widget, QToolButton) and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
        return None  # an icon (the search field's): its text is only its accessible name
    if isinstance(widget, QLabel | QAbstractButton) and widget.text():
        hint = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
        if hint.width() > size.width() or hint.height() > size.height():
            return f"needs {hint.width()}×{hint.height()}, has {size.width()}×{size.height()}"
    return None


def overlaps(widgets: list[QWidget]) -> list[str]:
    boxes = [(w, QRect(w.mapTo(w.window(), w.rect().topLeft()), w.size())) for w in widgets]
    return [
        f"{a.accessibleName()} overlaps {b.accessibleName()}"
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.intersects(box_b)
    ]


def main() -> int:
    app = application()
    width, height = int(sys.argv[2]), int(sys.argv[3])
    store = Store.open(records.build(Path(sys.argv[1]), 40))
    try:
        window, controller = build_window(store)
        window.resize(width, height)
        window.show()
        deadline = time.monotonic() + 10
        while controller.model.reading and time.monotonic() < deadline:
            app.processEvents()  # the first page is read on a worker
        controller.place.select_row(0)
        while not window.detail.title.text() and time.monotonic() < deadline:
            app.processEvents()  # the first page and the record arrive from workers
        for _ in range(20):
            app.processEvents()  # and the layouts settle
        problems = [
            f"{type(w).__name__} {w.text()!r}: {why}"
            for w in window.findChildren(QWidget)
            if w.isVisible() and not w.visibleRegion().isEmpty() and (why := clipped(w))
        ]
        bar = window.filter_bar
        controls = [
            bar.search, bar.category, bar.jurisdiction, bar.status, bar.tag, bar.published.combo,
            bar.call_status, bar.programme, bar.action_type, bar.deadline.combo, bar.opens.combo,
        ]  # fmt: skip
        minimum = window.minimumSize()
        found = ({
            "shown": bool(window.detail.title.text()),
            "clipped": problems,
            "overlapping": overlaps([w for w in controls if w.isVisible()]),
            "minimum": [minimum.width(), minimum.height()],
            "size": [window.width(), window.height()],
        })  # fmt: skip
        shortcuts = ShortcutsDialog(window)
        shortcuts.show()
        for _ in range(20):
            app.processEvents()
        table = shortcuts.table
        cut_rows = [
            table.item(row, 1).text()
            for row in range(table.rowCount())
            if table.rowHeight(row) < table.sizeHintForRow(row)
        ]
        frame = shortcuts.frameGeometry()
        room = shortcuts.screen().availableGeometry()
        last = table.item(table.rowCount() - 1, 1)
        table.scrollToItem(last)
        app.processEvents()
        reachable = table.viewport().rect().contains(table.visualItemRect(last))
        fits = room.contains(frame)
        found["shortcuts"] = {"cut_rows": cut_rows, "fits": fits, "last_row_reachable": reachable}
        print(json.dumps(found))
        shortcuts.close()
        window.close()
        QThreadPool.globalInstance().waitForDone(10_000)  # the counts and pages still loading
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
