"""Sources: each source's health and record count and its last error in full; switch sources on
and off, add a feed or page or edit one (through `add_source_dialog.AddSourceDialog`, which
previews it before it is saved), remove one, refresh one (docs/SOURCES.md, "Changing the
sources"). What the dialog changed is applied to the file as it is when saved
(`sources_writer.apply_changes`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.safe_text import shown
from desktop import health
from desktop.formatting import plain_tooltip
from desktop.sources_writer import apply_changes
from desktop.ui.dialogs.add_source_dialog import KIND_LABELS, AddSourceDialog
from desktop.ui.message_box import Icon, message_box
from desktop.ui.views.sidebar import health_icon
from scrapers.model import Source

COL_ON, COL_NAME, COL_KIND, COL_HEALTH, COL_RECORDS, COL_URL = range(6)


class SourcesDialog(QDialog):
    """The configured sources with their health; `result_sources(on_disk)` after Save.

    `refresh_requested(source_id)` asks for one saved source to be refreshed now (the window's
    refresh runs it; `set_rows` shows the outcome)."""

    refresh_requested = Signal(str)

    def __init__(
        self,
        sources: list[Source],
        source_rows: list[dict[str, Any]],
        *,
        sources_path_text: str,
        per_host_delay: float = 1.0,
        add_dialog: Callable[[set[str], Source | None], AddSourceDialog] | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.setAccessibleName("Sources")
        self.resize(980, 560)
        self._saved = list(sources)  # as the file had them: what a refresh of one would read
        self._sources = list(sources)
        self._rows = {str(row["id"]): row for row in source_rows}
        self._delay = per_host_delay
        self._now = now
        self._add_dialog = add_dialog or (
            lambda taken, editing: AddSourceDialog(taken, self._delay, self, editing=editing)
        )
        self._refreshing: set[str] = set()
        self.changed = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Where announcements come from. Switch a source off to stop fetching it (its records "
            "stay), edit or remove one, or add any RSS/Atom feed or web page that lists announcements."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 6)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setAccessibleName("Configured sources")
        self.table.setHorizontalHeaderLabels(["On", "Name", "Kind", "Health", "Records", "Address"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ON, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_HEALTH, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_RECORDS, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._source_buttons())
        # The selected source in full: the table's cells have room for the start of an error only.
        self.details = QPlainTextEdit()
        self.details.setObjectName("sourceDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Details of the selected source")
        self.details.setMaximumHeight(self.fontMetrics().lineSpacing() * 7 + 12)
        layout.addWidget(self.details)
        # What a "site changed?" mark means, in full: the table's cell has room for its start only.
        self.site_changed = QLabel()
        self.site_changed.setObjectName("siteChanged")
        self.site_changed.setAccessibleName("Sources whose site may have changed")
        self.site_changed.setTextFormat(Qt.TextFormat.PlainText)
        self.site_changed.setWordWrap(True)
        self.site_changed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.site_changed)
        path_label = QLabel(f"Saved to {sources_path_text}")
        path_label.setTextFormat(Qt.TextFormat.PlainText)
        path_label.setProperty("role", "fieldName")
        path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(path_label)

        row = QHBoxLayout()
        row.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._fill()
        self.table.setColumnWidth(COL_NAME, 330)
        self.table.setColumnWidth(COL_HEALTH, 230)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._show_selected)
        if self._sources:
            self.table.selectRow(0)
        self._show_selected()

    def _source_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = QPushButton("Add feed or page…")
        self.add_button.setAccessibleName("Add a feed or web page")
        self.add_button.setToolTip("Add an RSS/Atom feed, or a web page listing announcements")
        self.add_button.clicked.connect(self.add_source)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected source")
        self.edit_button.clicked.connect(self.edit_source)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setAccessibleName("Remove the selected source")
        self.remove_button.clicked.connect(self.remove_source)
        self.switch_button = QPushButton("Switch off")
        self.switch_button.clicked.connect(self.toggle_source)
        self.refresh_button = QPushButton("Refresh this source")
        self.refresh_button.clicked.connect(self.refresh_source)
        for button in (self.add_button, self.edit_button, self.remove_button, self.switch_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        return row

    def result_sources(self, on_disk: list[Source] | None = None) -> list[Source]:
        """The sources to save: the dialog's changes applied to `on_disk` (the file as it is
        now, hand edits included), or to the sources it was opened with."""
        after = [replace(s, enabled=self._checked(s.id, s.enabled)) for s in self._sources]
        return apply_changes(self._saved, after, self._saved if on_disk is None else on_disk)

    def selected(self) -> Source | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source_id = self.table.item(rows[0].row(), COL_ON).data(Qt.ItemDataRole.UserRole)
        return next((s for s in self._sources if s.id == source_id), None)

    def add_source(self) -> Source | None:
        dialog = self._add_dialog({s.id for s in self._sources}, None)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.previewed is None:
            return None
        source = dialog.previewed
        self._sources.append(source)
        self._rows[source.id] = {"id": source.id, "enabled": True, "record_count": 0}
        self._changed(source.id)
        return source

    def edit_source(self) -> Source | None:
        current = self.selected()
        if current is None:
            return None
        current = replace(current, enabled=self._checked(current.id, current.enabled))
        dialog = self._add_dialog({s.id for s in self._sources}, current)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.previewed is None:
            return None
        edited = dialog.previewed
        self._sources = [edited if s.id == edited.id else s for s in self._sources]
        self._changed(edited.id)
        return edited

    def remove_source(self, *, ask: bool = True) -> Source | None:
        """Take the selected source out (when Saved); its records stay, and the question says so."""
        current = self.selected()
        if current is None:
            return None
        count = self._rows.get(current.id, {}).get("record_count") or 0
        kept = (
            f"The {count:,} record{'s' if count != 1 else ''} it already fetched stay, with their "
            "notes, tags and status."
            if count
            else "It has fetched no records yet."
        )
        if ask and not self._ask(
            f"Remove {current.name}?",
            f"{current.name} will no longer be fetched. {kept} You can add it again at any time.",
        ):
            return None
        self._sources = [s for s in self._sources if s.id != current.id]
        self._changed(None)
        return current

    def toggle_source(self) -> None:
        current = self.selected()
        if current is None:
            return
        for number in range(self.table.rowCount()):
            item = self.table.item(number, COL_ON)
            if item.data(Qt.ItemDataRole.UserRole) == current.id:
                on = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)

    def refresh_source(self) -> bool:
        """Ask for the selected source to be refreshed as saved (a refresh reads the file)."""
        current = self.selected()
        if current is None or not self._refreshable(current):
            return False
        self._refreshing.add(current.id)
        self.refresh_requested.emit(current.id)
        self._fill()
        return True

    def set_rows(self, source_rows: list[dict[str, Any]]) -> None:
        """Fresh health from the store (after a refresh), keeping what the dialog changed."""
        self._rows = {str(row["id"]): row for row in source_rows}
        self._refreshing.clear()
        self._fill()

    def _refreshable(self, source: Source) -> bool:
        saved = next((s for s in self._saved if s.id == source.id), None)
        return (
            saved is not None
            and saved.enabled
            and self._checked(source.id, source.enabled)
            and saved == replace(source, enabled=saved.enabled)
            and source.id not in self._refreshing
        )

    def _checked(self, source_id: str, default: bool) -> bool:
        for number in range(self.table.rowCount()):
            item = self.table.item(number, COL_ON)
            if item.data(Qt.ItemDataRole.UserRole) == source_id:
                return item.checkState() == Qt.CheckState.Checked
        return default

    def _changed(self, select: str | None) -> None:
        enabled = {s.id: self._checked(s.id, s.enabled) for s in self._sources}
        self._sources = [replace(s, enabled=enabled[s.id]) for s in self._sources]
        self.changed = True
        self._fill()
        for number in range(self.table.rowCount()):
            if self.table.item(number, COL_ON).data(Qt.ItemDataRole.UserRole) == select:
                self.table.selectRow(number)
        self._show_selected()

    def _ask(self, title: str, text: str) -> bool:
        box = message_box(self, title, text, icon=Icon.Question, buttons=QMessageBox.StandardButton.Cancel)
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is remove

    def _show_selected(self) -> None:
        current = self.selected()
        for button in (self.edit_button, self.remove_button, self.switch_button):
            button.setEnabled(current is not None)
        if current is None:
            self.details.setPlainText("")
            self.refresh_button.setEnabled(False)
            return
        row = dict(self._rows.get(current.id, {"id": current.id}))
        if row.get("last_error"):  # stored escaped by a refresh; anything else is escaped here
            row["last_error"] = shown(row["last_error"], 4000)
        on = self._checked(current.id, current.enabled)
        state = health.source_health({**row, "enabled": on}, self._now)
        self.switch_button.setText("Switch off" if on else "Switch on")
        self.refresh_button.setText("Retry now" if state.state == health.FAILING else "Refresh this source")
        self.refresh_button.setEnabled(self._refreshable(current))
        self.refresh_button.setToolTip(self._refresh_tip(current, on))
        self.details.setPlainText(source_details(current, row, state))

    def _refresh_tip(self, source: Source, on: bool) -> str:
        if source.id in self._refreshing:
            return "Refreshing now: see the window's status line."
        if not on:
            return "Switched off: switch it on and save to refresh it."
        if not self._refreshable(source):
            return "Save first: a refresh reads the saved sources."
        return "Fetch this source now, alone."

    def _fill(self) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self._sources))
            for number, source in enumerate(self._sources):
                row = self._rows.get(source.id, {"id": source.id})
                on = QTableWidgetItem()
                on.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                on.setCheckState(Qt.CheckState.Checked if source.enabled else Qt.CheckState.Unchecked)
                on.setData(Qt.ItemDataRole.UserRole, source.id)
                on.setData(
                    Qt.ItemDataRole.AccessibleTextRole, f"{source.name}: {'on' if source.enabled else 'off'}"
                )
                self.table.setItem(number, COL_ON, on)
                name = QTableWidgetItem(source.name)
                name.setToolTip(plain_tooltip(f"{source.name}\nid: {source.id}"))
                self.table.setItem(number, COL_NAME, name)
                self.table.setItem(
                    number, COL_KIND, QTableWidgetItem(KIND_LABELS.get(source.kind, source.kind))
                )
                state = health.source_health({**row, "enabled": source.enabled}, self._now)
                if source.id in self._refreshing:
                    state = health.Health(health.RUNNING, health.LABELS[health.RUNNING], state.detail)
                cell = QTableWidgetItem(health_icon(state.state), state.summary)
                cell.setToolTip(plain_tooltip(state.detail))
                self.table.setItem(number, COL_HEALTH, cell)
                count = row.get("record_count")
                records = QTableWidgetItem("" if count is None else f"{count:,}")
                records.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                records.setData(Qt.ItemDataRole.AccessibleTextRole, records.text() or "No records yet")
                self.table.setItem(number, COL_RECORDS, records)
                address = QTableWidgetItem(source.url)
                address.setToolTip(plain_tooltip(source.url))
                self.table.setItem(number, COL_URL, address)
        finally:
            self.table.blockSignals(False)
        self._show_site_changes()

    def _show_site_changes(self) -> None:
        lines = []
        for source in self._sources:
            reasons = self._rows.get(source.id, {}).get("site_changed") or []
            if reasons:
                lines.append(f"⚠ {source.name}: {'; '.join(shown(r) for r in reasons)}")
        if lines:
            lines.append(
                "Site changed? means the last refresh worked but found far less than the ones "
                "before it. Stored records were left as they were; check the site."
            )
        self.site_changed.setText("\n".join(lines))
        self.site_changed.setVisible(bool(lines))

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_ON:
            self.changed = True
            self._show_selected()


def source_details(source: Source, row: dict[str, Any], state: health.Health) -> str:
    """The selected source in full, as plain text (every value from a site or a file escaped)."""
    lines = [
        f"{shown(source.name)} · {KIND_LABELS.get(source.kind, source.kind)} · id {source.id}",
        shown(source.url, 2000),
        "",
        state.detail,
    ]
    error = row.get("last_error")
    if error and state.state != health.FAILING:  # switched off or refreshing: still say it
        lines.append(f"Last error: {error}")
    return "\n".join(lines)
