"""The look follows the system (light, dark, high contrast, font size) unless the user chose.

The contrast of each theme is checked in test_contrast.py; these tests check that the chosen
theme is the one in force: the stylesheet, the palette, the colours the code paints, the icons.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from desktop.paths import resource_path
from desktop.ui import settings, theme
from desktop.ui.app import apply_look
from desktop.ui.dialogs.settings_dialog import SettingsDialog


@pytest.fixture(autouse=True)
def back_to_the_default_look(qapp):
    """Each test leaves the application as the others expect it: the system's look."""
    yield
    apply_look(qapp)


def window_colour(qapp) -> str:
    return qapp.palette().color(QPalette.ColorRole.Window).name()


def test_choosing_dark_in_settings_turns_the_window_dark_at_once(qtbot, qapp) -> None:
    dialog = SettingsDialog(QSettings())
    qtbot.addWidget(dialog)
    choice = dialog.editors["look/theme"]
    assert choice.currentData() == "system"
    choice.setCurrentIndex(choice.findData("dark"))
    dialog.accept()
    assert settings.get("look/theme") == "dark"
    dark = theme.THEMES[theme.DARK].colours
    assert theme.current().name == theme.DARK
    assert window_colour(qapp) == dark["window"]
    assert f"background: {dark['surface']}" in qapp.styleSheet()
    assert theme.brush("muted").color().name() == dark["muted"]  # what the table paints


def test_a_change_of_the_systems_look_is_followed_at_once(qapp) -> None:
    """The offscreen platform cannot be switched to dark, so the platform's signals are sent
    here; what is tested is that the window re-reads the look when the system says so."""
    theme.follow_the_system(qapp)
    hints = QGuiApplication.styleHints()
    settings.put("look/theme", "dark")  # as chosen_theme() would find it on a dark desktop
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window_colour(qapp) == theme.THEMES[theme.DARK].colours["window"]
    settings.put("look/theme", "high_contrast")
    hints.accessibility().contrastPreferenceChanged.emit(Qt.ContrastPreference.HighContrast)
    assert window_colour(qapp) == theme.THEMES[theme.HIGH_CONTRAST].colours["window"]


def test_high_contrast_can_be_chosen(qapp) -> None:
    settings.put("look/theme", "high_contrast")
    apply_look(qapp)
    assert window_colour(qapp) == "#000000"
    assert qapp.palette().color(QPalette.ColorRole.WindowText).name() == "#ffffff"


def test_the_text_follows_the_system_font_size_and_the_setting(qapp) -> None:
    system = QGuiApplication.font().pointSizeF()
    apply_look(qapp)
    sizes = [float(n) for n in re.findall(r"font-size: ([0-9.]+)pt", qapp.styleSheet())]
    assert min(sizes) == pytest.approx(system, abs=0.05)  # not a fixed 10 pt
    settings.put("look/text_size", 150.0)
    apply_look(qapp)
    bigger = [float(n) for n in re.findall(r"font-size: ([0-9.]+)pt", qapp.styleSheet())]
    assert min(bigger) == pytest.approx(system * 1.5, abs=0.05)


def test_an_unknown_theme_in_the_settings_file_falls_back_to_the_system(qapp) -> None:
    settings.put("look/theme", "purple")
    assert theme.chosen_theme() == theme.system_theme()


@pytest.mark.parametrize("name", sorted(theme.THEMES))
def test_icons_are_drawn_in_the_themes_icon_colour(qapp, name: str) -> None:
    """The Refresh icon was dark grey on dark blue; now every icon takes the theme's colour."""
    theme.apply(qapp, name)
    image = theme.icon(resource_path("icons") / "refresh.svg").pixmap(QSize(48, 48)).toImage()
    solid = {
        image.pixelColor(x, y).name()
        for x in range(48)
        for y in range(48)
        if image.pixelColor(x, y).alpha() == 255
    }
    assert solid == {theme.THEMES[name].colours["icon"]}
    disabled = theme.icon(resource_path("icons") / "refresh.svg").pixmap(QSize(48, 48), QIcon.Mode.Disabled)
    pixels = disabled.toImage()
    opaque = [
        pixels.pixelColor(x, y)
        for x in range(48)
        for y in range(48)
        if pixels.pixelColor(x, y).alpha() == 255
    ]
    assert opaque and {c.name() for c in opaque} == {
        QColor(theme.THEMES[name].colours["icon_disabled"]).name()
    }
