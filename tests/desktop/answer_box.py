"""Answer the next modal message box from inside its own event loop (tests only)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox


def answer_next_box(button_text: str) -> list[str]:
    """Click the button labelled `button_text` on the next modal QMessageBox as soon as it
    shows; returns the list its labels' and buttons' texts are appended to."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.extend(label.text() for label in box.findChildren(QLabel) if label.text())
        seen.extend(button.text() for button in box.buttons())
        chosen = next(b for b in box.buttons() if b.text() == button_text)
        chosen.click()

    QTimer.singleShot(0, answer)
    return seen
