"""Settings: one field per entry of desktop.ui.settings.SETTINGS, with its help underneath.

A setting this computer cannot honour (the tray on a desktop without one) is shown disabled,
its help replaced by the one-line reason, so that the user is never offered what cannot work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import default_db_path
from desktop.ui import settings, theme
from desktop.ui.tray import tray_unavailable_reason

# setting name -> why this computer cannot use it (None: it can); asked when the dialog opens
UNAVAILABLE: dict[str, Callable[[], str | None]] = {"window/minimise_to_tray": tray_unavailable_reason}


SHOWN_WIDTH = 680
MIN_HEIGHT = 360


class SettingsDialog(QDialog):
    def __init__(self, store: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setMinimumWidth(560)
        self._qsettings = store or QSettings()
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for spec in self.shown_settings():
            value = settings.get(spec.name, self._qsettings)
            editor = self._editor(spec, value)
            reason = UNAVAILABLE[spec.name]() if spec.name in UNAVAILABLE else None
            help_label = QLabel(spec.help if reason is None else reason)
            editor.setEnabled(reason is None)
            help_label.setWordWrap(True)
            help_label.setProperty("role", "fieldName")
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(help_label)
            holder = QWidget()
            holder.setLayout(box)
            form.addRow(spec.label, holder)
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()  # on a small screen the fields scroll; the buttons stay in view
        scroll.setObjectName("settingsFields")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, which it scrolls to
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(fields)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Wrapped help labels report their height only once laid out at a width: as tall as all
        # the fields at the dialog's width, within the screen (less room for the title bar).
        width = max(self.minimumWidth(), SHOWN_WIDTH)
        needed = form.totalHeightForWidth(width) + buttons.sizeHint().height() + 40
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 768
        self.setMinimumHeight(min(needed, MIN_HEIGHT))
        self.resize(width, min(needed, screen - 80))

    @staticmethod
    def shown_settings() -> list[settings.Setting]:
        return [spec for spec in settings.SETTINGS if spec.in_dialog]

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.shown_settings():
            editor = self.editors[spec.name]
            if isinstance(editor, QCheckBox):
                out[spec.name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[spec.name] = editor.currentData()
            elif isinstance(editor, QDoubleSpinBox | QSpinBox):
                out[spec.name] = editor.value()
            else:
                line = editor.findChild(QLineEdit)
                out[spec.name] = line.text().strip() if line is not None else ""
        return out

    def accept(self) -> None:
        for name, value in self.values().items():
            settings.put(name, value, self._qsettings)
        self._qsettings.sync()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app)  # the theme and text size take effect at once
        super().accept()

    def _editor(self, spec: settings.Setting, value: Any) -> QWidget:
        if spec.choices:
            combo = QComboBox()
            for stored, label in spec.choices:
                combo.addItem(label, stored)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.setAccessibleName(spec.label)
            self.editors[spec.name] = combo
            return combo
        if spec.type is bool:
            check = QCheckBox()
            check.setChecked(bool(value))
            check.setAccessibleName(spec.label)
            self.editors[spec.name] = check
            return check
        if spec.type is float:
            spin = QDoubleSpinBox()
            spin.setDecimals(1)
            spin.setSingleStep(spec.step)
            spin.setRange(spec.minimum or 0.0, spec.maximum or 3600.0)
            spin.setSuffix(spec.unit)
            spin.setSpecialValueText(spec.off_text)  # shown at the minimum; empty: the number
            spin.setValue(float(value))
            spin.setAccessibleName(spec.label)
            self.editors[spec.name] = spin
            return spin
        if spec.type is int:
            hours = QSpinBox()
            hours.setRange(int(spec.minimum or 0), int(spec.maximum or 0))
            hours.setSuffix(spec.unit)
            hours.setSpecialValueText(spec.off_text)
            hours.setValue(int(value))
            hours.setAccessibleName(spec.label)
            self.editors[spec.name] = hours
            return hours
        row = QWidget()
        line_layout = QHBoxLayout(row)
        line_layout.setContentsMargins(0, 0, 0, 0)
        line = QLineEdit(str(value))
        line.setAccessibleName(spec.label)
        if spec.name == "data/location":
            line.setPlaceholderText(f"Default: {default_db_path()}")
            choose = QPushButton("Choose…")
            choose.setAccessibleName("Choose the data location")
            choose.clicked.connect(lambda: self._choose_file(line))
            line_layout.addWidget(line, 1)
            line_layout.addWidget(choose)
        else:
            line_layout.addWidget(line, 1)
        self.editors[spec.name] = row
        return row

    def _choose_file(self, line: QLineEdit) -> None:
        start = line.text() or str(default_db_path())
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Data location",
            start,
            "Policy Tracker database (*.sqlite3 *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            line.setText(path)
            line.setCursorPosition(0)
