"""The one way the window builds a message box: every text in it is plain text.

A message quotes file names, source addresses, server errors and what the user typed. Qt's
static helpers (`QMessageBox.warning`…) guess whether a text is rich text, and a text that
looks like HTML is rendered: an `<img src="/path">` in a sources-file URL made the dialog load
a local file (a FIFO there blocks the window forever). Here nothing is guessed: the text, the
informative text and the details are `Qt.PlainText`, and quoted text goes through
`db.safe_text.shown` first (docs/TRUST.md, "Messages, files and secrets").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from db.safe_text import shown

Icon = QMessageBox.Icon


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str = "",
    *,
    icon: QMessageBox.Icon = Icon.Warning,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    """A message box whose every label shows its text literally (not yet shown)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    box.setStandardButtons(buttons)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    plain_labels(box)
    return box


def plain_labels(widget: QWidget) -> None:
    """Every label inside `widget` as plain text (QMessageBox's informative text is a label of
    its own that does not follow `setTextFormat`)."""
    for label in widget.findChildren(QLabel):
        if label.pixmap().isNull():
            label.setTextFormat(Qt.TextFormat.PlainText)


def warn(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    """Show a warning and wait for OK (the replacement for `QMessageBox.warning`)."""
    message_box(parent, title, text, informative).exec()


def ask_to_replace(parent: QWidget | None, path: Path, consequence: str) -> bool:
    """Ask before a file the user chose is replaced (a native file dialog may not have asked);
    No is the default, so a stray Enter keeps the file."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    box = message_box(
        parent,
        "Replace the file?",
        f"{shown(path.name)} already exists in {shown(path.parent)}.",
        consequence,
        icon=QMessageBox.Icon.Question,
        buttons=buttons,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
