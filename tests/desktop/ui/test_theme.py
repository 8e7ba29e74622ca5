"""The look follows the system (light, dark, high contrast, font size) unless the user chose.

The contrast of each theme is checked in test_contrast.py; these tests check that the chosen
theme is the one in force: the stylesheet, the palette, the colours the code paints, the icons.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QToolBar, QToolButton

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


def test_a_change_of_the_systems_font_size_is_followed_at_once(qapp) -> None:
    """A desktop's font setting reaches Qt as a new application font: the stylesheet's sizes
    are reckoned again from it."""
    theme.follow_the_system(qapp)
    system = QGuiApplication.font()
    bigger = QFont(system)
    bigger.setPointSizeF(system.pointSizeF() * 1.5)
    try:
        qapp.setFont(bigger)  # Qt sends fontChanged, as it does when the platform's font changes
        sizes = [float(n) for n in re.findall(r"font-size: ([0-9.]+)pt", qapp.styleSheet())]
        assert min(sizes) == pytest.approx(bigger.pointSizeF(), abs=0.05)
    finally:
        qapp.setFont(system)
    sizes = [float(n) for n in re.findall(r"font-size: ([0-9.]+)pt", qapp.styleSheet())]
    assert min(sizes) == pytest.approx(system.pointSizeF(), abs=0.05)


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


def contrast(one: QColor, two: QColor) -> float:
    """WCAG 2.1's contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def icon_contrast(button: QToolButton) -> float:
    """How the icon stands out from the button under it, measured on the rendered pixels: the
    button is drawn with and without its icon; the pixels that differ are the icon's, and the
    core of its strokes (the pixels that differ most from the ground) is compared with the
    ground at the same place."""
    with_icon = button.grab().toImage()
    kept = button.icon()
    blank = QPixmap(button.iconSize())
    blank.fill(Qt.GlobalColor.transparent)
    button.setIcon(QIcon(blank))  # the same room, nothing drawn in it: the text stays put
    try:
        without = button.grab().toImage()
    finally:
        button.setIcon(kept)
    ratios = sorted(
        contrast(with_icon.pixelColor(x, y), without.pixelColor(x, y))
        for x in range(min(with_icon.width(), without.width()))
        for y in range(min(with_icon.height(), without.height()))
        if with_icon.pixelColor(x, y) != without.pixelColor(x, y)
    )
    assert len(ratios) > 20, "no icon drawn"
    return ratios[len(ratios) * 9 // 10]  # the stroke's core, not its anti-aliased edge


@pytest.mark.parametrize("name", sorted(theme.THEMES))
def test_the_toolbar_icons_stand_out_on_their_buttons(qtbot, qapp, make_window, empty_db, name: str) -> None:
    """The Refresh icon was dark grey on a dark blue button: on every toolbar button, in every
    theme, the drawn icon has at least 3:1 against the button it sits on (WCAG 1.4.11)."""
    theme.apply(qapp, name)
    window, _controller = make_window(empty_db)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    buttons = [b for b in toolbar.findChildren(QToolButton) if not b.icon().isNull() and b.isVisible()]
    assert "refreshButton" in {b.objectName() for b in buttons}
    measured = {b.text(): icon_contrast(b) for b in buttons}
    assert all(ratio >= 3.0 for ratio in measured.values()), measured
