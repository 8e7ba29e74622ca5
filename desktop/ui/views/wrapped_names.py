"""Names in a tree's first column wrap onto as many lines as its width needs.

A QTreeView with word wrap on still gives every row one line's height (its delegate is asked
for a size without the column's width), so a long name was cut: the two European Commission
sources both read "European Commissi…" in the sidebar. This delegate measures the name at the
column's width, and the rows are laid out again when the column changes width.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView


class WrappedNames(QStyledItemDelegate):
    """Put on `view` (a tree whose column 0 holds names): the view's word wrap is turned on and
    its rows may differ in height."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        self._relayout = QTimer(self)  # once per burst of resizes, after they settle
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(view.doItemsLayout)
        view.header().sectionResized.connect(lambda column, _old, _new: self._column_resized(column))

    def _column_resized(self, column: int) -> None:
        if column == 0:
            self._relayout.start()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        one_line = super().sizeHint(option, index)
        if index.column() != 0:
            return one_line
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self._view.indentation() * (depth + int(self._view.rootIsDecorated()))
        item.rect = QRect(0, 0, max(self._view.columnWidth(0) - indent, 1), one_line.height())
        style = self._view.style()
        # Where the style draws the text (the stylesheet's padding and the icon taken off), less
        # the margin it keeps on each side of it: the width the text is wrapped at.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, item, self._view) + 1
        text_width = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, self._view).width()
        metrics = QFontMetrics(item.font)
        wrapped = metrics.boundingRect(
            QRect(0, 0, max(text_width - 2 * margin, 1), 100_000), Qt.TextFlag.TextWordWrap, item.text
        )
        extra = max(wrapped.height() - metrics.height(), 0)
        return QSize(one_line.width(), one_line.height() + extra)
