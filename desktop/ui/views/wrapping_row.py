"""A row of controls that wraps onto further lines when its width is short.

The details pane's Star, Status and Open original sat in one box row: at 150 % on a laptop the
row was wider than the pane, the pane's contents grew wider than its scroll area, and every
line on the right was cut ("Open origina", "15 Oc"). This row wraps instead.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from desktop.ui.views.flow_layout import FlowLayout


class WrappingRow(QWidget):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._flow = FlowLayout(self, spacing=spacing)

    def add(self, widget: QWidget) -> None:
        self._flow.addWidget(widget)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as its lines at this width (a box layout would not ask the flow for it)."""
        self.setFixedHeight(self._flow.heightForWidth(max(self.width(), 1)))
