"""Create, edit or delete a watchlist: a named search with filters, counted in the sidebar.

The dialog saves through the callable it is given (the store's `save_watchlist`), so a value
the store refuses (an empty name, a name already taken) is said in the dialog, which stays open
with everything the user typed; nothing is saved until the store accepts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.safe_text import shown
from db.store import StoreError, Watchlist
from desktop.formatting import STATUS_LABELS, category_label
from desktop.ui.message_box import message_box

logger = logging.getLogger(__name__)

MAX_DAYS = 3660


class WatchlistDialog(QDialog):
    """`saved` is the watchlist as stored after Save; `deleted` is True after Delete."""

    def __init__(
        self,
        watchlist: Watchlist | None,
        *,
        save: Callable[[Watchlist], Watchlist],
        delete: Callable[[int], None],
        sources: Sequence[tuple[str, str]] = (),
        categories: Sequence[str] = (),
        jurisdictions: Sequence[str] = (),
        tags: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._original = watchlist or Watchlist(id=None, name="")
        self._save = save
        self._delete = delete
        self.saved: Watchlist | None = None
        self.deleted = False
        editing = watchlist is not None and watchlist.id is not None
        title = f"Watchlist “{shown(self._original.name, 80)}”" if editing else "New watchlist"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        w = self._original
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(w.name)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("AI Act")
        form.addRow("&Name", self.name)
        self.words = QLineEdit(w.words)
        self.words.setAccessibleName("Words")
        self.words.setPlaceholderText('"AI Act" OR "Artificial Intelligence Act"')
        self.words.setToolTip(
            "As in the search box: every word must appear; OR between alternatives; "
            '"a phrase" in quotes; -word leaves out'
        )
        form.addRow("&Words", self.words)
        self.source = self._combo("Source", "Any source", sources, w.source_id)
        form.addRow("&Source", self.source)
        self.category = self._combo(
            "Category", "Any category", [(c, category_label(c)) for c in categories], w.category
        )
        form.addRow("&Category", self.category)
        self.jurisdiction = self._combo(
            "Region", "Any region", [(j, j) for j in jurisdictions], w.jurisdiction
        )
        form.addRow("&Region", self.jurisdiction)
        self.status = self._combo("Status", "Any status", list(STATUS_LABELS.items()), w.status)
        form.addRow("S&tatus", self.status)
        self.tag = self._combo("Tag", "Any tag", [(t, t) for t in tags], w.tag)
        form.addRow("Ta&g", self.tag)
        self.deadline_days = QSpinBox()
        self.deadline_days.setRange(0, MAX_DAYS)
        self.deadline_days.setSpecialValueText("Any deadline, or none")
        self.deadline_days.setSuffix(" days from today")
        self.deadline_days.setValue(w.deadline_within_days or 0)
        self.deadline_days.setAccessibleName("Deadline within")
        form.addRow("&Deadline within", self.deadline_days)
        self.auto_tag = QLineEdit(w.auto_tag or "")
        self.auto_tag.setAccessibleName("Tag new matches with")
        self.auto_tag.setPlaceholderText("none")
        self.auto_tag.setToolTip("Each refresh gives new matches this tag; a refresh never removes it")
        form.addRow("Tag new &matches", self.auto_tag)
        self.notify = QCheckBox("Alert me when a refresh brings new matches")
        self.notify.setChecked(w.notify)
        self.notify.setAccessibleName("Alert me when a refresh brings new matches")
        form.addRow("", self.notify)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Why the watchlist was not saved")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.delete_button: QPushButton | None = None
        if editing:
            self.delete_button = buttons.addButton("Delete…", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.delete_button.setAccessibleName("Delete this watchlist")
            self.delete_button.clicked.connect(self.delete)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def original_id(self) -> int | None:
        """The id of the watchlist edited (None: a new one)."""
        return self._original.id

    def _combo(
        self, name: str, any_label: str, entries: Sequence[tuple[str, str]], value: str | None
    ) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(any_label, None)
        for key, label in entries:
            combo.addItem(label, key)
        if value is not None:
            index = combo.findData(value)
            if index < 0:  # a value no longer offered (a source removed): kept, not dropped
                combo.addItem(value, value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        return combo

    def watchlist(self) -> Watchlist:
        """What the fields say, on top of the watchlist edited (its id and last look kept)."""
        days = self.deadline_days.value()
        return replace(
            self._original,
            name=self.name.text(),
            words=self.words.text(),
            source_id=self.source.currentData(),
            category=self.category.currentData(),
            jurisdiction=self.jurisdiction.currentData(),
            status=self.status.currentData(),
            tag=self.tag.currentData(),
            deadline_within_days=days or None,
            auto_tag=self.auto_tag.text() or None,
            notify=self.notify.isChecked(),
        )

    def accept(self) -> None:
        try:
            self.saved = self._save(self.watchlist())
        except (ValueError, StoreError) as exc:
            self._show_error(f"Not saved: {shown(exc, 500)}")
            return
        super().accept()

    def delete(self) -> None:
        watchlist_id = self._original.id
        if watchlist_id is None:
            return
        question = (
            f"Delete the watchlist “{shown(self._original.name, 80)}”? The records and the tags it "
            "gave stay as they are."
        )
        box = message_box(
            self,
            "Delete the watchlist?",
            question,
            icon=QMessageBox.Icon.Question,
            buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        try:
            self._delete(watchlist_id)
        except StoreError as exc:
            self._show_error(f"Not deleted: {shown(exc, 500)}")
            return
        self.deleted = True
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        logger.info("watchlist dialog: %s", text)
