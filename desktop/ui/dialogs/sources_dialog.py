"""Sources: each source's health and record count, switch sources on and off, add a feed or page
(through `add_source_dialog.AddSourceDialog`, which previews it before it is saved)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.safe_text import shown
from desktop import health
from desktop.formatting import plain_tooltip
from desktop.ui.dialogs.add_source_dialog import KIND_LABELS, AddSourceDialog
from desktop.ui.views.sidebar import health_icon
from scrapers.model import Source

COL_ON, COL_NAME, COL_KIND, COL_HEALTH, COL_RECORDS, COL_URL = range(6)


class SourcesDialog(QDialog):
    """The configured sources with their health; `result_sources()` after Save."""

    def __init__(
        self,
        sources: list[Source],
        source_rows: list[dict[str, Any]],
        *,
        sources_path_text: str,
        per_host_delay: float = 1.0,
        add_dialog: Callable[[set[str]], AddSourceDialog] | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.setAccessibleName("Sources")
        self.resize(980, 560)
        self._sources = list(sources)
        self._rows = {str(row["id"]): row for row in source_rows}
        self._delay = per_host_delay
        self._now = now
        self._add_dialog = add_dialog or (lambda taken: AddSourceDialog(taken, self._delay, self))
        self.changed = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Where announcements come from. Switch a source off to stop fetching it (its records "
            "stay), or add any RSS/Atom feed or web page that lists announcements."
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
        self.add_button = QPushButton("Add feed or page…")
        self.add_button.setAccessibleName("Add a feed or web page")
        self.add_button.setToolTip("Add an RSS/Atom feed, or a web page listing announcements")
        self.add_button.clicked.connect(self.add_source)
        row.addWidget(self.add_button)
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

    def result_sources(self) -> list[Source]:
        enabled = {}
        for number in range(self.table.rowCount()):
            item = self.table.item(number, COL_ON)
            enabled[item.data(Qt.ItemDataRole.UserRole)] = item.checkState() == Qt.CheckState.Checked
        return [replace(s, enabled=enabled.get(s.id, s.enabled)) for s in self._sources]

    def add_source(self) -> Source | None:
        dialog = self._add_dialog({s.id for s in self._sources})
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.previewed is None:
            return None
        source = dialog.previewed
        self._sources.append(source)
        self._rows[source.id] = {"id": source.id, "enabled": True, "record_count": 0}
        self.changed = True
        self._fill()
        return source

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
