"""The look: light, dark or high contrast, following the system unless the user chose one.

One stylesheet (resources/style.qss) names its colours and font sizes (@accent); each theme gives
every name a value, and tests/desktop/test_contrast.py checks every pair of them against WCAG
2.1 AA in every theme (docs/ACCESSIBILITY.md). The colours the code paints (the table's muted
cells, the star, the sidebar's health marks, the icons) come from the same theme, so nothing is
dark on dark. The font sizes are the system's (times the "Text size" setting), not a fixed
10 pt, so a user who set a larger font in the desktop gets it here too.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_path
from desktop.ui import settings

logger = logging.getLogger(__name__)

LIGHT, DARK, HIGH_CONTRAST = "light", "dark", "high_contrast"  # and "system" (settings.py)

# The stylesheet's font sizes, relative to the base (the system's size times the setting).
FONT_STEPS = {"font_base": 1.0, "font_big": 1.1, "font_button": 1.3, "font_title": 1.4, "font_hero": 1.7}
_TOKEN = re.compile(r"@([a-z_]+)")
ICON_STROKE = "#3b4b5e"  # the colour the SVGs in resources/icons are drawn in; replaced by "icon"

_LIGHT_COLOURS = {
    "window": "#f6f7f9", "surface": "#ffffff", "text": "#1f2933", "title_text": "#13202d",
    "muted_text": "#4a5a6b", "muted": "#596470", "field_name": "#5f6b78", "hint_text": "#6b7785",
    "placeholder": "#5f6b78", "disabled_text": "#a0aab5", "selected_text": "#10253a",
    "divider": "#e1e6ec", "grid": "#eef1f4", "row_line": "#f0f2f5", "input_border": "#cfd7e0",
    "tooltip_border": "#c9d2dc", "hover": "#eef3f8", "hover_border": "#d8e1ea",
    "toolbar_text": "#2b3a4a", "toolbar_pressed": "#dde7f1",
    "accent": "#1f4e79", "accent_hover": "#275d8f", "accent_focus": "#163a5c",
    "accent_focus_ring": "#9cc3e6", "on_accent": "#ffffff", "focus": "#1f4e79",
    "view_focus_ring": "#4a7fb0",
    "refresh_bg": "#e7f0f9", "refresh_border": "#7fa3c6", "refresh_text": "#1f4e79",
    "refresh_hover": "#d6e5f4",
    "sidebar": "#eef1f5", "sidebar_text": "#243445", "sidebar_hover": "#e2e8ef",
    "sidebar_selected": "#d3e2f1", "row_selected": "#dbe8f6", "alternate_row": "#fafbfc",
    "text_selection": "#b9d1ea", "active_bg": "#e7f0f9", "active_border": "#7fa3c6",
    "active_filters_bg": "#f1f6fb", "active_filters_border": "#dce6f0",
    "active_filters_text": "#2b4a68", "button_hover": "#f1f5f9", "button_pressed": "#e3eaf1",
    "header_hover": "#eef2f6", "link": "#1f5f99", "link_hover": "#0f3d66",
    "amber_bg": "#fff4dc", "amber_border": "#e9c77a", "amber_text": "#6b4300",
    "star_border": "#e0b35a", "star_text": "#7a5200",
    "chip_bg": "#e8eef5", "chip_border": "#d0dbe7", "chip_text": "#24405c",
    "chip_remove_bg": "#f8e1e1", "chip_remove_border": "#e3b5b5", "chip_remove_text": "#7a2020",
    "soon": "#a4461c", "danger": "#b42318", "on_danger": "#ffffff",
    "versions_bg": "#fff8e6", "versions_border": "#f0e0b0", "versions_text": "#5a4a1f",
    "record_text_bg": "#fbfcfd", "record_text_border": "#e6eaef",
    "note_bg": "#fffdf5", "note_border": "#e6dcc0", "progress_chunk": "#8fb4d9",
    # painted by the code
    "icon": "#3b4b5e", "icon_disabled": "#a0aab5", "star": "#b07400", "mark_off": "#737e8a",
    "health_ok": "#2e8b57", "health_failing": "#c0392b", "health_site_changed": "#e09b1a",
    "health_site_changed_edge": "#8a5a00", "health_running": "#4a7fb0",
}  # fmt: skip

_DARK_COLOURS = {
    "window": "#1b1f24", "surface": "#22272e", "text": "#e6edf3", "title_text": "#f0f6fc",
    "muted_text": "#a3adb8", "muted": "#b4bdc7", "field_name": "#a3adb8", "hint_text": "#a3adb8",
    "placeholder": "#959faa", "disabled_text": "#6e7681", "selected_text": "#ffffff",
    "divider": "#3d444d", "grid": "#2d333b", "row_line": "#2a3038", "input_border": "#6b7480",
    "tooltip_border": "#545d68", "hover": "#2d333b", "hover_border": "#444c56",
    "toolbar_text": "#d1d9e0", "toolbar_pressed": "#363d46",
    "accent": "#2f6fad", "accent_hover": "#2a64a0", "accent_focus": "#24548a",
    "accent_focus_ring": "#a5d6ff", "on_accent": "#ffffff", "focus": "#6cb6ff",
    "view_focus_ring": "#6cb6ff",
    "refresh_bg": "#1e3a5a", "refresh_border": "#4f86c0", "refresh_text": "#dbe9f7",
    "refresh_hover": "#24476d",
    "sidebar": "#1f242a", "sidebar_text": "#d1d9e0", "sidebar_hover": "#2a3038",
    "sidebar_selected": "#264a70", "row_selected": "#264a70", "alternate_row": "#262c34",
    "text_selection": "#2f5a87", "active_bg": "#1e3a5a", "active_border": "#4f86c0",
    "active_filters_bg": "#1d2a3a", "active_filters_border": "#2e4057",
    "active_filters_text": "#a5c8ec", "button_hover": "#2d333b", "button_pressed": "#363d46",
    "header_hover": "#2d333b", "link": "#6cb6ff", "link_hover": "#a5d6ff",
    "amber_bg": "#3d2f12", "amber_border": "#7a5b1e", "amber_text": "#f2cc60",
    "star_border": "#a37a2c", "star_text": "#f2cc60",
    "chip_bg": "#2b3644", "chip_border": "#3d4a5c", "chip_text": "#c9dcf2",
    "chip_remove_bg": "#4a2323", "chip_remove_border": "#7a3b3b", "chip_remove_text": "#ffb1ab",
    "soon": "#ffa657", "danger": "#ff7b72", "on_danger": "#1b1f24",
    "versions_bg": "#2e2814", "versions_border": "#5c4d24", "versions_text": "#e3c77e",
    "record_text_bg": "#1f242b", "record_text_border": "#373e47",
    "note_bg": "#26231a", "note_border": "#4d4530", "progress_chunk": "#2f5a87",
    "icon": "#c9d1d9", "icon_disabled": "#6e7681", "star": "#e3b341", "mark_off": "#9aa4ae",
    "health_ok": "#3fb950", "health_failing": "#ff7b72", "health_site_changed": "#d29922",
    "health_site_changed_edge": "#f2cc60", "health_running": "#6cb6ff",
}  # fmt: skip

# Black ground, white text and borders, yellow focus, a deep blue selection that keeps white
# text and yellow marks readable: what Windows' and GNOME's high-contrast themes do.
_HIGH_CONTRAST_COLOURS = {
    "window": "#000000", "surface": "#000000", "text": "#ffffff", "title_text": "#ffffff",
    "muted_text": "#ffffff", "muted": "#ffffff", "field_name": "#ffffff", "hint_text": "#ffffff",
    "placeholder": "#c8c8c8", "disabled_text": "#9a9a9a", "selected_text": "#ffffff",
    "divider": "#ffffff", "grid": "#ffffff", "row_line": "#ffffff", "input_border": "#ffffff",
    "tooltip_border": "#ffffff", "hover": "#1f1f1f", "hover_border": "#ffffff",
    "toolbar_text": "#ffffff", "toolbar_pressed": "#000000", "accent": "#ffff00",
    "accent_hover": "#ffff66", "accent_focus": "#ffffff", "accent_focus_ring": "#000000",
    "on_accent": "#000000", "focus": "#ffff00", "view_focus_ring": "#ffff00",
    "refresh_bg": "#000000", "refresh_border": "#ffffff", "refresh_text": "#ffffff",
    "refresh_hover": "#333333", "sidebar": "#000000", "sidebar_text": "#ffffff",
    "sidebar_hover": "#1f1f1f", "sidebar_selected": "#003d73", "row_selected": "#003d73",
    "alternate_row": "#000000", "text_selection": "#003d73", "active_bg": "#1f1f1f",
    "active_border": "#ffffff", "active_filters_bg": "#000000", "active_filters_border": "#ffffff",
    "active_filters_text": "#ffffff", "button_hover": "#1f1f1f", "button_pressed": "#000000",
    "header_hover": "#1f1f1f", "link": "#ffff00", "link_hover": "#ffff66", "amber_bg": "#000000",
    "amber_border": "#ffffff", "amber_text": "#ffd24d", "star_border": "#ffffff",
    "star_text": "#ffff00", "chip_bg": "#000000", "chip_border": "#ffffff", "chip_text": "#ffffff",
    "chip_remove_bg": "#000000", "chip_remove_border": "#ffffff", "chip_remove_text": "#ff8080",
    "soon": "#ffd24d", "danger": "#ff8080", "on_danger": "#000000", "versions_bg": "#000000",
    "versions_border": "#ffffff", "versions_text": "#ffffff", "record_text_bg": "#000000",
    "record_text_border": "#ffffff", "note_bg": "#000000", "note_border": "#ffffff",
    "progress_chunk": "#003d73", "icon": "#ffffff", "icon_disabled": "#9a9a9a", "star": "#ffff00",
    "mark_off": "#ffffff", "health_ok": "#4dff88", "health_failing": "#ff8080",
    "health_site_changed": "#ffd24d", "health_site_changed_edge": "#ffffff",
    "health_running": "#66ccff",
}  # fmt: skip


@dataclass(frozen=True)
class Theme:
    name: str
    colours: dict[str, str]
    dark: bool


THEMES = {
    LIGHT: Theme(LIGHT, _LIGHT_COLOURS, dark=False),
    DARK: Theme(DARK, _DARK_COLOURS, dark=True),
    HIGH_CONTRAST: Theme(HIGH_CONTRAST, _HIGH_CONTRAST_COLOURS, dark=True),
}
_current = THEMES[LIGHT]


def current() -> Theme:
    """The theme in force (the application's look is one for all its windows)."""
    return _current


def colour(name: str) -> QColor:
    """A colour of the theme in force, for what the code paints itself."""
    return QColor(_current.colours[name])


_brushes: dict[str, QBrush] = {}  # the theme in force's, made as asked; apply() empties it


def brush(name: str) -> QBrush:
    """colour(name) as a brush, made once per theme: a table asks for one on every cell, and
    Select all on 100,000 rows asks a million times."""
    found = _brushes.get(name)
    if found is None:
        found = _brushes[name] = QBrush(colour(name))
    return found


def system_theme() -> str:
    """What the platform asks for: high contrast first (Qt 6.10 and later report it), then
    dark or light."""
    hints = QGuiApplication.styleHints()
    contrast = hints.accessibility() if hasattr(hints, "accessibility") else None
    if contrast is not None and contrast.contrastPreference() == Qt.ContrastPreference.HighContrast:
        return HIGH_CONTRAST
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def chosen_theme() -> str:
    """The user's choice in Settings, or the system's when they chose to follow it."""
    choice = settings.get("look/theme")
    return choice if choice in THEMES else system_theme()


def base_point_size(system_font: QFont) -> float:
    """The system's text size times the user's "Text size" percentage."""
    system = system_font.pointSizeF() if system_font.pointSizeF() > 0 else 10.0
    return system * settings.get("look/text_size") / 100


def stylesheet(template: str, theme: Theme, base_points: float) -> str:
    """The stylesheet with the theme's colours and the font sizes filled in."""
    values = {**theme.colours, **{k: f"{base_points * v:.1f}pt" for k, v in FONT_STEPS.items()}}

    def value(found: re.Match[str]) -> str:
        return values[found.group(1)]

    return _TOKEN.sub(value, template)


def palette(theme: Theme) -> QPalette:
    """Fusion's palette in the theme's colours: what the stylesheet leaves to the style (menus,
    scroll bars, check marks, message boxes, calendar pop-ups) follows the theme too."""
    c = {name: QColor(value) for name, value in theme.colours.items()}
    roles = QPalette.ColorRole
    result = QPalette()
    for role, name in (
        (roles.Window, "window"), (roles.WindowText, "text"), (roles.Base, "surface"),
        (roles.AlternateBase, "alternate_row"), (roles.Text, "text"), (roles.Button, "surface"),
        (roles.ButtonText, "text"), (roles.Highlight, "row_selected"),
        (roles.HighlightedText, "selected_text"), (roles.ToolTipBase, "surface"),
        (roles.ToolTipText, "text"), (roles.Link, "link"), (roles.LinkVisited, "link"),
        (roles.PlaceholderText, "placeholder"), (roles.BrightText, "title_text"),
        (roles.Light, "hover"), (roles.Midlight, "divider"), (roles.Mid, "input_border"),
        (roles.Dark, "input_border"), (roles.Shadow, "window"), (roles.Accent, "accent"),
    ):  # fmt: skip
        result.setColor(role, c[name])
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, c["disabled_text"])
    return result


def apply(app: QApplication, theme_name: str | None = None) -> Theme:
    """Give `app` the chosen (or named) theme: Fusion, its palette, the stylesheet."""
    global _current
    _current = THEMES[theme_name or chosen_theme()]
    _brushes.clear()
    app.setStyle("Fusion")
    app.setPalette(palette(_current))
    app.setStyleSheet(stylesheet(load_template(), _current, base_point_size(QGuiApplication.font())))
    return _current


def follow_the_system(app: QApplication) -> None:
    """Re-apply the theme when the system switches to dark, light or high contrast, and when
    its font changes (the stylesheet's sizes are reckoned from it)."""
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.connect(lambda _scheme: apply(app))
    app.fontChanged.connect(lambda _font: apply(app))
    if hasattr(hints, "accessibility"):  # Qt 6.10 and later
        contrast = hints.accessibility()
        contrast.contrastPreferenceChanged.connect(lambda _preference: apply(app))


def load_template() -> str:
    try:
        return resource_path("style.qss").read_text(encoding="utf-8")
    except OSError as exc:  # a missing stylesheet costs the looks, not the app
        logger.warning("no stylesheet: %s", exc)
        return ""


class _ThemedSvg(QIconEngine):
    """An SVG icon drawn in the theme's icon colour at paint time: it follows a theme change
    and stays sharp at any scale (a pixmap made once would do neither)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._svg = path.read_text(encoding="utf-8") if path.exists() else ""

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, _state: QIcon.State) -> None:
        name = "icon_disabled" if mode == QIcon.Mode.Disabled else "icon"
        svg = self._svg.replace(ICON_STROKE, _current.colours[name])
        QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        image = QPixmap(size)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return image

    def clone(self) -> QIconEngine:
        return _ThemedSvg(self._path)


def icon(path: Path) -> QIcon:
    """The SVG icon at `path` (drawn in ICON_STROKE), in the theme's colours."""
    return QIcon(_ThemedSvg(path))
