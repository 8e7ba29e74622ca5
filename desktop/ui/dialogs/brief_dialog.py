"""File → Brief…: the words, the records and the layout of a brief, beside a live preview.

Only widgets: what the user chose is read through `choices()`, and the controller
(desktop/ui/controllers/brief.py) loads the records, builds the preview and saves the file.
Everything shown that came from a site or the user is either plain text (labels, list items)
or the brief's own escaped HTML (the preview), which loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.announce import announce
from desktop.ui.views.record_text import SafeTextBrowser

# What a brief can be made of: the records selected in the table, a tag, the table's view.
SELECTED, TAG, VIEW = "selected", "tag", "view"
GROUP_LABELS = (
    ("jurisdiction", "Jurisdiction, then category"),
    ("tag", "Tag"),
    ("deadline", "Deadline"),
)
FORMAT_LABELS = (
    ("docx", "Word document (.docx)"),
    ("pdf", "PDF (.pdf)"),
    ("html", "Web page (.html)"),
    ("md", "Markdown (.md)"),
)


@dataclass(frozen=True)
class BriefChoices:
    """What the dialog's fields say; the controller turns it into a selection and options."""

    records: str  # SELECTED, TAG or VIEW
    tag: str
    since: date | None
    until: date | None
    heading: str
    intro: str
    group_by: str
    section_order: tuple[str, ...]
    notes: bool
    summaries: bool
    links: bool
    fmt: str


class BriefDialog(QDialog):
    """`changed` whenever a choice that changes the document changes; `records_changed` when
    the records to take change (they are read again); `save_requested` on Save…."""

    changed = Signal()
    records_changed = Signal()
    save_requested = Signal()
    link_clicked = Signal(QUrl)

    def __init__(
        self,
        *,
        selected_count: int,
        view_label: str,
        tags: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Brief")
        self.setAccessibleName("Brief")
        self.setObjectName("briefDialog")

        self.records = QComboBox()
        self.records.setAccessibleName("Records in the brief")
        if selected_count:
            noun = "record" if selected_count == 1 else "records"
            self.records.addItem(f"The {selected_count:,} selected {noun}", SELECTED)
        self.records.addItem(f"The current view: {view_label}", VIEW)
        if tags:
            self.records.addItem("The records with a tag", TAG)
        self.tag = QComboBox()
        self.tag.setAccessibleName("Tag")
        for name in tags:
            self.tag.addItem(name, name)
        self.heading = QLineEdit("Policy brief")
        self.heading.setAccessibleName("Heading")
        self.heading.setMaxLength(300)
        self.limit_dates = QCheckBox("Only records published from")
        self.limit_dates.setAccessibleName("Only records published in a date range")
        today = QDate.currentDate()
        self.since = self._date_edit("Published from", today.addDays(-7))
        self.until = self._date_edit("Published until", today)
        self.intro = QPlainTextEdit()
        self.intro.setAccessibleName("Introduction")
        self.intro.setPlaceholderText("A few lines for the reader: why these records, what to look at first.")
        self.intro.setTabChangesFocus(True)  # Tab leaves the field, as in every other field
        self.intro.setMinimumHeight(72)
        self.group_by = QComboBox()
        self.group_by.setAccessibleName("Group the records by")
        for key, label in GROUP_LABELS:
            self.group_by.addItem(label, key)
        self.sections = QListWidget()
        self.sections.setAccessibleName("Sections, in the order of the brief")
        self.sections.setToolTip("Drag a section, or move it with the buttons (Alt+Up, Alt+Down)")
        self.sections.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.sections.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.sections.setMinimumHeight(90)
        self.up_button = QPushButton("Move up")
        self.up_button.setAccessibleName("Move the section up")
        self.down_button = QPushButton("Move down")
        self.down_button.setAccessibleName("Move the section down")
        self.notes = QCheckBox("Notes")
        self.summaries = QCheckBox("Summaries")
        self.links = QCheckBox("Links on the titles")
        for check in (self.notes, self.summaries, self.links):
            check.setChecked(True)
        self.fmt = QComboBox()
        self.fmt.setAccessibleName("File format")
        for key, label in FORMAT_LABELS:
            self.fmt.addItem(label, key)
        self.save_button = QPushButton("Save…")
        self.save_button.setAccessibleName("Save the brief as a file")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Saving the brief")
        self.progress.setRange(0, 0)  # busy: a save has no steps to count
        self.progress.setFixedWidth(120)
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names files, quotes errors
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Brief")
        self.preview = SafeTextBrowser()  # follows no link itself, loads no resource
        self.preview.setAccessibleName("Preview of the brief")
        self.preview_note = QLabel()
        self.preview_note.setTextFormat(Qt.TextFormat.PlainText)

        self._lay_out()
        self._connect()
        self._update_enabled()
        self._fit_to_screen()

    # -- what the user chose ---------------------------------------------------------------------

    def choices(self) -> BriefChoices:
        limited = self.limit_dates.isChecked() and self.limit_dates.isEnabled()
        return BriefChoices(
            records=str(self.records.currentData()),
            tag=str(self.tag.currentData() or ""),
            since=self.since.date().toPython() if limited else None,  # type: ignore[arg-type]
            until=self.until.date().toPython() if limited else None,  # type: ignore[arg-type]
            heading=self.heading.text().strip() or "Policy brief",
            intro=self.intro.toPlainText(),
            group_by=str(self.group_by.currentData()),
            section_order=self.section_titles(),
            notes=self.notes.isChecked(),
            summaries=self.summaries.isChecked(),
            links=self.links.isChecked(),
            fmt=str(self.fmt.currentData()),
        )

    def choose_records(self, kind: str, tag: str = "") -> None:
        """Start from `kind` (and that tag) when the window has them, e.g. the tag in view."""
        index = self.records.findData(kind)
        if index >= 0:
            self.records.setCurrentIndex(index)
        if tag and self.tag.findData(tag) >= 0:
            self.tag.setCurrentIndex(self.tag.findData(tag))

    def section_titles(self) -> tuple[str, ...]:
        return tuple(self.sections.item(i).text() for i in range(self.sections.count()))

    # -- what the controller shows -----------------------------------------------------------------

    def show_sections(self, titles: list[str]) -> None:
        """The brief's sections in its order; the current one stays current."""
        if list(self.section_titles()) == titles:
            return
        current = self.sections.currentItem()
        keep = current.text() if current is not None else None
        self.sections.blockSignals(True)
        self.sections.clear()
        self.sections.addItems(titles)
        if keep in titles:
            self.sections.setCurrentRow(titles.index(keep))
        self.sections.blockSignals(False)
        self._update_enabled()

    def show_preview(self, html: str, note: str) -> None:
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        self.preview.setHtml(html)
        bar.setValue(position)  # typing the introduction must not jump the preview to the top
        self.preview_note.setText(note)

    def show_saving(self, text: str) -> None:
        self.save_button.setEnabled(False)
        self.progress.setVisible(True)
        self._say(text)

    def show_result(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.progress.setVisible(False)
        self._say(text)

    # -- layout --------------------------------------------------------------------------------

    def _date_edit(self, name: str, start: QDate) -> QDateEdit:
        edit = QDateEdit(start)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        return edit

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Records:", self.records)
        form.addRow("&Tag:", self.tag)
        form.addRow("&Heading:", self.heading)
        dates = QHBoxLayout()
        dates.addWidget(self.limit_dates)
        dates.addWidget(self.since)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.until)
        dates.addStretch(1)
        form.addRow(dates)
        form.addRow("&Introduction:", self.intro)

        layout_box = QGroupBox("Layout")
        layout_form = QFormLayout(layout_box)
        layout_form.addRow("&Group by:", self.group_by)
        order = QHBoxLayout()
        order.addWidget(self.sections, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        order.addLayout(buttons)
        sections_label = QLabel("&Sections:")
        sections_label.setBuddy(self.sections)
        layout_form.addRow(sections_label, order)
        include = QHBoxLayout()
        for check in (self.notes, self.summaries, self.links):
            include.addWidget(check)
        include.addStretch(1)
        layout_form.addRow("Include:", include)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(layout_box, 1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(left.sizeHint().width() + 16)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        preview_label = QLabel("Preview")
        preview_label.setProperty("role", "fieldName")
        right_layout.addWidget(preview_label)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.preview_note)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)

        bottom = QHBoxLayout()
        format_label = QLabel("&Format:")
        format_label.setBuddy(self.fmt)
        bottom.addWidget(format_label)
        bottom.addWidget(self.fmt)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)

        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addLayout(bottom)

    def _connect(self) -> None:
        self.records.currentIndexChanged.connect(self._on_records_changed)
        self.tag.currentIndexChanged.connect(self._on_records_changed)
        self.limit_dates.toggled.connect(self._on_records_changed)
        self.since.dateChanged.connect(self._on_dates_changed)
        self.until.dateChanged.connect(self._on_dates_changed)
        self.heading.textChanged.connect(self.changed)
        self.intro.textChanged.connect(self.changed)
        self.group_by.currentIndexChanged.connect(self._on_group_changed)
        for check in (self.notes, self.summaries, self.links):
            check.toggled.connect(self.changed)
        self.sections.model().rowsMoved.connect(self._on_sections_moved)
        self.sections.currentRowChanged.connect(lambda _row: self._update_enabled())
        self.up_button.clicked.connect(lambda: self.move_section(-1))
        self.down_button.clicked.connect(lambda: self.move_section(1))
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.sections)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda step=step: self.move_section(step))
        self.save_button.clicked.connect(self.save_requested)
        self.close_button.clicked.connect(self.reject)
        self.preview.anchorClicked.connect(self.link_clicked)

    def move_section(self, step: int) -> None:
        """Move the current section one place up (-1) or down (1); it stays current."""
        row = self.sections.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.sections.count():
            return
        item = self.sections.takeItem(row)
        self.sections.insertItem(target, item)
        self.sections.setCurrentRow(target)
        self._on_sections_moved()

    def _on_sections_moved(self) -> None:
        self._update_enabled()
        self.changed.emit()

    def _on_group_changed(self) -> None:
        self.sections.clear()  # the new grouping has sections of its own, in its own order
        self.changed.emit()

    def _on_dates_changed(self) -> None:
        if self.limit_dates.isChecked():
            self.records_changed.emit()

    def _on_records_changed(self) -> None:
        self._update_enabled()
        self.records_changed.emit()

    def _update_enabled(self) -> None:
        kind = self.records.currentData()
        self.tag.setEnabled(kind == TAG)
        # The selected records are taken as picked; a date range narrows a tag or a view.
        self.limit_dates.setEnabled(kind != SELECTED)
        dated = self.limit_dates.isEnabled() and self.limit_dates.isChecked()
        self.since.setEnabled(dated)
        self.until.setEnabled(dated)
        row = self.sections.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.sections.count() - 1)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        announce(self.message, "Brief", text)

    def _fit_to_screen(self) -> None:
        """1100×720, or nine tenths of a smaller screen (a 1366×768 laptop)."""
        screen = QGuiApplication.primaryScreen()
        size = QSize(1100, 720)
        if screen is not None:
            free = screen.availableGeometry().size() * 0.9
            size = size.boundedTo(free)
        self.resize(size)
