"""The table's columns, per sidebar choice: which are shown, in which order, how wide.

Each choice (a view, a watchlist, a source, a tag) shows the defaults of its kind until the
user changes something there (the Columns menu, a drag of a header, a column's edge); from
then on that choice keeps its own layout, stored at once in the settings so that a crash
keeps it too. Title always takes the width the others leave (desktop/ui/column_layout.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics

from db.store import Query
from desktop.ui import column_layout
from desktop.ui.column_layout import (
    STRETCHED,
    ColumnLayout,
    default_layout,
    fitted_widths,
    kind_of,
    layout_from,
)
from desktop.ui.settings import WindowState
from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.views.column_menu import ColumnMenu, apply_layout, shown_order, typical_width
from desktop.ui.views.tracker_table import TrackerTable

KEYS = tuple(column.sort_key for column in COLUMNS)


class ColumnsController(QObject):
    def __init__(
        self,
        table: TrackerTable,
        menu: ColumnMenu,
        qsettings: QSettings,
        parent: QObject | None = None,
        *,
        stored: bool = True,
    ) -> None:
        """With `stored=False` the layouts stored earlier are not used (a fresh window)."""
        super().__init__(parent)
        self._table = table
        self._menu = menu
        self._state = WindowState(qsettings)
        text = self._state.text(WindowState.COLUMN_LAYOUTS) if stored else ""
        self._layouts = column_layout.decode(text)
        self._choice = ""
        self._kind = column_layout.EVERYTHING
        self._layout = default_layout(self._kind, KEYS)
        self._applying = False  # the header's signals now are this controller's own doing
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: menu.popup_under_header(header, pos))
        header.sectionMoved.connect(self._on_moved)
        header.sectionResized.connect(self._on_resized)
        table.viewport().installEventFilter(self)
        menu.toggled.connect(self.set_shown)
        menu.reset_wanted.connect(self.reset)

    @property
    def layout(self) -> ColumnLayout:
        """The columns shown now, left to right, and the widths the user gave."""
        return self._layout

    def show_choice(self, choice: str, query: Query) -> None:
        """The table now shows `choice` ("view:open_funding", "watchlist:3"): its layout, or
        the defaults of the kind its query is (a funding filter in All gets the funding ones)."""
        kind = kind_of(query.view, query.category)
        if (choice, kind) == (self._choice, self._kind):
            return
        self._choice, self._kind = choice, kind
        self._apply(layout_from(self._layouts.get(choice), kind, KEYS))

    def set_shown(self, key: str, shown: bool) -> None:
        """Show or hide one column in this choice (a shown one goes last, where it is seen)."""
        visible = [k for k in self._layout.visible if k != key]
        if shown:
            visible.append(key)
        if not visible:
            self._menu.show_checked(self._layout.visible)
            return
        self._apply(ColumnLayout(tuple(visible), self._layout.widths))
        self._store()

    def reset(self) -> None:
        """This choice goes back to its kind's defaults and forgets what the user set."""
        self._layouts.pop(self._choice, None)
        self._save()
        self._apply(default_layout(self._kind, KEYS))

    def close(self) -> None:
        """The window is closing: its table's viewport stops calling this controller's filter,
        which may be torn down before the table (a filter called then crashed the interpreter)."""
        self._table.viewport().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _apply(self, layout: ColumnLayout) -> None:
        self._layout = layout
        self._fit()
        self._menu.show_checked(layout.visible)

    def _fit(self) -> None:
        """Put the layout on the header; also when the table's width changed, so that the
        widths the user did not choose fit it again. Its moves and resizes are not the user's."""
        if self._applying:
            return
        self._applying = True
        try:
            apply_layout(self._table.horizontalHeader(), self._layout.visible, self._widths())
        finally:
            self._applying = False

    def _widths(self) -> dict[str, int]:
        bold = QFont(self._table.font())  # cells measured in bold, as an unread row is
        bold.setBold(True)
        metrics = (QFontMetrics(bold), self._table.horizontalHeader().fontMetrics())
        typical = {c.sort_key: typical_width(c.sort_key, c.header, metrics) for c in COLUMNS}
        room = self._table.viewport().width()
        return fitted_widths(self._layout.visible, typical, self._layout.widths, room)

    def _on_moved(self, *_moved: int) -> None:
        """A header was dragged to another place."""
        if self._applying:
            return
        order = shown_order(self._table.horizontalHeader())
        self._layout = ColumnLayout(order, self._layout.widths)
        self._store()

    def _on_resized(self, logical: int, _old: int, new: int) -> None:
        """A column's edge was dragged; Title's width follows the window and is not a choice."""
        key = COLUMNS[logical].sort_key
        if self._applying or new <= 0 or key == STRETCHED or key not in self._layout.visible:
            return
        self._layout = ColumnLayout(self._layout.visible, {**self._layout.widths, key: new})
        self._store()

    def _store(self) -> None:
        if self._choice:
            self._layouts[self._choice] = self._layout.to_data(KEYS)
            self._save()

    def _save(self) -> None:
        self._state.set_text(WindowState.COLUMN_LAYOUTS, column_layout.encode(self._layouts))
