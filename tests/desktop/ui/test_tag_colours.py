"""Every tag colour is readable in every theme: chip text 4.5:1 on its ground, the dot 3:1 on
the sidebar, its selected row and the Tags dialog's list; a colour name the themes do not
know is painted as no colour."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from db.store import TAG_COLOURS
from desktop.ui import tag_colours, theme
from tests.desktop.test_contrast import COMPONENT, TEXT, ratio


@pytest.mark.parametrize("name", theme.THEMES)
def test_each_theme_shades_every_colour_readably(name: str) -> None:
    shades = tag_colours.SHADES[name]
    assert set(shades) == set(TAG_COLOURS)
    c = theme.THEMES[name].colours
    low = []
    for colour, found in shades.items():
        if ratio(found.text, found.chip) < TEXT:
            low.append(f"{colour} chip text {ratio(found.text, found.chip):.2f}")
        for behind in ("sidebar", "sidebar_selected", "surface", "row_selected", "window"):
            if ratio(found.dot, c[behind]) < COMPONENT:
                low.append(f"{colour} dot on {behind} {ratio(found.dot, c[behind]):.2f}")
    assert low == []


def test_the_chip_style_follows_the_theme_in_force(qapp: QApplication) -> None:
    try:
        theme.apply(qapp, theme.DARK)
        assert tag_colours.SHADES[theme.DARK]["blue"].chip in tag_colours.chip_style("blue")
        theme.apply(qapp, theme.LIGHT)
        assert tag_colours.SHADES[theme.LIGHT]["blue"].chip in tag_colours.chip_style("blue")
    finally:
        theme.apply(qapp, theme.LIGHT)


def test_no_colour_or_an_unknown_one_is_the_plain_chip(qapp: QApplication) -> None:
    assert tag_colours.chip_style(None) == tag_colours.chip_style("#ff00ff") == ""
    assert tag_colours.shade("chartreuse") is None
    assert not tag_colours.dot_icon(None).isNull() and not tag_colours.dot_icon("red").isNull()
