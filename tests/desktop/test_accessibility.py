"""What a screen reader finds in the window: names on every control, text in every cell.

The tree is read through Qt's own accessibility interfaces (`QAccessible.queryAccessibleInterface`
and `child(i)`), the same objects the platform bridge (AT-SPI, UIA, NSAccessibility) exposes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from desktop.ui.dialogs.about_dialog import AboutDialog
from desktop.ui.dialogs.add_source_dialog import AddSourceDialog
from desktop.ui.dialogs.brief_dialog import BriefDialog
from desktop.ui.dialogs.changes_dialog import ChangesDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop.ui.dialogs.sources_dialog import SourcesDialog
from desktop.ui.dialogs.watchlist_dialog import WatchlistDialog
from desktop.ui.tracker_columns import COL_STAR
from desktop.ui.views.main_window import PAGE_FIRST_RUN
from desktop.ui.views.sidebar import VIEW
from scrapers.model import Source
from tests.desktop.ui.controllers.test_triage import focus_table

Role = QAccessible.Role

INTERACTIVE = {
    Role.PushButton,
    Role.ButtonMenu,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.List,
    Role.Table,
    Role.Tree,
    Role.PageTabList,
    Role.Slider,
}
CELLS = {Role.Cell, Role.ListItem, Role.TreeItem, Role.ColumnHeader}


def walk(interface: QAccessibleInterface, depth: int = 0, limit: int = 4000) -> list[QAccessibleInterface]:
    """Every visible node under `interface` (cells of big views are capped by `limit`)."""
    found: list[QAccessibleInterface] = []
    stack = [interface]
    while stack and len(found) < limit:
        node = stack.pop()
        if node is None or not node.isValid() or node.state().invisible:
            continue
        found.append(node)
        stack.extend(node.child(i) for i in reversed(range(node.childCount())))
    return found


def describe(node: QAccessibleInterface) -> str:
    obj = node.object()
    where = type(obj).__name__ + (f"#{obj.objectName()}" if obj is not None and obj.objectName() else "")
    return f"{node.role().name} {where} text={node.text(QAccessible.Text.Name)!r}"


def unnamed(root: QWidget) -> list[str]:
    """Interactive nodes without a name and cells without text, described for the failure."""
    interface = QAccessible.queryAccessibleInterface(root)
    assert interface is not None and interface.isValid()
    problems = []
    for node in walk(interface):
        role = node.role()
        if (role in INTERACTIVE or role in CELLS) and not node.text(QAccessible.Text.Name).strip():
            problems.append(describe(node))
    return problems


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_control_and_cell_of_the_window_has_a_name(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    qtbot.waitUntil(lambda: window.sidebar.count_of(VIEW, "unread") != "")
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.title.text() != "")
    assert unnamed(window) == []
    cells = [n for n in walk(QAccessible.queryAccessibleInterface(window.table)) if n.role() == Role.Cell]
    assert len(cells) > 50  # the walk really reached the table's cells


def test_the_first_run_page_has_names_too(qtbot, make_window, empty_db) -> None:
    window, _controller = make_window(empty_db)
    assert window.centre_stack.currentIndex() == PAGE_FIRST_RUN
    assert unnamed(window) == []


def test_star_cells_and_headers_read_as_words(make_window, small_db, open_store) -> None:
    window, controller = make_window(small_db)
    model = controller.model
    held = min(model.rowCount(), model.PAGE_SIZE)  # the rows a reader can reach are read already
    spoken = {model.index(r, COL_STAR).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(held)}
    assert spoken == {"Starred", "Not starred"}
    table = QAccessible.queryAccessibleInterface(window.table)
    headers = [n.text(QAccessible.Text.Name) for n in walk(table) if n.role() == Role.ColumnHeader]
    assert headers[:3] == ["Starred", "Title", "Category"]


def test_sidebar_items_say_their_count(make_window, small_db, qtbot) -> None:
    window, _controller = make_window(small_db)
    qtbot.waitUntil(lambda: window.sidebar.count_of(VIEW, "unread") != "")
    count = window.sidebar.count_of(VIEW, "unread")
    tree = QAccessible.queryAccessibleInterface(window.sidebar)
    names = {n.text(QAccessible.Text.Name) for n in walk(tree) if n.role() == Role.TreeItem}
    assert f"Unread, {count} records" in names
    assert window.sidebar.label_of(VIEW, "unread") == "Unread"  # the bare label is kept


def test_tag_chips_name_what_they_remove(make_window, small_db, qtbot) -> None:
    window, controller = make_window(small_db)
    window.table.setFocus()
    window.table.selectRow(0)
    record_id = controller.place.current_record_id()
    controller.store.add_tag(record_id, "AI Act")
    controller.notes.show_record(record_id)
    qtbot.waitUntil(lambda: "Remove tag AI Act" in names_of(window.detail))


def names_of(widget: QWidget) -> set[str]:
    return {n.text(QAccessible.Text.Name) for n in walk(QAccessible.queryAccessibleInterface(widget))}


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
def test_every_dialog_control_has_a_name(qtbot, tmp_path: Path) -> None:
    sources = [Source(id="a", name="A", kind="feed", url="https://a.example/feed")]
    dialogs = [
        SettingsDialog(QSettings()),
        SourcesDialog(sources, [], sources_path_text="x"),
        AddSourceDialog(set(), per_host_delay=0),
        ShortcutsDialog(),
        AboutDialog(tmp_path / "data.sqlite3", None),
        BriefDialog(selected_count=2, view_label="All", tags=["AI Act"]),
        ChangesDialog(),
        WatchlistDialog(None, save=lambda watchlist: watchlist, delete=lambda _id: None),
    ]
    for dialog in dialogs:
        shown(qtbot, dialog)
        assert unnamed(dialog) == [], dialog.windowTitle()


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_status_messages_reach_the_screen_reader(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    status = window.status_bar
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_E)  # archive, as a keyboard user would
    qtbot.waitUntil(lambda: "Archived" in status.currentMessage())
    assert spoken_name(status.message) == f"Status: {status.currentMessage()}"
    status.clearMessage()
    assert spoken_name(status.message) == "Status"


def test_the_note_save_state_is_spoken(qtbot, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    controller.place.select_row(0)
    window.detail.note.setFocus()
    qtbot.keyClicks(window.detail.note, "Ask the AI Office")
    qtbot.waitUntil(lambda: spoken_name(window.detail.note_state) == "Note save state: Saved", timeout=5000)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    """A key where the keyboard focus is, as a person presses it; returns the new focus."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def test_f6_and_shift_f6_go_round_the_panes(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    focus_table(qtbot, window)
    press(qtbot, Qt.Key.Key_J)  # a record is shown, so the details pane has controls
    qtbot.waitUntil(lambda: window.detail.title.text() != "")
    shift = Qt.KeyboardModifier.ShiftModifier

    def pane(widget: QWidget) -> QWidget:
        return next(
            p
            for p in (window.sidebar, window.filter_bar, window.table, window.detail)
            if p is widget or p.isAncestorOf(widget)
        )

    forward = [pane(press(qtbot, Qt.Key.Key_F6)) for _ in range(4)]
    assert forward == [window.detail, window.sidebar, window.filter_bar, window.table]
    assert QApplication.focusWidget() is window.table
    backward = [pane(press(qtbot, Qt.Key.Key_F6, shift)) for _ in range(4)]
    assert backward == [window.filter_bar, window.sidebar, window.detail, window.table]
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.filter_bar.search  # typing searches at once


def test_f6_passes_the_details_pane_when_no_record_is_shown(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.sidebar.setFocus()
    assert window.detail.record_id is None
    assert press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier) is window.table


def focus_shows(qtbot, widget: QWidget, away: QWidget) -> bool:
    """Whether `widget` looks different with the keyboard focus than without."""
    away.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: not widget.hasFocus())
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    return widget.grab().toImage() != without


def focus_not_shown(qtbot, root: QWidget, away: QWidget) -> list[str]:
    """The focusable widgets of `root` that look the same with and without the focus."""
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    focusable = [
        w
        for w in root.findChildren(QWidget)
        if w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        and w.isVisible()
        and w.isEnabled()
        and w.focusProxy() is None
    ]
    assert len(focusable) > 2
    others = [w for w in focusable if w is not away]
    return [
        describe(QAccessible.queryAccessibleInterface(w))
        for w in focusable
        if not focus_shows(qtbot, w, others[0] if w is away else away)
    ]


def test_the_keyboard_focus_is_always_visible(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    focus_table(qtbot, window)
    press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.detail.title.text() != "")
    hidden = focus_not_shown(qtbot, window, window.filter_bar.search)
    assert hidden == [], "\n".join(hidden)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit
def test_the_keyboard_focus_is_visible_in_dialogs(qtbot) -> None:
    sources = [Source(id="a", name="A", kind="feed", url="https://a.example/feed")]
    for dialog in (SettingsDialog(QSettings()), SourcesDialog(sources, [], sources_path_text="x")):
        shown(qtbot, dialog)
        hidden = focus_not_shown(qtbot, dialog, dialog.findChildren(QPushButton)[-1])
        assert hidden == [], "\n".join(hidden)


def test_tab_goes_sidebar_filters_records_details_and_round(qtbot, make_window, small_db) -> None:
    """The Tab order follows the panes and no control keeps the focus (no keyboard trap)."""
    window, _controller = make_window(small_db)
    focus_table(qtbot, window)
    press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.detail.title.text() != "")
    panes = (window.sidebar, window.filter_bar, window.table, window.detail)
    for key, modifier in (
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier),
    ):
        window.sidebar.setFocus()
        qtbot.waitUntil(window.sidebar.hasFocus)
        visited = [window.sidebar]
        for _ in range(40):
            focus = press(qtbot, key, modifier)
            pane = next(p for p in panes if p is focus or p.isAncestorOf(focus))
            if pane is not visited[-1]:
                visited.append(pane)
            if focus is window.sidebar:
                break
        expected = [window.sidebar, *panes[1:], window.sidebar]
        assert visited == (expected if key == Qt.Key.Key_Tab else expected[::-1])


def test_the_details_read_as_title_then_label_value_pairs(qtbot, make_window, small_db) -> None:
    window, _controller = make_window(small_db)
    focus_table(qtbot, window)
    press(qtbot, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.detail.title.text() != "")
    pane = QAccessible.queryAccessibleInterface(window.detail)
    texts = [n.text(QAccessible.Text.Name) for n in walk(pane) if n.role() == Role.StaticText]
    source = window.detail._fields["source"].text()
    assert texts[:3] == [window.detail.title.text(), "Source", source]  # each label said once
    shown = [key for key, value in window.detail._fields.items() if value.isVisible()]
    assert len(shown) >= 4
    for key in shown:  # and each value tells AT which label it belongs to
        value = QAccessible.queryAccessibleInterface(window.detail._fields[key])
        labels = [
            other.text(QAccessible.Text.Name) for other, _ in value.relations(QAccessible.RelationFlag.Label)
        ]
        assert labels == [window.detail._field_names[key].text()], key
