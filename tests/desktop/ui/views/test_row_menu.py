"""The row menu is built from the window's actions: one object per command, submenu for status."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop.ui.views.row_menu import STATUS_ACTIONS, row_menu

NAMES = ("star", *STATUS_ACTIONS, "tag", "copy_link", "copy_citation", "open", "mark_unread", "mark_all_read")


def test_the_menu_holds_the_given_actions_and_leaves_out_a_missing_one(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = {name: QAction(name, parent) for name in NAMES}  # no "follow"
    menu = row_menu(actions, parent)
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert entries[0] is actions["star"] and entries[2] is actions["tag"]
    assert [a for a in entries[1].menu().actions()] == [actions[s] for s in STATUS_ACTIONS]
    assert entries[-1] is actions["mark_all_read"]
    assert "follow" not in [a.text() for a in entries]
    assert menu.actions()[-2].isSeparator()  # the whole-view command stands apart
