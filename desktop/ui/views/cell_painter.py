"""How a cell of the records table is drawn: its text laid out once, then only painted.

At a million records the window's stalls were its repaints, and most of a repaint of the
table was the cells: Qt's own item delegate asks the model seven roles a cell (each a call
into Python) and lays the text out again at every paint. The window's thread shares the
interpreter with the workers reading pages and counts, so each call into Python could wait
for a worker: with one busy, a repaint took 43 ms instead of 9 (benchmarks/paint.py).

Here each cell's text is elided and laid out once (a QStaticText), with its font and colour,
and kept until the model says its rows changed (or the look or a column's width does); a
paint draws the kept text and the row's line. The row's background (alternate rows and the
selection) is the style's, from the table's style sheet (resources/style.qss).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.ui import theme

PADDING = 9  # each side of the text: the style sheet's 6 px and the style's own 3 px margin
KEPT_CELLS = 4_000  # a few screens of cells; past this the kept layouts are dropped
_CHANGES = ("modelReset", "dataChanged", "rowsInserted", "rowsRemoved", "rowsMoved", "layoutChanged")

_Look = tuple[QStaticText, QFont, QColor | None, Qt.AlignmentFlag]


class CellPainter(QStyledItemDelegate):
    """Draws the table's cells from layouts made once per cell (see the module's docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._looks: dict[tuple[int, int, int], _Look] = {}

    def watch(self, model: QAbstractItemModel) -> None:
        """Forget the kept layouts whenever `model` says its rows changed."""
        for name in _CHANGES:
            getattr(model, name).connect(self.forget)

    def forget(self, *_args: object) -> None:
        """Drop every kept layout (the rows, the look or the font changed)."""
        self._looks.clear()

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = option.rect
        static, font, colour, align = self._look(index, rect.width(), option.font)
        painter.setPen(theme.colour("row_line"))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        state = option.state
        group = (
            QPalette.ColorGroup.Normal
            if state & QStyle.StateFlag.State_Enabled
            else QPalette.ColorGroup.Disabled
        )
        if state & QStyle.StateFlag.State_Selected:
            painter.setPen(option.palette.color(group, QPalette.ColorRole.HighlightedText))
        else:
            painter.setPen(colour or option.palette.color(group, QPalette.ColorRole.Text))
        painter.setFont(font)
        size = static.size()
        if align & Qt.AlignmentFlag.AlignRight:
            left = rect.right() + 1 - PADDING - size.width()
        elif align & Qt.AlignmentFlag.AlignHCenter:
            left = rect.left() + (rect.width() - size.width()) / 2
        else:
            left = rect.left() + PADDING
        painter.drawStaticText(QPointF(left, rect.top() + (rect.height() - size.height()) / 2), static)

    def _look(self, index: QModelIndex | QPersistentModelIndex, width: int, font: QFont) -> _Look:
        key = (index.row(), index.column(), width)
        look = self._looks.get(key)
        if look is None:
            if len(self._looks) >= KEPT_CELLS:
                self._looks.clear()
            look = self._looks[key] = _made(index, width, font)
        return look


def _made(index: QModelIndex | QPersistentModelIndex, width: int, font: QFont) -> _Look:
    """The cell's text elided to its width and laid out, with its font, colour and alignment."""
    shown_font = QFont(index.data(Qt.ItemDataRole.FontRole) or font)  # a copy: the option dies
    brush = index.data(Qt.ItemDataRole.ForegroundRole)
    align = Qt.AlignmentFlag(index.data(Qt.ItemDataRole.TextAlignmentRole) or Qt.AlignmentFlag.AlignLeft)
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    elided = QFontMetrics(shown_font).elidedText(
        text, Qt.TextElideMode.ElideRight, max(0, width - 2 * PADDING)
    )
    static = QStaticText(elided)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(font=shown_font)
    return static, shown_font, None if brush is None else brush.color(), align
