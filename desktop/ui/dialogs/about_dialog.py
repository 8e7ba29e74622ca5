"""Help → About: the version, where the data lives, and the toolkit versions (for bug reports)."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import APP_NAME, log_dir, resource_path
from scrapers.http import app_version


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, sources_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setAccessibleName(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QIcon(str(resource_path("icon.svg"))).pixmap(QSize(64, 64)))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"{APP_NAME} {app_version()}")
        title.setObjectName("emptyTitle")
        blurb = QLabel(
            "Follows EU and UK AI-policy and research-funding announcements and keeps them, "
            "with your notes and tags, in a local database you can read offline."
        )
        blurb.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        top.addLayout(text, 1)
        layout.addLayout(top)
        form = QFormLayout()
        self.data_location = self._path_label(db_path)
        form.addRow("Data location", self.data_location)
        if sources_path is not None:
            form.addRow("Sources file", self._path_label(sources_path))
        form.addRow("Log folder", self._path_label(log_dir()))
        form.addRow("Toolkit", QLabel(f"Qt {qVersion()}, PySide6 {PySide6.__version__}"))
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        show = buttons.addButton("Show Data Folder", QDialogButtonBox.ButtonRole.ActionRole)
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(db_path.parent))))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _path_label(path: Path) -> QLabel:
        label = QLabel(str(path))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label
