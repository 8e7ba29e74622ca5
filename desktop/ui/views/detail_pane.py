"""The right column: one record's metadata, stored text, changes, tags and note (a view only).

Everything shown here came from a website, so it is shown as plain text: labels use
`Qt.PlainText`, and the stored text goes through `record_text` (escaped, links only for http(s)
addresses, no resource loaded).
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import (
    STATUS_LABELS,
    category_label,
    days_left,
    money,
    plain_tooltip,
)
from desktop.shortcuts import tooltip
from desktop.ui.announce import announce
from desktop.ui.links import is_web_link
from desktop.ui.views.record_fields import call_status_text, deadline_text, published_text, versions_text
from desktop.ui.views.record_text import FIELD_CHARS, TITLE_CHARS, SafeTextBrowser, capped, text_to_html
from desktop.ui.views.tag_editor import TagEditor
from desktop.ui.views.wrapping_row import WrappingRow

logger = logging.getLogger(__name__)


class _FocusWatcher(QObject):
    """Reports when a widget loses focus (the note is saved then, without waiting)."""

    def __init__(self, callback: Any, parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            self._callback()
        return False


class DetailPane(QWidget):
    """Shows one record; reports what the user asks for through signals (no store access)."""

    star_toggled = Signal(bool)
    status_chosen = Signal(str)
    open_original_requested = Signal()
    link_clicked = Signal(QUrl)
    note_edited = Signal(int, str)  # (the record the editor is bound to, its text) every keystroke
    note_focus_lost = Signal()
    note_escape = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Record details")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.record_id: int | None = None
        self.note_record_id: int | None = None  # the record whose note the editor holds
        self.note_loaded_text = ""  # that note as the store had it when it was loaded
        self._loading = False
        self._shown_html = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._stack = QStackedWidget(self)
        outer.addWidget(self._stack)

        placeholder = QLabel("Select a record to read it here.\n\nUse J and K to move, Space to star.")
        placeholder.setObjectName("detailPlaceholder")
        placeholder.setTextFormat(Qt.TextFormat.PlainText)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        self._stack.addWidget(placeholder)

        page = QWidget(self)
        # Scrolls rather than squeezes: at 200 % on a laptop the record is taller than the pane.
        scroll = QScrollArea(self)
        scroll.setObjectName("detailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls take the focus, not the frame
        self._stack.addWidget(scroll)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)

        self.title = self._plain_label(selectable=True)
        self.title.setObjectName("detailTitle")
        # no fixed accessible name: a screen reader reads the title itself
        layout.addWidget(self.title)

        self._form = QFormLayout()
        self._form.setHorizontalSpacing(12)
        self._form.setVerticalSpacing(3)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fields: dict[str, QLabel] = {}
        self._field_names: dict[str, QLabel] = {}
        for key, label in (
            ("source", "Source"),
            ("organisation", "Organisation"),
            ("kind", "Category"),
            ("published", "Published"),
            ("deadline", "Deadline"),
            ("budget", "Budget"),
            ("call_status", "Call status"),
            ("programme", "Programme"),
            ("action_type", "Type of action"),
            ("identifier", "Identifier"),
        ):
            name = QLabel(label)
            name.setProperty("role", "fieldName")
            name.setTextFormat(Qt.TextFormat.PlainText)
            value = self._plain_label(selectable=True)
            name.setBuddy(value)  # AT reads the pair: the label once, then the value it labels
            self._form.addRow(name, value)
            self._fields[key] = value
            self._field_names[key] = name
        layout.addLayout(self._form)

        actions = WrappingRow(page, spacing=8)  # on a narrow pane the buttons wrap, never cut
        self.star_button = QPushButton("☆ Star")
        self.star_button.setObjectName("starButton")
        self.star_button.setCheckable(True)
        self.star_button.setAccessibleName("Star")
        self.star_button.setToolTip(tooltip("star"))
        self.star_button.toggled.connect(self._on_star_toggled)
        actions.add(self.star_button)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.status_combo.setToolTip("Your triage status (1 New, 2 Reviewing, 3 Done, 4 Archived)")
        for key, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        self.status_combo.activated.connect(
            lambda index: self.status_chosen.emit(self.status_combo.itemData(index))
        )
        actions.add(self.status_combo)
        self.open_button = QPushButton("Open original")
        self.open_button.setObjectName("primaryButton")
        self.open_button.setAccessibleName("Open the original page in the browser")
        self.open_button.setToolTip(tooltip("open"))
        self.open_button.clicked.connect(self.open_original_requested)
        actions.add(self.open_button)
        layout.addWidget(actions)

        self.versions = self._plain_label(selectable=True)
        self.versions.setObjectName("versionsText")
        self.versions.setAccessibleName("Changes seen by refresh")
        layout.addWidget(self.versions)

        self.splitter = QSplitter(Qt.Orientation.Vertical, page)
        self.splitter.setChildrenCollapsible(False)
        self.text = SafeTextBrowser(self.splitter)
        self.text.setObjectName("recordText")
        self.text.setAccessibleName("Stored text of the announcement")
        self.text.safe_link_clicked.connect(self.link_clicked)

        mine = QWidget(self.splitter)
        mine_layout = QVBoxLayout(mine)
        mine_layout.setContentsMargins(0, 8, 0, 0)
        mine_layout.setSpacing(4)
        tags_title = QLabel("Tags")
        tags_title.setProperty("role", "sectionTitle")
        tags_title.setTextFormat(Qt.TextFormat.PlainText)
        mine_layout.addWidget(tags_title)
        self.tags = TagEditor(mine)
        mine_layout.addWidget(self.tags)
        note_header = QHBoxLayout()
        note_title = QLabel("Note")
        note_title.setProperty("role", "sectionTitle")
        note_title.setTextFormat(Qt.TextFormat.PlainText)
        note_header.addWidget(note_title)
        note_header.addStretch(1)
        self.note_state = QLabel("")
        self.note_state.setObjectName("noteState")
        self.note_state.setTextFormat(Qt.TextFormat.PlainText)
        self.note_state.setAccessibleName("Note save state")
        note_header.addWidget(self.note_state)
        mine_layout.addLayout(note_header)
        self.note_problem = QLabel("")  # why the note is not saved yet (wrapped, under the title)
        self.note_problem.setObjectName("noteProblem")
        self.note_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.note_problem.setWordWrap(True)
        self.note_problem.setAccessibleName("Why the note is not saved yet")
        self.note_problem.setVisible(False)
        mine_layout.addWidget(self.note_problem)
        self.note = QPlainTextEdit(mine)
        self.note.setObjectName("noteEditor")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Your note: saved as you type. What matters, for whom, by when…")
        self.note.setToolTip(tooltip("note") + ". Saved as you type.")
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(70)
        self.note.textChanged.connect(self._on_note_changed)
        self.note.installEventFilter(_FocusWatcher(self.note_focus_lost.emit, self.note))
        self.note.installEventFilter(self)
        mine_layout.addWidget(self.note, 1)
        self.splitter.addWidget(self.text)
        self.splitter.addWidget(mine)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([250, 330])
        layout.addWidget(self.splitter, 1)
        self.show_record(None)

    # -- showing -----------------------------------------------------------------------------

    def show_record(
        self,
        record: dict[str, Any] | None,
        versions: list[dict[str, Any]] | None = None,
        *,
        same_record: bool = False,
        now: datetime | None = None,
    ) -> None:
        """Fill the pane; `same_record` (re-read after a change) leaves the note editor and the
        reading position alone."""
        if record is None:
            self.record_id = self.note_record_id = None
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self.record_id = int(record["id"])
        if not same_record or self.note_record_id != self.record_id:
            self._load_note(self.record_id, record.get("note") or "")
        try:
            self._show_fields(record, versions or [], same_record=same_record, now=now)
        except Exception:  # a value that cannot be shown must not leave a half-shown record
            logger.exception("record %s could not be shown in full", self.record_id)

    def _load_note(self, record_id: int, text: str) -> None:
        """Bind the editor to `record_id` with its note, first: what the user types from here
        on belongs to this record and no other, whatever happens while showing the rest."""
        self._loading = True
        try:
            self.note.setPlainText(text)
        finally:
            self._loading = False
        self.note_record_id = record_id
        self.note_loaded_text = text
        self.set_note_state("")

    def _show_fields(
        self,
        record: dict[str, Any],
        versions: list[dict[str, Any]],
        *,
        same_record: bool,
        now: datetime | None,
    ) -> None:
        self.title.setText(capped(record.get("title") or "(untitled)", TITLE_CHARS))
        sources = record.get("source_names") or record.get("sources") or []
        source = sources[0] if sources else record.get("source_id") or ""
        if len(sources) > 1:
            source = f"{source} (also in {len(sources) - 1} other source{'s' if len(sources) > 2 else ''})"
        kind = " · ".join(
            part
            for part in (category_label(record.get("category")), record.get("jurisdiction") or "")
            if part
        )
        home = record.get("jurisdiction")
        deadline = deadline_text(record.get("deadline_at"), home, now)
        days = days_left(record.get("deadline_at"), home, now=now)
        values = {
            "source": capped(str(source), FIELD_CHARS),
            "organisation": capped(record.get("organisation") or "", FIELD_CHARS),
            "kind": kind,
            "published": published_text(record.get("published_at"), record.get("updated_at"), home),
            "deadline": deadline,
            "budget": money(record.get("budget_amount"), record.get("budget_currency")),
            "call_status": capped(
                call_status_text(record.get("call_status"), record.get("opens_at"), home), FIELD_CHARS
            ),
            "programme": capped(record.get("programme") or "", FIELD_CHARS),
            "action_type": capped(record.get("action_type") or "", FIELD_CHARS),
            "identifier": capped(record.get("identifier") or "", FIELD_CHARS),
        }
        for key, value in values.items():
            label = self._fields[key]
            label.setText(value)  # read as itself, labelled by its field name (the buddy)
            # Not QFormLayout.setRowVisible: PySide6 6.12's binding of it drops a reference to
            # None on every call (the interpreter then aborts). Hiding both widgets hides the row.
            label.setVisible(bool(value))
            self._field_names[key].setVisible(bool(value))
        self._fields["identifier"].setToolTip(html.escape(values["identifier"]))
        deadline_label = self._fields["deadline"]
        role = (
            "deadlinePast"
            if days is not None and days < 0
            else "deadlineSoon"
            if days is not None and days <= 14
            else ""
        )
        if deadline_label.property("role") != role:
            deadline_label.setProperty("role", role)
            deadline_label.style().unpolish(deadline_label)
            deadline_label.style().polish(deadline_label)
        self.set_star(bool(record.get("starred")))
        self.set_status(record.get("status") or "new")
        self.open_button.setEnabled(is_web_link(record.get("url")))
        where = f"{tooltip('open')}\n{capped(record.get('url') or '', FIELD_CHARS)}"
        self.open_button.setToolTip(plain_tooltip(where))
        self.open_button.setAccessibleDescription(where)  # not the tooltip's HTML
        self.versions.setText(versions_text(versions, record.get("budget_currency")))
        self.versions.setVisible(bool(versions))
        text = text_to_html(record.get("summary"), record.get("body"))  # cut at TEXT_CHARS
        if text != self._shown_html:
            scroll = self.text.verticalScrollBar().value() if same_record else 0
            self.text.setHtml(text)
            self.text.verticalScrollBar().setValue(scroll)
            self._shown_html = text
        self.tags.set_tags(list(record.get("tags") or []))

    def set_star(self, starred: bool) -> None:
        self.star_button.blockSignals(True)
        self.star_button.setChecked(starred)
        self.star_button.setText("★ Starred" if starred else "☆ Star")
        self.star_button.blockSignals(False)

    def set_status(self, status: str) -> None:
        index = self.status_combo.findData(status)
        if index >= 0:
            self.status_combo.setCurrentIndex(index)

    def set_note_state(self, text: str, *, unsaved: bool = False, why: str = "") -> None:
        """The line above the note: "Saved", or, loudly, that the note is not saved yet and why."""
        self.note_state.setText(text)
        self.note_problem.setText(why)
        self.note_problem.setVisible(bool(why))
        role = "unsaved" if unsaved else ""
        if self.note_state.property("role") != role:
            self.note_state.setProperty("role", role)
            self.note_state.style().unpolish(self.note_state)
            self.note_state.style().polish(self.note_state)
        self.note_state.setToolTip(plain_tooltip(why) if why else "")
        announce(self.note_state, "Note save state", " ".join(part for part in (text, why) if part))

    # -- events ------------------------------------------------------------------------------

    def _on_star_toggled(self, checked: bool) -> None:
        self.set_star(checked)
        self.star_toggled.emit(checked)

    def _on_note_changed(self) -> None:
        if not self._loading and self.note_record_id is not None:
            self.note_edited.emit(self.note_record_id, self.note.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.note
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.note_escape.emit()
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _plain_label(*, selectable: bool = False) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)  # scraped text is never markup
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
