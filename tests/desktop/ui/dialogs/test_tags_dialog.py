"""The Tags dialog on its own: it lists what it is given, says what the user asked for, waits
while a change runs, and shows a quoted name escaped."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db.store import TagInfo
from desktop.ui.dialogs.tags_dialog import TagsDialog

TAGS = [TagInfo("AI Act", "blue", 132), TagInfo("compute", None, 1), TagInfo("for Friday", "yellow", 0)]


def _dialog(qtbot) -> TagsDialog:  # type: ignore[no-untyped-def]
    dialog = TagsDialog()
    qtbot.addWidget(dialog)
    dialog.set_tags(TAGS, "compute")
    return dialog


def test_it_lists_every_tag_with_its_count_and_colour(qtbot) -> None:
    dialog = _dialog(qtbot)
    rows = [
        tuple(dialog.list.topLevelItem(i).text(c) for c in range(3))
        for i in range(dialog.list.topLevelItemCount())
    ]
    assert rows == [("AI Act", "132", "Blue"), ("compute", "1", "—"), ("for Friday", "0", "Yellow")]
    assert dialog.chosen() == "compute" and dialog.rename_field.text() == "compute"
    spoken = dialog.list.topLevelItem(0).data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "AI Act, 132 records, blue colour"


def test_it_says_what_the_user_asks_for(qtbot) -> None:
    dialog = _dialog(qtbot)
    asked: list[tuple[str, ...]] = []
    dialog.rename_wanted.connect(lambda old, new: asked.append(("rename", old, new)))
    dialog.delete_wanted.connect(lambda name: asked.append(("delete", name)))
    dialog.colour_wanted.connect(lambda name, colour: asked.append(("colour", name, colour)))
    dialog.show_wanted.connect(lambda name: asked.append(("show", name)))
    dialog.rename_field.setText("Compute")
    qtbot.keyClick(dialog.rename_field, Qt.Key.Key_Return)
    dialog.delete_button.click()
    dialog.colour_box.activated.emit(dialog.colour_box.findData("green"))
    dialog.colour_box.activated.emit(0)
    dialog.show_button.click()
    assert asked == [
        ("rename", "compute", "Compute"),
        ("delete", "compute"),
        ("colour", "compute", "green"),
        ("colour", "compute", ""),
        ("show", "compute"),
    ]


def test_while_a_change_runs_nothing_else_is_asked(qtbot) -> None:
    dialog = _dialog(qtbot)
    asked: list[str] = []
    dialog.delete_wanted.connect(asked.append)
    dialog.set_busy(True, "Renaming “compute”…")
    assert not dialog.delete_button.isEnabled() and not dialog.rename_button.isEnabled()
    dialog._delete()
    assert asked == [] and dialog.message.text() == "Renaming “compute”…"
    dialog.set_busy(False)
    assert dialog.delete_button.isEnabled()


def test_a_quoted_name_is_shown_escaped(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.say("Not renamed: no tag “bad\x1b[2J”", error=True)
    assert "\x1b" not in dialog.message.text() and "\\x1b" in dialog.message.text()
