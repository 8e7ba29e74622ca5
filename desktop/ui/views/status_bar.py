"""The window's status bar: one way to show a message, with its Undo link."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from desktop.shortcuts import tooltip
from desktop.ui.announce import announce


class TrackerStatusBar(QStatusBar):
    """The status message with an "Undo" link beside it while the message reports an undoable
    change. The message is a label of ours (a plain temporary message would hide the link), so
    `showMessage`/`currentMessage` are redefined for it: one way to show a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file or a page
        self.message.setAccessibleName("Status")
        self.message.setMinimumWidth(1)  # a long message is cut, never the window widened
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("linkButton")
        self.undo_button.setAccessibleName("Undo the change just made")
        self.undo_button.setToolTip(tooltip("undo"))
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.undo_button.setVisible(False)
        self.addWidget(self.message)
        self.addWidget(self.undo_button)  # right after the text it undoes
        self.addWidget(QWidget(), 1)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0, *, undo: bool = False) -> None:  # type: ignore[override]
        self.message.setText(text)
        announce(self.message, "Status", text)
        self.message.setToolTip(text if len(text) > 80 else "")
        self.undo_button.setVisible(undo)
        self._clear_timer.stop()
        if timeout > 0:
            self._clear_timer.start(timeout)

    def currentMessage(self) -> str:
        return self.message.text()

    def clearMessage(self) -> None:
        self.showMessage("")
