"""A tag's colour as each theme paints it: a tinted chip whose text stays readable, a dot.

The store keeps a colour's name (db/tag_admin.TAG_COLOURS), never a screen colour, so a tag
coloured "blue" in the light theme is a blue the dark and high-contrast themes can show too:
each gives every name a chip ground, the chip's text (4.5:1 or better on that ground) and a
dot for the sidebar and the Tags dialog (3:1 or better on the sidebar, its selection and the
dialog's list), checked by tests/desktop/ui/test_tag_colours.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from db.store import TAG_COLOURS
from desktop.ui import theme


@dataclass(frozen=True)
class Shade:
    """One colour in one theme: the chip's ground, its text and border, the dot."""

    chip: str
    text: str
    dot: str


LABELS = {name: name.capitalize() for name in TAG_COLOURS}

_LIGHT = {
    "red": Shade("#fde4e2", "#8a1c1c", "#c62828"),
    "orange": Shade("#fde8d4", "#843c00", "#c25400"),
    "yellow": Shade("#faf0c4", "#634c00", "#9a7300"),
    "green": Shade("#dcf1e1", "#1b5e20", "#2e7d32"),
    "teal": Shade("#d4eeec", "#0b5757", "#00796b"),
    "blue": Shade("#dde9f8", "#174a85", "#1e63c4"),
    "purple": Shade("#ece2f7", "#5b2a86", "#7b3fc0"),
    "pink": Shade("#fbe1ee", "#8a1f55", "#b8306f"),
    "grey": Shade("#e5e8eb", "#3d4650", "#68727d"),
}
_DARK = {
    "red": Shade("#4a1f1f", "#ffb8b2", "#ff8a80"),
    "orange": Shade("#48290f", "#ffc58f", "#ffa657"),
    "yellow": Shade("#403611", "#f2d36b", "#f2cc60"),
    "green": Shade("#1b3b24", "#a0e6ad", "#56d364"),
    "teal": Shade("#113b3a", "#93e2dc", "#4fd1c5"),
    "blue": Shade("#1c3556", "#b3d4fb", "#8cc4ff"),
    "purple": Shade("#34244b", "#d9bfff", "#c9a3ff"),
    "pink": Shade("#45203a", "#ffb8dd", "#ff9bce"),
    "grey": Shade("#30363d", "#d0d7de", "#b4bdc7"),
}
_HIGH_CONTRAST = {
    name: Shade("#000000", bright, bright)
    for name, bright in {
        "red": "#ff8080",
        "orange": "#ffb366",
        "yellow": "#ffff00",
        "green": "#4dff88",
        "teal": "#40e0d0",
        "blue": "#8cc8ff",
        "purple": "#d9b3ff",
        "pink": "#ff99cc",
        "grey": "#d0d0d0",
    }.items()
}
SHADES: dict[str, dict[str, Shade]] = {
    theme.LIGHT: _LIGHT,
    theme.DARK: _DARK,
    theme.HIGH_CONTRAST: _HIGH_CONTRAST,
}


def shade(colour: str | None) -> Shade | None:
    """The theme in force's shade of a colour name (None: no colour, or a name we do not know)."""
    if colour is None:
        return None
    return SHADES[theme.current().name].get(colour)


def chip_style(colour: str | None) -> str:
    """The stylesheet of a tag chip of this colour ("" for the theme's plain chip). Hovering
    still shows the chip's "click to remove" colours, as a plain chip does."""
    found = shade(colour)
    if found is None:
        return ""
    c = theme.current().colours
    return (
        f"QPushButton#tagChip {{ background: {found.chip}; color: {found.text}; border-color: {found.dot}; }}"
        f" QPushButton#tagChip:hover {{ background: {c['chip_remove_bg']}; color: {c['chip_remove_text']};"
        f" border-color: {c['chip_remove_border']}; }}"
    )


def dot_icon(colour: str | None, size: int = 10) -> QIcon:
    """A filled dot of the colour; an empty ring for a tag without one, so the names line up."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    found = shade(colour)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if found is None:
        painter.setPen(QPen(theme.colour("mark_off"), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(found.dot))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)
