"""The Columns menu (View → Columns, and a right click on the table's header) and the helpers
that put a `ColumnLayout` on the header and read it back.

One menu serves both places: a checkbox per column of the registry, then "Reset Columns".
What a choice means for the stored layouts is the columns controller's business.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from desktop.ui.column_layout import FALLBACK_TEXT, STRETCHED, TYPICAL_TEXT
from desktop.ui.tracker_columns import COLUMNS

# The menu's words for a column whose header is a sign, not a word.
_MENU_NAMES = {"star": "Star (★)"}
_CELL_PADDING = 22  # the cell's padding (resources/style.qss), Qt's text margins, a little air
_SORT_ARROW = 18  # room for the header's sort indicator


class ColumnMenu(QMenu):
    """Checkable columns; `toggled(sort key, shown)` and `reset_wanted` say what was chosen."""

    toggled = Signal(str, bool)
    reset_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("C&olumns", parent)
        self.setObjectName("columnMenu")
        self.column_actions: dict[str, QAction] = {}
        for column in COLUMNS:
            action = QAction(_MENU_NAMES.get(column.sort_key, column.header), self)
            action.setObjectName(f"column_{column.sort_key}")
            action.setCheckable(True)
            action.setStatusTip(column.tooltip)
            action.toggled.connect(lambda shown, key=column.sort_key: self.toggled.emit(key, shown))
            self.addAction(action)
            self.column_actions[column.sort_key] = action
        self.addSeparator()
        self.reset_action = QAction("&Reset Columns", self)
        self.reset_action.setObjectName("column_reset")
        self.reset_action.setStatusTip("Show this view's default columns, in their order and widths")
        self.reset_action.triggered.connect(self.reset_wanted)
        self.addAction(self.reset_action)

    def show_checked(self, visible: tuple[str, ...]) -> None:
        """Tick the columns shown; the last one shown cannot be unticked (a table with no
        column would leave nothing to right-click to get them back)."""
        for key, action in self.column_actions.items():
            action.blockSignals(True)
            action.setChecked(key in visible)
            action.setEnabled(not (len(visible) == 1 and key in visible))
            action.blockSignals(False)

    def popup_under_header(self, header: QHeaderView, pos: QPoint) -> None:
        self.popup(header.viewport().mapToGlobal(pos))


Metrics = tuple[QFontMetrics, QFontMetrics]  # the cells' font, the header's font


def typical_width(key: str, header_text: str, metrics: Metrics) -> int:
    """A column wide enough for its typical content and its header (with the sort arrow);
    the star's column is as narrow as its sign."""
    cells, heads = metrics
    text = max(cells.horizontalAdvance(sample) for sample in TYPICAL_TEXT.get(key, FALLBACK_TEXT))
    if key == "star":
        return max(30, text + _CELL_PADDING // 2)
    return max(text, heads.horizontalAdvance(header_text) + _SORT_ARROW) + _CELL_PADDING


def apply_layout(header: QHeaderView, visible: tuple[str, ...], widths: Mapping[str, int]) -> None:
    """Show the `visible` columns in their order, the others hidden after them, at `widths`,
    Title stretched. The header's signals go out as usual (the table follows them to lay out
    its cells and scroll bars): whoever listens tells its own changes from the user's."""
    order = [*visible, *(c.sort_key for c in COLUMNS if c.sort_key not in visible)]
    for visual, key in enumerate(order):
        logical = logical_index(key)
        if header.visualIndex(logical) != visual:
            header.moveSection(header.visualIndex(logical), visual)
        if header.isSectionHidden(logical) != (key not in visible):
            header.setSectionHidden(logical, key not in visible)
        if key == STRETCHED:
            header.setSectionResizeMode(logical, QHeaderView.ResizeMode.Stretch)
            continue
        mode = QHeaderView.ResizeMode.Fixed if key == "star" else QHeaderView.ResizeMode.Interactive
        header.setSectionResizeMode(logical, mode)
        if key in widths and header.sectionSize(logical) != widths[key] and key in visible:
            header.resizeSection(logical, widths[key])


def shown_order(header: QHeaderView) -> tuple[str, ...]:
    """The sort keys of the columns `header` shows, left to right."""
    shown = sorted(
        (header.visualIndex(logical), COLUMNS[logical].sort_key)
        for logical in range(len(COLUMNS))
        if not header.isSectionHidden(logical)
    )
    return tuple(key for _visual, key in shown)


def logical_index(key: str) -> int:
    return next(number for number, column in enumerate(COLUMNS) if column.sort_key == key)
