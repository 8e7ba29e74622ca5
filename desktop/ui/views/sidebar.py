"""The left column: views, watchlists, sources with their health, and tags, each with a count
(a view only). A watchlist also shows how many of its matches are new since the user last
looked at it ("148 +3"); a tag has a dot in its colour (desktop/ui/tag_colours.py)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFont, QIcon, QKeyEvent, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop import health
from desktop.formatting import plain_tooltip, short_count
from desktop.ui import tag_colours, theme
from desktop.ui.views.wrapped_names import WrappedNames

logger = logging.getLogger(__name__)

VIEW = "view"
WATCHLIST = "watchlist"  # value: the watchlist's id, as text
SOURCE = "source"
TAG = "tag"

VIEW_LABELS: dict[str, str] = {
    "all": "All",
    "unread": "Unread",
    "starred": "Starred",
    "open_funding": "Open funding",
    "policy": "Policy",
    "closing_soon": "Closing within 14 days",
    "changed": "Changed since last look",
    "notes": "With notes",
    "followed": "Followed",
    "archived": "Archived",
}

KindRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2
HealthRole = Qt.ItemDataRole.UserRole + 3
LabelRole = Qt.ItemDataRole.UserRole + 4  # the bare label; the accessible name adds the count

# The theme's colour of each state's mark (desktop/ui/theme.py); a disabled source gets a ring.
_HEALTH_COLOURS = {
    health.OK: "health_ok",
    health.FAILING: "health_failing",
    health.NEVER: "mark_off",
    health.SITE_CHANGED: "health_site_changed",
    health.DISABLED: None,
    health.RUNNING: "health_running",
}


def health_icon(state: str, size: int = 10) -> QIcon:
    """A small dot: green ok, red failing, grey never fetched, ring disabled; an amber warning
    sign when the site may have changed."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = _HEALTH_COLOURS.get(state)
    if state == health.SITE_CHANGED:  # a warning sign, not a dot: told apart by shape too
        painter.setPen(QPen(theme.colour("health_site_changed_edge"), 0.8))
        painter.setBrush(theme.colour(colour))
        painter.drawPolygon(
            QPolygonF([QPointF(size / 2, 0.5), QPointF(size - 0.5, size - 1), QPointF(0.5, size - 1)])
        )
        painter.drawLine(QPointF(size / 2, size * 0.35), QPointF(size / 2, size * 0.62))
        painter.drawPoint(QPointF(size / 2, size * 0.78))
    elif colour is None:
        painter.setPen(theme.colour("mark_off"))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(1, 1, size - 2, size - 2)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.colour(colour))
        painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


# Keys that leave the list for the records: Enter goes there, J and K go there and move, as
# they would in the table (so they work right after choosing a view).
_TO_TABLE = {Qt.Key.Key_Return: 0, Qt.Key.Key_Enter: 0, Qt.Key.Key_J: 1, Qt.Key.Key_K: -1}


class Sidebar(QTreeWidget):
    """Emits `chosen(kind, value)` when the user picks a view, a watchlist, a source or a tag,
    `to_table(step)` when a key asks for the records (step: rows to move once there), and
    `edit_watchlist(value)` when the user asks to edit one (double click, F2), and
    `watchlist_menu(value, position)` for a right click on one ("" on the section's title),
    `tag_menu(name, position)` likewise for a tag."""

    chosen = Signal(str, str)
    to_table = Signal(int)
    edit_watchlist = Signal(str)
    watchlist_menu = Signal(str, QPoint)
    source_menu = Signal(str, QPoint)  # a right click on a source: its id
    tag_menu = Signal(str, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Views, sources and tags")
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.setItemDelegateForColumn(0, WrappedNames(self))  # long source names wrap, never cut
        self.setIconSize(QSize(10, 10))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._sections: dict[str, QTreeWidgetItem] = {}
        self._tag_colours: dict[str, str] = {}  # casefolded tag name -> colour name
        for kind, title in ((VIEW, "Views"), (WATCHLIST, "Watchlists"), (SOURCE, "Sources"), (TAG, "Tags")):
            section = QTreeWidgetItem(self, [title.upper(), ""])
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont(self.font())
            font.setBold(True)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            section.setFont(0, font)
            section.setForeground(0, theme.brush("muted"))
            section.setExpanded(True)
            section.setData(1, Qt.ItemDataRole.AccessibleTextRole, f"{title} section")
            self._sections[kind] = section
        for key, label in VIEW_LABELS.items():
            self._add(VIEW, key, label)
        self.expandAll()
        self.currentItemChanged.connect(self._on_current_changed)
        self.itemDoubleClicked.connect(self._on_double_clicked)

    # -- filling -----------------------------------------------------------------------------

    def set_view_counts(self, counts: dict[str, int]) -> None:
        for item in self._children(VIEW):
            _set_count(item, counts.get(item.data(0, ValueRole)))

    def set_sources(self, rows: list[dict[str, Any]], now: datetime | None = None) -> None:
        """Rebuild the sources from `store.source_rows()`, keeping the selection."""
        section = self._sections[SOURCE]
        current = self.current_choice()
        self.blockSignals(True)
        try:
            section.takeChildren()
            for row in sorted(rows, key=lambda r: (not r.get("enabled", True), str(r.get("name", "")))):
                item = self._add(SOURCE, str(row["id"]), str(row.get("name") or row["id"]))
                self._show_health(item, health.source_health(row, now))
                _set_count(item, row.get("record_count"))
                if not row.get("enabled", True):
                    item.setForeground(0, theme.brush("muted"))
            self._restore(current)
        finally:
            self.blockSignals(False)

    def mark_source(self, source_id: str, state: str, detail: str) -> None:
        """Show one source's result as soon as the refresh reports it."""
        for item in self._children(SOURCE):
            if item.data(0, ValueRole) == source_id:
                text = f"{health.LABELS[state]}: {detail}" if detail else health.LABELS[state]
                self._show_health(item, health.Health(state, health.LABELS[state], text))

    def source_state(self, source_id: str) -> tuple[str, str] | None:
        """(health state, tooltip) shown for a source, for tests and accessibility."""
        for item in self._children(SOURCE):
            if item.data(0, ValueRole) == source_id:
                return item.data(0, HealthRole), item.toolTip(0)
        return None

    def set_watchlists(self, rows: list[tuple[int, str, int | None, int | None]]) -> None:
        """Rebuild the watchlists from (id, name, matches, new since the last look; None: not
        counted yet), keeping the selection; a watchlist with new matches is in bold."""
        section = self._sections[WATCHLIST]
        current = self.current_choice()
        self.blockSignals(True)
        try:
            section.takeChildren()
            for watchlist_id, name, total, new in rows:
                item = self._add(WATCHLIST, str(watchlist_id), name)
                item.setToolTip(0, plain_tooltip(f"Watchlist “{name}”\nF2 or double click to edit"))
                if total is not None:
                    self.set_watchlist_count(str(watchlist_id), total, new or 0)
            self._restore(current)
        finally:
            self.blockSignals(False)

    def set_watchlist_count(self, value: str, total: int, new: int) -> None:
        for item in self._children(WATCHLIST):
            if item.data(0, ValueRole) == value:
                item.setText(1, f"{short_count(total)} +{short_count(new)}" if new else short_count(total))
                tip = plain_tooltip(
                    f"Watchlist “{item.data(0, LabelRole)}”: {_count(total)} matches, {_count(new)} new "
                    "since you last looked\nF2 or double click to edit"
                )
                item.setToolTip(0, tip)
                item.setToolTip(1, tip)  # the exact numbers where the column shortens them
                font = QFont(self.font())
                font.setBold(new > 0)
                item.setFont(0, font)  # the name only: a bold count would narrow every label
                name = f"{item.data(0, LabelRole)}, {_count(total)} match{'' if total == 1 else 'es'}"
                if new:
                    name += f", {_count(new)} new since you last looked"
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, name)
                item.setData(1, Qt.ItemDataRole.AccessibleTextRole, name)

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        section = self._sections[TAG]
        current = self.current_choice()
        self.blockSignals(True)
        try:
            section.takeChildren()
            for name, count in tags:
                item = self._add(TAG, name, name)
                _set_count(item, count)
                item.setToolTip(0, _tag_tooltip(name))
                self._show_tag_colour(item)
            self._restore(current)
        finally:
            self.blockSignals(False)

    def set_tag_colours(self, colours: dict[str, str]) -> None:
        """Each tag's colour name (the store's `tag_colours`), shown as a dot before its name."""
        self._tag_colours = {name.casefold(): colour for name, colour in colours.items()}
        for item in self._children(TAG):
            self._show_tag_colour(item)

    def tag_colour(self, name: str) -> str | None:
        return self._tag_colours.get(name.casefold())

    def rename_tag(self, old: str, new: str) -> None:
        """A tag was renamed (or merged into `new`): its entry follows at once, and a tag
        being shown stays shown under its new name (the counts follow with the next count)."""
        entries = {item.data(0, ValueRole): item for item in self._children(TAG)}
        shown = self.current_choice() == (TAG, old)
        self.blockSignals(True)  # an entry leaving must not choose its neighbour
        try:
            if old in entries and new in entries:
                self._sections[TAG].removeChild(entries[old])
            elif old in entries:
                item = entries[old]
                item.setData(0, ValueRole, new)
                item.setData(0, LabelRole, new)
                item.setText(0, new)
                item.setToolTip(0, _tag_tooltip(new))
        finally:
            self.blockSignals(False)
        if shown:
            self._choose_again(TAG, new)

    def forget_tag(self, name: str) -> None:
        """A tag was deleted: its entry goes; a view of it gives way to All."""
        shown = self.current_choice() == (TAG, name)
        self.blockSignals(True)
        try:
            for item in self._children(TAG):
                if item.data(0, ValueRole) == name:
                    self._sections[TAG].removeChild(item)
        finally:
            self.blockSignals(False)
        if shown:
            self._choose_again(VIEW, "all")

    def _choose_again(self, kind: str, value: str) -> None:
        """Highlight the entry and say it is chosen, even when it was current already."""
        self.select(kind, value)
        self.chosen.emit(kind, value)

    def _show_tag_colour(self, item: QTreeWidgetItem) -> None:
        colour = self.tag_colour(item.data(0, ValueRole))
        item.setIcon(0, tag_colours.dot_icon(colour))
        described = f"colour {tag_colours.LABELS[colour].lower()}" if colour in tag_colours.LABELS else ""
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, described)

    # -- choosing ----------------------------------------------------------------------------

    def current_choice(self) -> tuple[str, str] | None:
        item = self.currentItem()
        if item is None or item.data(0, KindRole) is None:
            return None
        return item.data(0, KindRole), item.data(0, ValueRole)

    def select(self, kind: str, value: str, *, notify: bool = False) -> bool:
        """Highlight an entry; with notify, as if clicked. False when there is no such entry."""
        for item in self._children(kind):
            if item.data(0, ValueRole) == value:
                self.blockSignals(not notify)
                try:
                    self.setCurrentItem(item)
                finally:
                    self.blockSignals(False)
                return True
        return False

    def label_of(self, kind: str, value: str) -> str:
        for item in self._children(kind):
            if item.data(0, ValueRole) == value:
                return item.data(0, LabelRole) or item.text(0)
        return VIEW_LABELS.get(value, value) if kind == VIEW else value

    def count_of(self, kind: str, value: str) -> str:
        for item in self._children(kind):
            if item.data(0, ValueRole) == value:
                return item.text(1)
        return ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bare = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        choice = self.current_choice()
        if bare and event.key() == Qt.Key.Key_F2 and choice is not None and choice[0] == WATCHLIST:
            event.accept()
            self.edit_watchlist.emit(choice[1])
            return
        step = _TO_TABLE.get(Qt.Key(event.key())) if bare else None
        if step is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self.to_table.emit(step)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        if current is None or current.data(0, KindRole) is None:
            return
        self.chosen.emit(current.data(0, KindRole), current.data(0, ValueRole))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if item is self._sections[WATCHLIST]:
            self.watchlist_menu.emit("", event.globalPos())
        elif item is not None and item.data(0, KindRole) == WATCHLIST:
            self.watchlist_menu.emit(item.data(0, ValueRole), event.globalPos())
        elif item is not None and item.data(0, KindRole) == SOURCE:
            self.source_menu.emit(item.data(0, ValueRole), event.globalPos())
        elif item is self._sections[TAG]:
            self.tag_menu.emit("", event.globalPos())
        elif item is not None and item.data(0, KindRole) == TAG:
            self.tag_menu.emit(item.data(0, ValueRole), event.globalPos())
        else:
            super().contextMenuEvent(event)

    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KindRole) == WATCHLIST:
            self.edit_watchlist.emit(item.data(0, ValueRole))

    # -- helpers -----------------------------------------------------------------------------

    def _add(self, kind: str, value: str, label: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self._sections[kind], [label, ""])
        item.setData(0, KindRole, kind)
        item.setData(0, ValueRole, value)
        item.setData(0, LabelRole, label)
        _set_count(item, None)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setForeground(1, theme.brush("muted"))
        return item

    def _children(self, kind: str) -> list[QTreeWidgetItem]:
        section = self._sections[kind]
        return [section.child(i) for i in range(section.childCount())]

    def _show_health(self, item: QTreeWidgetItem, state: health.Health) -> None:
        item.setIcon(0, health_icon(state.state))
        item.setData(0, HealthRole, state.state)
        name = item.data(0, LabelRole)
        item.setToolTip(0, plain_tooltip(f"{name}\n{state.detail}"))
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, state.detail)

    def _restore(self, choice: tuple[str, str] | None) -> None:
        if choice is not None:
            self.select(*choice)


def _tag_tooltip(name: str) -> str:
    return plain_tooltip(f"Records tagged “{name}”\nRight click to rename, colour or delete")


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _set_count(item: QTreeWidgetItem, value: int | None) -> None:
    """Shows the count (shortened past 9,999: the exact one in its tooltip) and puts it in the
    accessible name ("Unread, 12 records"), so that a screen reader says it with the label; the
    count column alone would be read as a number."""
    item.setText(1, "" if value is None else short_count(value))
    item.setToolTip(1, "" if value is None else f"{_count(value)} record{'' if value == 1 else 's'}")
    label = item.data(0, LabelRole)
    name = label if value is None else f"{label}, {_count(value)} record{'' if value == 1 else 's'}"
    item.setData(0, Qt.ItemDataRole.AccessibleTextRole, name)
    item.setData(1, Qt.ItemDataRole.AccessibleTextRole, name)
