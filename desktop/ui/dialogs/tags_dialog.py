"""Tags: every tag with its colour and the number of records carrying it; rename (onto another
tag's name: merge), colour, delete, and show a tag's records.

The dialog only says what the user asked for (its signals); the tags controller asks before a
merge or a delete, does the work on a worker and gives the list back with `set_tags`. While a
change runs, the buttons wait (`set_busy`), so one change is asked at a time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.safe_text import shown
from db.store import TAG_COLOURS, TagInfo
from desktop.formatting import records_text
from desktop.ui import tag_colours, theme

COL_NAME, COL_RECORDS, COL_COLOUR = range(3)
NO_COLOUR = "No colour"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TagsDialog(QDialog):
    """The Tags view. Emits what the user asks: `rename_wanted(old, new)`,
    `delete_wanted(name)`, `colour_wanted(name, colour)` ("" for none), `show_wanted(name)`."""

    rename_wanted = Signal(str, str)
    delete_wanted = Signal(str)
    colour_wanted = Signal(str, str)
    show_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags")
        self.setAccessibleName("Tags")
        self.resize(560, 520)
        self._tags: list[TagInfo] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Every tag, with the records it is on. Renaming a tag to the name of another merges "
            "the two. Every change here can be undone with Ctrl+Z."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Tags and their records")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Tag", "Records", "Colour"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RECORDS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_COLOUR, QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_: self._on_current())
        self.list.itemDoubleClicked.connect(lambda *_: self._show())
        layout.addWidget(self.list, 1)

        rename_row = QHBoxLayout()
        rename_label = QLabel("&Rename to:")
        self.rename_field = QLineEdit(self)
        self.rename_field.setAccessibleName("New name of the tag")
        self.rename_field.setPlaceholderText("A new name, or another tag's name to merge")
        self.rename_field.returnPressed.connect(self._rename)
        rename_label.setBuddy(self.rename_field)
        self.rename_button = QPushButton("Rename", self)
        self.rename_button.clicked.connect(self._rename)
        rename_row.addWidget(rename_label)
        rename_row.addWidget(self.rename_field, 1)
        rename_row.addWidget(self.rename_button)
        layout.addLayout(rename_row)

        actions = QHBoxLayout()
        colour_label = QLabel("&Colour:")
        self.colour_box = QComboBox(self)
        self.colour_box.setAccessibleName("Colour of the tag")
        self.colour_box.addItem(tag_colours.dot_icon(None), NO_COLOUR, "")
        for name in TAG_COLOURS:
            self.colour_box.addItem(tag_colours.dot_icon(name), tag_colours.LABELS[name], name)
        self.colour_box.activated.connect(self._colour)
        colour_label.setBuddy(self.colour_box)
        self.show_button = QPushButton("&Show records", self)
        self.show_button.clicked.connect(self._show)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.clicked.connect(self._delete)
        actions.addWidget(colour_label)
        actions.addWidget(self.colour_box)
        actions.addStretch(1)
        actions.addWidget(self.show_button)
        actions.addWidget(self.delete_button)
        layout.addLayout(actions)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("What happened")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("F2"), self.list, self.start_rename)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self._delete)
        self._busy = False
        self._on_current()

    # -- filling ---------------------------------------------------------------------------

    def set_tags(self, tags: list[TagInfo], select: str | None = None) -> None:
        """Show `tags`, keeping the chosen one (or choosing `select`)."""
        chosen = select if select is not None else self.chosen()
        self._tags = list(tags)
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for tag in tags:
                item = QTreeWidgetItem(self.list, [tag.name, f"{tag.records:,}", _colour_label(tag.colour)])
                item.setData(COL_NAME, Qt.ItemDataRole.UserRole, tag.name)
                item.setIcon(COL_NAME, tag_colours.dot_icon(tag.colour))
                item.setTextAlignment(COL_RECORDS, _RIGHT)
                colour = tag_colours.LABELS.get(tag.colour or "", "no").lower()
                spoken = f"{tag.name}, {records_text(tag.records)}, {colour} colour"
                item.setData(COL_NAME, Qt.ItemDataRole.AccessibleTextRole, spoken)
                if tag.name == chosen:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.topLevelItemCount():
                self.list.setCurrentItem(self.list.topLevelItem(0))
        finally:
            self.list.blockSignals(False)
        self._on_current()

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(COL_NAME, Qt.ItemDataRole.UserRole))

    def tag(self, name: str) -> TagInfo | None:
        return next((t for t in self._tags if t.name == name), None)

    def choose(self, name: str) -> bool:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(COL_NAME, Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentItem(item)
                return True
        return False

    def start_rename(self) -> None:
        """F2 (or Rename… in the sidebar): the keyboard goes to the new name, all selected."""
        self.rename_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.rename_field.selectAll()

    def say(self, text: str, *, error: bool = False) -> None:
        """A line under the list: what was done, or why not (quoted text escaped)."""
        self.message.setText(shown(text, 400))
        self.message.setStyleSheet(f"color: {theme.colour('danger').name()};" if error else "")

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While a change runs on the worker nothing else is asked."""
        self._busy = busy
        if text:
            self.say(text)
        self._on_current()

    # -- asking ----------------------------------------------------------------------------

    def _on_current(self) -> None:
        name = self.chosen()
        tag = self.tag(name) if name is not None else None
        ready = tag is not None and not self._busy
        for widget in (self.rename_field, self.rename_button, self.colour_box, self.delete_button):
            widget.setEnabled(ready)
        self.show_button.setEnabled(tag is not None)
        if tag is not None:
            self.rename_field.setText(tag.name)
            self.colour_box.setCurrentIndex(max(0, self.colour_box.findData(tag.colour or "")))

    def _rename(self) -> None:
        name = self.chosen()
        if name is not None and not self._busy:
            self.rename_wanted.emit(name, self.rename_field.text())

    def _delete(self) -> None:
        name = self.chosen()
        if name is not None and not self._busy:
            self.delete_wanted.emit(name)

    def _colour(self, index: int) -> None:
        name = self.chosen()
        if name is not None and not self._busy:
            self.colour_wanted.emit(name, str(self.colour_box.itemData(index) or ""))

    def _show(self) -> None:
        name = self.chosen()
        if name is not None:
            self.show_wanted.emit(name)


def _colour_label(colour: str | None) -> str:
    return tag_colours.LABELS.get(colour or "", "—")
