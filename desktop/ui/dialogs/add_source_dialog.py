"""Add a feed or a web page as a source, or edit one: it is previewed first (fetched and parsed
in the background with the app's own client) so that the user sees what it gives before it is
saved to their sources file. An edit that keeps the address and selectors needs no preview."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import category_label, plain_tooltip, short_date
from desktop.refresh import fetch_one
from desktop.sources_writer import unique_id
from desktop.ui import theme
from desktop.ui.worker import Task, run_task
from scrapers.http import HttpClient
from scrapers.model import CATEGORIES, ScrapeError, Source

KIND_LABELS = {
    "feed": "RSS or Atom feed",
    "html_list": "Web page with a list (CSS selectors)",
    "govuk_search": "GOV.UK search",
    "eu_funding": "EU Funding & Tenders",
    "presscorner": "Commission press corner",
    "ukri_opportunities": "UKRI opportunities",
}
SELECTOR_KEYS = ("item", "title", "link", "date", "summary")
SELECTOR_HELP = {
    "item": "each entry of the list, e.g. article.ecl-content-item",
    "title": "inside an entry: its title, e.g. .ecl-content-block__title a",
    "link": "inside an entry: the link (its href), e.g. .ecl-content-block__title a",
    "date": "optional: the date, e.g. .ecl-content-block__primary-meta-item",
    "summary": "optional: a short description",
}
PREVIEW_LIMIT = 50
PREVIEW_BUDGET_S = 90.0  # the request's own deadline (60 s) and the fetch process's start


def preview_source(source: Source, per_host_delay: float) -> dict[str, Any]:
    """Runs in the worker: fetch and parse `source` once (in a fetch process, as a refresh does:
    a hostile page never freezes the window); plain data back for the preview."""
    client = HttpClient(per_host_delay=per_host_delay, retries=1, deadline=60.0)
    try:
        fetched = fetch_one(source, client, budget=PREVIEW_BUDGET_S)
    finally:
        client.close()
    if fetched.error is not None:
        raise ScrapeError(fetched.error)
    items = [
        {"title": a.title, "url": a.url, "published_at": a.published_at, "summary": a.summary}
        for a in fetched.announcements
    ]
    return {"count": len(items), "items": items[:PREVIEW_LIMIT]}


class AddSourceDialog(QDialog):
    """Define a feed or an html_list page, preview what it parses, then add it."""

    preview_finished = Signal(bool)  # True when the preview found entries

    def __init__(
        self,
        taken_ids: set[str],
        per_host_delay: float = 1.0,
        parent: QWidget | None = None,
        *,
        editing: Source | None = None,
    ) -> None:
        super().__init__(parent)
        title = "Add a source" if editing is None else f"Edit {editing.name}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(760, 640)
        self._taken = taken_ids
        self._editing = editing  # its id, kind and other options stay as they are
        self._delay = per_host_delay
        self._task: Task | None = None
        self.previewed: Source | None = None
        self._not_added = ""  # why the last preview did not give a source to add
        self._confirming = False  # "Add anyway" is shown: the next press adds

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of source")
        for kind in ("feed", "html_list"):
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        form.addRow("Kind", self.kind)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. EU AI Office news")
        form.addRow("Name", self.name)
        self.url = QLineEdit()
        self.url.setAccessibleName("Address")
        self.url.setPlaceholderText("https://… the feed, or the page that lists the entries")
        form.addRow("Address", self.url)
        self.jurisdiction = QComboBox()
        self.jurisdiction.setEditable(True)
        self.jurisdiction.setAccessibleName("Region")
        self.jurisdiction.lineEdit().setAccessibleName("Region")  # the editable part is read alone
        self.jurisdiction.addItems(["EU", "UK", "DE", "FR", "NL", "IE", "BE"])
        form.addRow("Region", self.jurisdiction)
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        for category in CATEGORIES:
            self.category.addItem(category_label(category), category)
        self.category.setCurrentIndex(CATEGORIES.index("press"))
        form.addRow("Category", self.category)
        layout.addLayout(form)

        self.selectors_box = QGroupBox("CSS selectors")
        selectors_form = QFormLayout(self.selectors_box)
        self.selectors: dict[str, QLineEdit] = {}
        for key in SELECTOR_KEYS:
            edit = QLineEdit()
            edit.setAccessibleName(f"{key} selector")
            edit.setPlaceholderText(SELECTOR_HELP[key])
            selectors_form.addRow(key.capitalize(), edit)
            self.selectors[key] = edit
        layout.addWidget(self.selectors_box)

        row = QHBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleName("Preview what this source gives")
        self.preview_button.setToolTip("Fetch the address once and show what it parses to")
        self.preview_button.clicked.connect(self.start_preview)
        row.addWidget(self.preview_button)
        self.message = QLabel("Preview the source to see what it gives before adding it.")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Preview result")
        row.addWidget(self.message, 1)
        layout.addLayout(row)

        self.preview = QTableWidget(0, 2)
        self.preview.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.preview.setAccessibleName("Preview of the entries")
        self.preview.setHorizontalHeaderLabels(["Published", "Title"])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(False)
        self.preview.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.preview, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._add_text = "Add source" if editing is None else "Save changes"
        self.add_button = self.buttons.addButton(self._add_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("primaryButton")
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.name, self.url, *self.selectors.values()):
            edit.textEdited.connect(self._invalidate)
        self.jurisdiction.currentTextChanged.connect(self._invalidate)
        self.category.currentIndexChanged.connect(self._invalidate)
        self._on_kind_changed()
        if editing is not None:
            self._fill_from(editing)

    def _fill_from(self, source: Source) -> None:
        """The source's values in the fields; its kind cannot change (its options belong to it)."""
        if self.kind.findData(source.kind) < 0:
            self.kind.addItem(KIND_LABELS.get(source.kind, source.kind), source.kind)
        self.kind.setCurrentIndex(self.kind.findData(source.kind))
        self.kind.setEnabled(False)
        self.name.setText(source.name)
        self.url.setText(source.url)
        self.jurisdiction.setCurrentText(source.jurisdiction)
        if (index := self.category.findData(source.category)) >= 0:
            self.category.setCurrentIndex(index)
        selectors = source.options.get("selectors")
        for key, edit in self.selectors.items():
            edit.setText(str(selectors.get(key, "")) if isinstance(selectors, dict) else "")
        self._invalidate()

    def source(self) -> Source:
        kind = self.kind.currentData()
        name = " ".join(self.name.text().split()) or self.url.text().strip()
        options: dict[str, Any] = {} if self._editing is None else dict(self._editing.options)
        if kind == "html_list":
            options["selectors"] = {
                key: edit.text().strip() for key, edit in self.selectors.items() if edit.text().strip()
            }
        if self._editing is not None:
            return replace(
                self._editing,
                name=name,
                url=self.url.text().strip(),
                jurisdiction=self.jurisdiction.currentText().strip().upper(),
                category=self.category.currentData(),
                options=options,
            )
        return Source(
            id=unique_id(name, self._taken),
            name=name,
            kind=kind,
            url=self.url.text().strip(),
            jurisdiction=self.jurisdiction.currentText().strip().upper(),
            category=self.category.currentData(),
            enabled=True,
            options=options,
        )

    def start_preview(self) -> Task | None:
        problem = self._problem()
        if problem:
            self._show_message(problem, error=True)
            return None
        source = self.source()
        self.preview_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self._show_message("Fetching…")
        self._task = run_task(
            preview_source,
            source,
            self._delay,
            on_result=lambda result: self._on_preview(source, result),
            on_error=self._on_preview_failed,
        )
        return self._task

    def _on_preview(self, source: Source, result: dict[str, Any]) -> None:
        self.preview_button.setEnabled(True)
        self.add_button.setEnabled(True)
        items = result["items"]
        self.preview.setRowCount(len(items))
        for number, item in enumerate(items):
            self.preview.setItem(number, 0, QTableWidgetItem(short_date(item.get("published_at"))))
            title = QTableWidgetItem(item["title"])
            title.setToolTip(plain_tooltip(f"{item['title']}\n{item['url']}"))
            self.preview.setItem(number, 1, title)
        count = result["count"]
        if count == 0:
            self._show_message(
                "The address answered but no entries were found. Check the selectors "
                "(or that the address is a feed).",
                error=True,
            )
            self.previewed = None
            self._not_added = "the address answered but no entries were found"
        else:
            shown = f" (first {len(items)} shown)" if count > len(items) else ""
            self._show_message(f"{count} entries found{shown}. Add the source to fetch it on every refresh.")
            self.previewed = source
        self.preview_finished.emit(self.previewed is not None)

    def _on_preview_failed(self, message: str) -> None:
        self.preview_button.setEnabled(True)
        self.add_button.setEnabled(True)
        self.previewed = None
        self._not_added = f"it could not be read ({message})"
        self.preview.setRowCount(0)
        self._show_message(f"Could not read it: {message}", error=True)
        self.preview_finished.emit(False)

    def _problem(self) -> str:
        url = self.url.text().strip()
        if not url.lower().startswith(("http://", "https://")):
            return "The address must start with http:// or https://."
        if self.kind.currentData() == "html_list":
            missing = [k for k in ("item", "title", "link") if not self.selectors[k].text().strip()]
            if missing:
                return f"A web page source needs the {', '.join(missing)} selector(s)."
        return ""

    def add(self) -> None:
        """Add the previewed source. Without a good preview, say why first; a second press
        adds it anyway (a site may be down today and fine tomorrow)."""
        problem = self._problem()
        if problem:
            self._show_message(problem, error=True)
            return
        if self.previewed is None and self._same_place():  # a new name, region or category
            self.previewed = self.source()
        if self.previewed is None and not self._confirming:
            reason = self._not_added or "it has not been previewed yet"
            self._show_message(
                f"Not {'added' if self._editing is None else 'saved'} yet: {reason}. Press "
                f"“{self._anyway}” to {'add' if self._editing is None else 'save'} it all the same; "
                "every refresh will try it and Sources will show how it does.",
                error=True,
            )
            self._confirming = True
            self.add_button.setText(self._anyway)
            return
        if self.previewed is None:
            self.previewed = self.source()
        self.accept()

    @property
    def _anyway(self) -> str:
        return "Add anyway" if self._editing is None else "Save anyway"

    def _same_place(self) -> bool:
        """Editing, and the address and selectors are the source's own: nothing to preview."""
        if self._editing is None:
            return False
        edited = self.source()
        return edited.url == self._editing.url and edited.options == self._editing.options

    def _invalidate(self, *_args: Any) -> None:
        self.previewed = None
        self._not_added = ""
        self._confirming = False
        self.add_button.setText(self._add_text)

    def _on_kind_changed(self, *_args: Any) -> None:
        self.selectors_box.setVisible(self.kind.currentData() == "html_list")
        self._invalidate()

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {theme.colour('danger').name()};" if error else "")
