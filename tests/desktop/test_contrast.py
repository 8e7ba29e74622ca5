"""WCAG 2.1 AA contrast of every colour pair the app paints: the stylesheet's and the code's.

Text needs 4.5:1 against what it sits on (3:1 when large: 18 pt, or 14 pt bold), focus rings
and state marks (the star, a source's health dot) 3:1 (WCAG 1.4.3 and 1.4.11). Disabled
controls are exempt, as WCAG says. A rule that sets a text colour must say what it sits on:
its own background, or a line in SITS_ON below, so a new rule cannot go unchecked. The app has
one theme (light); there is no dark theme to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from desktop import health
from desktop.ui import tracker_model
from desktop.ui.app import load_stylesheet
from desktop.ui.views import sidebar

TEXT = 4.5
LARGE_TEXT = 3.0
COMPONENT = 3.0

WHITE = "#ffffff"
WINDOW = "#f6f7f9"
SIDEBAR = "#eef1f5"
# What a rule without its own background sits on (the selector with its states taken off).
SITS_ON = {
    "QMainWindow": WINDOW,
    "QDialog": WINDOW,
    "QToolBar QToolButton": WHITE,
    "QTreeView#sidebar::item": SIDEBAR,
    "QComboBox QAbstractItemView": WHITE,
    "QLabel#activeFiltersText": "#f1f6fb",
    "QPushButton#linkButton": WHITE,
    "QTableView#trackerTable::item": WHITE,
    "QLabel#emptyTitle": WHITE,
    "QLabel#emptyText": WHITE,
    "QLabel#emptySources": WHITE,
    "QLabel#detailTitle": WHITE,
    "QLabel#detailPlaceholder": WHITE,
    'QLabel[role="fieldName"]': WINDOW,  # the details pane is white, a dialog's the darker
    'QLabel[role="sectionTitle"]': WHITE,
    'QLabel[role="deadlinePast"]': WHITE,
    'QLabel[role="deadlineSoon"]': WHITE,
    "QLabel#noteState": WHITE,
    "QLabel#noteProblem": WHITE,
    "QStatusBar QLabel": WHITE,
    "QGroupBox::title": WINDOW,  # the title sits in the margin, over the dialog
}
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


def _background(own: dict[str, str], base: dict[str, str], base_selector: str) -> str | None:
    """A rule's background: its own, its stateless rule's, or what it sits on."""
    for source in (own, base):
        for name in ("background", "background-color"):
            solid = _solid(source.get(name))
            if solid is not None:
                return solid
    return SITS_ON.get(base_selector)


def stylesheet_pairs(qss: str) -> tuple[list[Pair], list[str]]:
    """The pairs to check, and the rules whose background nobody said."""
    table = rules(qss)
    pairs: list[Pair] = []
    unknown: list[str] = []
    for selector, declarations in table.items():
        if ":disabled" in selector:
            continue  # WCAG exempts inactive controls
        base = _PSEUDO.sub("", selector)
        inherited = {**table.get(base, {}), **declarations}

        colour = _solid(inherited.get("color"))
        if colour is not None and ("color" in declarations or "background" in declarations):
            behind = _background(declarations, table.get(base, {}), base)
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
            behind = _background(declarations, table.get(base, {}), base)
            if behind is not None:
                pairs.append(Pair(f"{selector} (focus ring)", ring, behind, COMPONENT))
    return pairs, unknown


def test_the_ratio_is_wcags() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_every_rule_with_a_text_colour_says_what_it_sits_on() -> None:
    _pairs, unknown = stylesheet_pairs(load_stylesheet())
    assert unknown == [], "add their background to SITS_ON"


def test_the_stylesheet_meets_wcag_aa() -> None:
    pairs, _unknown = stylesheet_pairs(load_stylesheet())
    assert len(pairs) > 40  # the parser really found the rules
    failing = [
        f"{p.where}: {p.foreground} on {p.background} = {ratio(p.foreground, p.background):.2f} < {p.minimum}"
        for p in pairs
        if ratio(p.foreground, p.background) < p.minimum
    ]
    assert failing == [], "\n".join(failing)


TABLE_ROWS = (WHITE, "#fafbfc", "#dbe8f6")  # a row, an alternate row, a selected row
SIDEBAR_ROWS = (SIDEBAR, "#d3e2f1")  # an entry, the selected entry


def code_pairs() -> list[Pair]:
    """The colours the code paints itself (the table's cells, the sidebar's counts and dots)."""
    pairs = []
    for name, minimum in (("_MUTED", TEXT), ("_SOON", TEXT), ("_STAR", COMPONENT), ("_STAR_OFF", COMPONENT)):
        colour = getattr(tracker_model, name).color().name()
        pairs += [Pair(f"table {name}", colour, row, minimum) for row in TABLE_ROWS]
    marks = [sidebar.RING] + [c for s, c in sidebar._HEALTH_COLOURS.items() if c and s != health.SITE_CHANGED]
    for row in SIDEBAR_ROWS:
        pairs.append(Pair("sidebar counts and titles", sidebar.MUTED, row, TEXT))
        pairs += [Pair("sidebar health mark", colour, row, COMPONENT) for colour in marks]
    # the progress bar's text is drawn over its chunk as well as over the trough
    chunk = rules(load_stylesheet())["QProgressBar::chunk"]["background"].split()[0]
    pairs.append(Pair("progress text on the chunk", "#1f2933", chunk, TEXT))
    return pairs


def test_the_colours_the_code_paints_meet_wcag_aa() -> None:
    failing = [
        f"{p.where}: {p.foreground} on {p.background} = {ratio(p.foreground, p.background):.2f} < {p.minimum}"
        for p in code_pairs()
        if ratio(p.foreground, p.background) < p.minimum
    ]
    assert failing == [], "\n".join(failing)


def test_placeholder_hints_meet_wcag_aa(qtbot) -> None:
    """Qt would draw them at half the text's opacity; the app's palette gives them a grey."""
    for widget, background in ((QLineEdit(), WHITE), (QPlainTextEdit(), "#fffdf5")):
        qtbot.addWidget(widget)
        widget.setPlaceholderText("Search text and notes")
        widget.ensurePolished()
        hint = widget.palette().color(QPalette.ColorRole.PlaceholderText)
        assert hint.alpha() == 255
        assert ratio(hint.name(), background) >= TEXT, type(widget).__name__
