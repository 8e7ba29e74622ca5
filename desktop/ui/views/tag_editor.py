"""The detail pane's tags: chips to remove one, a field with completion to add one. A chip
is tinted in its tag's colour (desktop/ui/tag_colours.py), its text readable in every theme."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.shortcuts import tooltip
from desktop.ui import tag_colours
from desktop.ui.views.flow_layout import FlowLayout


class TagEditor(QWidget):
    """Chips for the record's tags (click to remove) and a field with completion to add one."""

    tag_added = Signal(str)
    tag_removed = Signal(str)
    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._chips = QWidget(self)
        self._flow = FlowLayout(self._chips, spacing=6)
        layout.addWidget(self._chips)
        self.input = QLineEdit(self)
        self.input.setPlaceholderText("Add a tag and press Enter…")
        self.input.setAccessibleName("Add a tag")
        self.input.setToolTip(tooltip("tag"))
        self.input.setClearButtonEnabled(True)
        self._known = QStringListModel(self)
        completer = QCompleter(self._known, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.input.setCompleter(completer)
        self.input.returnPressed.connect(self._on_return)
        self.input.installEventFilter(self)
        layout.addWidget(self.input)
        self._tags: list[str] = []
        self._colours: dict[str, str] = {}  # casefolded tag name -> colour name

    def start_typing(self) -> None:
        """T: the keyboard goes to the field that adds a tag."""
        self.input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def is_typing(self, focus: QWidget | None) -> bool:
        """`focus` (the app's focus widget) is the field that adds a tag."""
        return focus is self.input

    def drop_typed(self) -> None:
        """Esc: what was typed in the field is not a tag."""
        self.input.clear()

    def set_known_tags(self, names: list[str]) -> None:
        self._known.setStringList(sorted(names, key=str.casefold))

    def known_tags(self) -> list[str]:
        return self._known.stringList()

    def set_tag_colours(self, colours: dict[str, str]) -> None:
        """Each tag's colour name (the store's `tag_colours`); the chips shown follow at once."""
        folded = {name.casefold(): colour for name, colour in colours.items()}
        if folded == self._colours:
            return
        self._colours = folded
        for chip in self._chips.findChildren(QPushButton, "tagChip"):
            chip.setStyleSheet(tag_colours.chip_style(self.colour_of(chip.property("tag"))))

    def colour_of(self, name: str) -> str | None:
        return self._colours.get(str(name).casefold())

    def set_tags(self, names: list[str]) -> None:
        if names == self._tags:
            return
        self._tags = list(names)
        while self._flow.count():
            item = self._flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()  # at once: the deletion waits for the event loop's own turn
                item.widget().deleteLater()
        for name in self._tags:
            chip = QPushButton(f"{name}  ×", self._chips)
            chip.setObjectName("tagChip")
            chip.setProperty("tag", name)
            chip.setStyleSheet(tag_colours.chip_style(self.colour_of(name)))
            chip.setAccessibleName(f"Remove tag {name}")
            chip.setToolTip(f"Remove the tag “{html.escape(name)}”")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            chip.clicked.connect(lambda _=False, n=name: self.tag_removed.emit(n))
            self._flow.addWidget(chip)
            # Now, not at Qt's queued show: a chip not yet shown has no size, so the first
            # record shown after a start would get a row of chips zero pixels high.
            chip.show()
        self._chips.setVisible(bool(self._tags))
        self._fit_chips()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_chips()

    def _fit_chips(self) -> None:
        """Chips wrap onto as many lines as the width needs (box layouts ignore that alone)."""
        width = max(self.width(), 50)
        self._chips.setFixedHeight(self._flow.heightForWidth(width) if self._tags else 0)

    def tags(self) -> list[str]:
        return list(self._tags)

    def _on_return(self) -> None:
        """Add the typed tags and stay in the field, so that a second tag can follow (Esc or
        Enter on an empty field goes back to the records)."""
        popup = self.input.completer().popup()
        if popup is not None and popup.isVisible():
            popup.hide()
        names = [" ".join(name.split()) for name in self.input.text().split(",")]
        self.input.clear()
        if not any(names):
            self.editing_finished.emit()
            return
        for name in names:
            if name:
                self.tag_added.emit(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.input
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.input.clear()
            self.editing_finished.emit()
            return True
        return super().eventFilter(watched, event)
