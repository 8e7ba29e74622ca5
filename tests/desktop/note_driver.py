"""Test driver (not a test): the real app, `desktop.ui.app.run`, on the store given, offscreen.

Once the window shows, it types the given text into the first record's note editor with
QTest, as a user would, and prints `typed <record id>`; the test then signals this process.
Nothing here changes how the app behaves: it only types.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.ui import app as app_module
from desktop.ui.controllers.tracker import TrackerController
from desktop.ui.views.main_window import MainWindow


def type_note(text: str) -> None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    controller = windows[0].findChild(TrackerController) if windows else None
    if controller is None or controller.model.rowCount() == 0:
        QTimer.singleShot(50, lambda: type_note(text))
        return
    controller.place.select_row(0)
    note = windows[0].detail.note
    note.setFocus()
    note.moveCursor(note.textCursor().MoveOperation.End)
    QTest.keyClicks(note, text)
    print(f"typed {windows[0].detail.note_record_id}", flush=True)


def main() -> int:
    db_path, text = Path(sys.argv[1]), sys.argv[2]
    app_module.application()
    QTimer.singleShot(0, lambda: type_note(text))
    return app_module.run(db_path)


if __name__ == "__main__":
    sys.exit(main())
