"""The right column: one record's metadata, stored text, changes, tags and note (a view only).

Everything shown here came from a website, so it is shown as plain text: labels use
`Qt.PlainText`, and the stored text is escaped before it becomes the browser's HTML, with only
the http(s) addresses it contains turned into links. The browser loads no resource at all.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import (
    STATUS_LABELS,
    category_label,
    change_text,
    date_time,
    days_left,
    days_left_phrase,
    money,
    plain_tooltip,
    short_date,
)
from desktop.shortcuts import tooltip
from desktop.ui.announce import announce
from desktop.ui.links import is_web_link
from desktop.ui.views.flow_layout import FlowLayout

logger = logging.getLogger(__name__)

_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”"
TITLE_CHARS = 600  # a title is a line or two; more is a page that put its text in the title
FIELD_CHARS = 300  # organisation, identifier, source name
SUMMARY_CHARS = 5_000
TEXT_CHARS = 100_000  # about 40 printed pages: laid out in well under a second


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that follows no link itself and loads nothing: no image, no stylesheet,
    no file. `anchorClicked` is still emitted; the owner decides what to open."""

    safe_link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.setUndoRedoEnabled(False)
        self.resource_requests: list[str] = []  # what a document asked for (and did not get)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, type: int, url: QUrl | str) -> Any:
        self.resource_requests.append(url.toString() if isinstance(url, QUrl) else str(url))
        logger.info("blocked a resource request from stored text: %s", self.resource_requests[-1][:200])
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if is_web_link(url):
            self.safe_link_clicked.emit(url)
        else:
            logger.info("ignored a link that is not http or https: %s", url.toString()[:200])


def capped(text: str, limit: int) -> str:
    """`text` cut at `limit` characters, saying so: a 1 MB title or text laid out in full froze
    the window for seconds when its record was selected (docs/TRUST.md, "Degraded cases")."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: the first {limit:,} of {len(text):,} characters are shown]"


def text_to_html(summary: str | None, body: str | None) -> str:
    """Stored plain text as escaped HTML paragraphs; http(s) addresses become links. At most
    TEXT_CHARS of the text are shown, with a line saying it is cut (the store keeps it all)."""
    parts: list[str] = []
    summary = (summary or "").strip()[:SUMMARY_CHARS]
    full = (body or "").strip()
    body = full[:TEXT_CHARS]
    if summary and summary not in body:
        parts.append(f"<p><i>{_linkify(summary)}</i></p>")
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.strip():
            lines = "<br>".join(_linkify(line) for line in paragraph.strip().splitlines())
            parts.append(f"<p>{lines}</p>")
    if len(full) > TEXT_CHARS:
        parts.append(
            f"<p style='color:#7b8794'>[The text is cut here: the first {TEXT_CHARS:,} of "
            f"{len(full):,} characters are shown. Open the original for the rest.]</p>"
        )
    if not parts:
        parts.append("<p style='color:#7b8794'>No text was stored for this record.</p>")
    return "\n".join(parts)


def _linkify(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _published(published: str | None, updated: str | None) -> str:
    text = short_date(published)
    later = short_date(updated)
    if later and later != text:
        text = f"{text} · updated {later}" if text else f"updated {later}"
    return text


def _call_status(status: str | None, opens: str | None) -> str:
    text = (status or "").strip()
    text = text[:1].upper() + text[1:]
    if opens:
        text = f"{text} · opens {date_time(opens)}" if text else f"opens {date_time(opens)}"
    return text


class _FocusWatcher(QObject):
    """Reports when a widget loses focus (the note is saved then, without waiting)."""

    def __init__(self, callback: Any, parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            self._callback()
        return False


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

    def set_known_tags(self, names: list[str]) -> None:
        self._known.setStringList(sorted(names, key=str.casefold))

    def known_tags(self) -> list[str]:
        return self._known.stringList()

    def set_tags(self, names: list[str]) -> None:
        if names == self._tags:
            return
        self._tags = list(names)
        while self._flow.count():
            item = self._flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for name in self._tags:
            chip = QPushButton(f"{name}  ×", self._chips)
            chip.setObjectName("tagChip")
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
        self._stack.addWidget(page)
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
            ("identifier", "Identifier"),
        ):
            name = QLabel(label)
            name.setProperty("role", "fieldName")
            name.setTextFormat(Qt.TextFormat.PlainText)
            value = self._plain_label(selectable=True)
            value.setAccessibleName(label)
            self._form.addRow(name, value)
            self._fields[key] = value
            self._field_names[key] = name
        layout.addLayout(self._form)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.star_button = QPushButton("☆ Star")
        self.star_button.setObjectName("starButton")
        self.star_button.setCheckable(True)
        self.star_button.setAccessibleName("Star")
        self.star_button.setToolTip(tooltip("star"))
        self.star_button.toggled.connect(self._on_star_toggled)
        actions.addWidget(self.star_button)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.status_combo.setToolTip("Your triage status (1 New, 2 Reviewing, 3 Done, 4 Archived)")
        for key, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        self.status_combo.activated.connect(
            lambda index: self.status_chosen.emit(self.status_combo.itemData(index))
        )
        actions.addWidget(self.status_combo)
        actions.addStretch(1)
        self.open_button = QPushButton("Open original")
        self.open_button.setObjectName("primaryButton")
        self.open_button.setAccessibleName("Open the original page in the browser")
        self.open_button.setToolTip(tooltip("open"))
        self.open_button.clicked.connect(self.open_original_requested)
        actions.addWidget(self.open_button)
        layout.addLayout(actions)

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
        deadline = date_time(record.get("deadline_at"))
        days = days_left(record.get("deadline_at"), now=now)
        if deadline and days is not None:
            deadline = f"{deadline} ({days_left_phrase(days)})"
        values = {
            "source": capped(str(source), FIELD_CHARS),
            "organisation": capped(record.get("organisation") or "", FIELD_CHARS),
            "kind": kind,
            "published": _published(record.get("published_at"), record.get("updated_at")),
            "deadline": deadline,
            "budget": money(record.get("budget_amount"), record.get("budget_currency")),
            "call_status": capped(
                _call_status(record.get("call_status"), record.get("opens_at")), FIELD_CHARS
            ),
            "identifier": capped(record.get("identifier") or "", FIELD_CHARS),
        }
        for key, value in values.items():
            label = self._fields[key]
            label.setText(value)
            label.setAccessibleName(f"{self._field_names[key].text()}: {value}")  # a pair, read alone
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
        self.open_button.setToolTip(
            plain_tooltip(f"{tooltip('open')}\n{capped(record.get('url') or '', FIELD_CHARS)}")
        )
        self.versions.setText(self._versions_text(versions, record.get("budget_currency")))
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

    @staticmethod
    def _versions_text(versions: list[dict[str, Any]], currency: str | None) -> str:
        """One line per refresh that saw a change: "Changed 5 Mar 2026: deadline 17 Sep → 15 Oct"."""
        lines = []
        for version in versions[:5]:
            changes = "; ".join(
                change_text(field, old, new, currency=currency)
                for field, old, new in version.get("changes", [])
            )
            if changes:
                lines.append(f"Changed {short_date(version.get('changed_at'))}: {changes}")
        if len(versions) > 5:
            lines.append(f"… and {len(versions) - 5} earlier changes")
        return "\n".join(lines)

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
