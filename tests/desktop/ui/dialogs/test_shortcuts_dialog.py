"""The keyboard shortcuts dialog: every row shown whole, all of them at once where the screen
has the room (1920×1200 here), and on any screen its Close button on it (the 1366×768 and
200 % cases run in tests/desktop/test_scaling.py, on screens of those sizes)."""

from __future__ import annotations

from desktop.shortcuts import SHORTCUTS
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog


def test_every_row_is_shown_at_once_on_a_large_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == len(SHORTCUTS)
    assert not table.verticalScrollBar().isVisible()  # nothing a scroll away
    last = table.item(table.rowCount() - 1, 1)
    assert table.viewport().rect().contains(table.visualItemRect(last))
    cut = [row for row in range(table.rowCount()) if table.rowHeight(row) < table.sizeHintForRow(row)]
    assert cut == []
    assert dialog.screen().availableGeometry().contains(dialog.frameGeometry())
