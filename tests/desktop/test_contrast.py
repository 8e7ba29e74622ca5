"""WCAG 2.1 AA contrast of every colour pair the app paints, in every theme.

Text needs 4.5:1 against what it sits on (3:1 when large: 18 pt, or 14 pt bold), focus rings,
icons and state marks (the star, a source's health dot) 3:1 (WCAG 1.4.3 and 1.4.11). Disabled
controls are exempt, as WCAG says. A rule that sets a text colour must say what it sits on:
its own background, or a line in SITS_ON below, so a new rule cannot go unchecked. Each check
runs for the light, dark and high-contrast themes (desktop/ui/theme.py): the stylesheet with the
theme's colours filled in, the palette Qt's style draws with, and the colours the code paints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from desktop import health
from desktop.ui import theme
from desktop.ui.app import apply_look
from desktop.ui.views import sidebar

TEXT = 4.5
LARGE_TEXT = 3.0
COMPONENT = 3.0

# What a rule without its own background sits on (the selector with its states taken off), as
# the theme's colour name.
SITS_ON = {
    "QMainWindow": "window",
    "QDialog": "window",
    "QToolBar QToolButton": "surface",
    "QTreeView#sidebar::item": "sidebar",
    "QComboBox QAbstractItemView": "surface",
    "QLabel#activeFiltersText": "active_filters_bg",
    "QPushButton#linkButton": "surface",
    "QTableView#trackerTable::item": "surface",
    "QLabel#emptyTitle": "surface",
    "QLabel#emptyText": "surface",
    "QLabel#emptySources": "surface",
    "QLabel#detailTitle": "surface",
    "QLabel#detailPlaceholder": "surface",
    'QLabel[role="fieldName"]': "window",  # the details pane is the surface, a dialog the window
    'QLabel[role="sectionTitle"]': "surface",
    'QLabel[role="deadlinePast"]': "surface",
    'QLabel[role="deadlineSoon"]': "surface",
    "QLabel#noteState": "surface",
    "QLabel#noteProblem": "surface",
    "QStatusBar QLabel": "surface",
    "QGroupBox::title": "window",  # the title sits in the margin, over the dialog
}
THEMES = sorted(theme.THEMES)
BASE_POINTS = 10.0  # the sizes the "large text" rule is judged at


def sheet(name: str) -> str:
    return theme.stylesheet(theme.load_template(), theme.THEMES[name], BASE_POINTS)


_PSEUDO = re.compile(r"(?<!:):(?!:)[a-z-]+(\([^)]*\))?")


@dataclass(frozen=True)
class Pair:
    where: str
    foreground: str
    background: str
    minimum: float


def luminance(colour: str) -> float:
    """Relative luminance of "#rrggbb", as WCAG 2.1 defines it."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(one: str, two: str) -> float:
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(qss: str) -> dict[str, dict[str, str]]:
    """selector → its declarations, merged over the rules that name it."""
    found: dict[str, dict[str, str]] = {}
    text = re.sub(r"/\*.*?\*/", "", qss, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        for selector in selectors.split(","):
            found.setdefault(" ".join(selector.split()), {}).update(declarations)
    return found


def _solid(value: str | None) -> str | None:
    """The "#rrggbb" in a declaration's value; None for none, "transparent" or a gradient."""
    found = re.fullmatch(r"(?:\S+\s+)*?(#[0-9a-fA-F]{6})", value or "")
    return found.group(1).lower() if found else None


def _background(
    own: dict[str, str], base: dict[str, str], base_selector: str, colours: dict[str, str]
) -> str | None:
    """A rule's background: its own, its stateless rule's, or what it sits on."""
    for source in (own, base):
        for name in ("background", "background-color"):
            solid = _solid(source.get(name))
            if solid is not None:
                return solid
    sits_on = SITS_ON.get(base_selector)
    return colours[sits_on] if sits_on else None


def stylesheet_pairs(name: str) -> tuple[list[Pair], list[str]]:
    """The pairs to check in theme `name`, and the rules whose background nobody said."""
    table = rules(sheet(name))
    colours = theme.THEMES[name].colours
    pairs: list[Pair] = []
    unknown: list[str] = []
    for selector, declarations in table.items():
        if ":disabled" in selector:
            continue  # WCAG exempts inactive controls
        base = _PSEUDO.sub("", selector)
        inherited = {**table.get(base, {}), **declarations}

        colour = _solid(inherited.get("color"))
        if colour is not None and ("color" in declarations or "background" in declarations):
            behind = _background(declarations, table.get(base, {}), base, colours)
            if behind is None:
                unknown.append(selector)
            else:
                size = inherited.get("font-size", "10pt")
                points = float(size[:-2]) if size.endswith("pt") else 10.0
                bold = inherited.get("font-weight", "400") in {"600", "700", "bold"}
                large = points >= 18 or (points >= 14 and bold)
                pairs.append(Pair(selector, colour, behind, LARGE_TEXT if large else TEXT))
        selected = _solid(inherited.get("selection-color"))
        selected_behind = _solid(inherited.get("selection-background-color"))
        if selected and selected_behind:
            pairs.append(Pair(f"{selector} (selected)", selected, selected_behind, TEXT))
        ring = _solid(declarations.get("border-color")) or _solid(declarations.get("border"))
        if ":focus" in selector and ring is not None:
            behind = _background(declarations, table.get(base, {}), base, colours)
            if behind is not None:
                pairs.append(Pair(f"{selector} (focus ring)", ring, behind, COMPONENT))
    return pairs, unknown


def test_the_ratio_is_wcags() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def failures(pairs: list[Pair]) -> list[str]:
    return [
        f"{p.where}: {p.foreground} on {p.background} = {ratio(p.foreground, p.background):.2f} < {p.minimum}"
        for p in pairs
        if ratio(p.foreground, p.background) < p.minimum
    ]


def test_every_colour_name_has_a_value_in_every_theme() -> None:
    used = set(re.findall(r"@([a-z_]+)", theme.load_template())) - set(theme.FONT_STEPS)
    for name in THEMES:
        colours = theme.THEMES[name].colours
        assert used - set(colours) == set(), name
        assert set(colours) == set(theme.THEMES[theme.LIGHT].colours), name
        assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in colours.values()), name


def test_every_rule_with_a_text_colour_says_what_it_sits_on() -> None:
    _pairs, unknown = stylesheet_pairs(theme.LIGHT)
    assert unknown == [], "add their background to SITS_ON"


@pytest.mark.parametrize("name", THEMES)
def test_the_stylesheet_meets_wcag_aa(name: str) -> None:
    pairs, _unknown = stylesheet_pairs(name)
    assert len(pairs) > 40  # the parser really found the rules
    assert failures(pairs) == []


def code_pairs(name: str) -> list[Pair]:
    """The colours the code paints itself: the table's cells, the sidebar's counts and marks,
    the icons, the progress text over its bar, the Sources dialog's error line."""
    c = theme.THEMES[name].colours
    pairs = []
    table_rows = (c["surface"], c["alternate_row"], c["row_selected"])
    for colour, minimum in (("muted", TEXT), ("soon", TEXT), ("star", COMPONENT), ("mark_off", COMPONENT)):
        pairs += [Pair(f"table {colour}", c[colour], row, minimum) for row in table_rows]
    marks = ["mark_off", "health_site_changed_edge"]
    marks += [m for s, m in sidebar._HEALTH_COLOURS.items() if m and s != health.SITE_CHANGED]
    for row in (c["sidebar"], c["sidebar_selected"]):
        pairs.append(Pair("sidebar counts and titles", c["muted"], row, TEXT))
        pairs += [Pair(f"sidebar mark {mark}", c[mark], row, COMPONENT) for mark in marks]
    for behind in ("surface", "window", "refresh_bg", "refresh_hover", "hover", "row_selected"):
        pairs.append(Pair(f"icon on {behind}", c["icon"], c[behind], COMPONENT))
    pairs.append(Pair("progress text on the chunk", c["text"], c["progress_chunk"], TEXT))
    pairs.append(Pair("Sources dialog error", c["danger"], c["window"], TEXT))
    pairs.append(Pair("record text: cut or missing", c["muted"], c["record_text_bg"], TEXT))
    return pairs


@pytest.mark.parametrize("name", THEMES)
def test_the_colours_the_code_paints_meet_wcag_aa(name: str) -> None:
    assert failures(code_pairs(name)) == []


@pytest.mark.parametrize("name", THEMES)
def test_the_palette_meets_wcag_aa(name: str) -> None:
    """What Qt's style draws from the palette: menus, message boxes, the calendar, hints."""
    palette = theme.palette(theme.THEMES[name])
    role = QPalette.ColorRole
    pairs = [
        Pair(f"{fore.name} on {back.name}", palette.color(fore).name(), palette.color(back).name(), TEXT)
        for fore, back in (
            (role.WindowText, role.Window),
            (role.Text, role.Base),
            (role.Text, role.AlternateBase),
            (role.ButtonText, role.Button),
            (role.HighlightedText, role.Highlight),
            (role.ToolTipText, role.ToolTipBase),
            (role.PlaceholderText, role.Base),
            (role.Link, role.Base),
        )
    ]
    assert failures(pairs) == []


@pytest.mark.parametrize("name", THEMES)
def test_placeholder_hints_meet_wcag_aa(qtbot, qapp, name: str) -> None:
    """Qt would draw them at half the text's opacity; each theme's palette gives them a colour."""
    colours = theme.THEMES[name].colours
    theme.apply(qapp, name)
    try:
        for widget, background in ((QLineEdit(), colours["surface"]), (QPlainTextEdit(), colours["note_bg"])):
            qtbot.addWidget(widget)
            widget.setPlaceholderText("Search text and notes")
            widget.ensurePolished()
            hint = widget.palette().color(QPalette.ColorRole.PlaceholderText)
            assert hint.alpha() == 255
            assert ratio(hint.name(), background) >= TEXT, type(widget).__name__
    finally:
        apply_look(qapp)
