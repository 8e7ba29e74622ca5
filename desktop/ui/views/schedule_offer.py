"""The one-line question shown on the first window: refresh automatically? Yes / No thanks.

A line below the records instead of a dialog: the user can ignore it and work; it is asked
until answered, once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

OFFERED_HOURS = 4.0


class ScheduleOffer(QWidget):
    """Emits `answered(True)` for Yes, `answered(False)` for No thanks."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleOffer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 8, 4)
        self.text = QLabel(
            f"Refresh automatically every {OFFERED_HOURS:g} hours while Policy Tracker is open, "
            "and tell you what your watchlists and followed calls got?"
        )
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setToolTip("You can change this at any time in Settings")
        self.text.setWordWrap(True)  # on a narrow window or at 150 % it takes two lines, never cut
        self.text.setAccessibleName("Automatic refresh")
        layout.addWidget(self.text, 1)
        self.yes = QPushButton(f"Yes, every {OFFERED_HOURS:g} hours")
        self.yes.setAccessibleName(f"Yes: refresh every {OFFERED_HOURS:g} hours")
        self.no = QPushButton("No thanks")
        self.no.setAccessibleName("No thanks: refresh only when I press Refresh")
        self.no.setToolTip("You can turn it on later in Settings")
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        self.yes.clicked.connect(lambda: self.answered.emit(True))
        self.no.clicked.connect(lambda: self.answered.emit(False))
