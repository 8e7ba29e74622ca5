"""The table's context menu: the window's own actions on the records under the pointer.

Every entry is an action of `MainWindow.actions` (so a menu entry, its key and its menu-bar
twin are one thing and say the same key); the status entries go in a submenu.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

STATUS_ACTIONS = ("status_new", "status_reviewing", "status_done", "status_archived")
_ENTRIES = (
    "star",
    "status",
    "tag",
    None,
    "copy_link",
    "copy_citation",
    "open",
    None,
    "mark_unread",
    "follow",
    None,
    "mark_all_read",
)


def row_menu(actions: dict[str, QAction], parent: QWidget) -> QMenu:
    """The menu for the selected rows; an action the window does not have (follow) is left out."""
    menu = QMenu(parent)
    menu.setObjectName("rowMenu")
    menu.setAccessibleName("Record actions")
    for name in _ENTRIES:
        if name is None:
            menu.addSeparator()
        elif name == "status":
            statuses = menu.addMenu("St&atus")
            statuses.setObjectName("rowStatusMenu")
            for status in STATUS_ACTIONS:
                statuses.addAction(actions[status])
        elif name in actions:
            menu.addAction(actions[name])
    return menu
