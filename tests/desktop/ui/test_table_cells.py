"""What a table cell says: one line cut at CELL_CHARS, the value it sorts by, the colour of a
deadline that is past or close, tooltips that are plain text (search hits escaped, then bold),
and never an empty cell for a screen reader."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.ui.table_cells import (
    CELL_CHARS,
    cell_colour,
    cell_text,
    cell_tooltip,
    one_line,
    sort_value,
    spoken_text,
)

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
ROW = {
    "id": 1,
    "title": "AI   factories\ncall",
    "starred": 1,
    "category": "funding",
    "source_id": "eu-ft",
    "source_name": "EU Funding & Tenders",
    "deadline_at": "2026-03-12T16:00:00Z",
    "budget_amount": 2_500_000.0,
    "budget_currency": "EUR",
    "status": "reviewing",
    "tags": "AI Act; compute",
    "note_first_line": "",
}


def test_a_cell_is_one_line_and_a_long_text_is_cut() -> None:
    assert cell_text(ROW, "title", NOW) == "AI factories call"
    long = one_line("word " * 10_000)
    assert len(long) == CELL_CHARS and long.endswith("…")


def test_days_left_are_counted_for_the_cell_and_its_sort() -> None:
    assert cell_text(ROW, "days_left", NOW) == "7"
    assert sort_value(ROW, "days_left", NOW) == 7
    assert sort_value(ROW, "star", NOW) == 1
    assert sort_value(ROW, "source", NOW) == "eu-ft"  # the id: it has an index


def test_a_close_deadline_is_soon_a_past_one_muted_and_done_work_muted() -> None:
    assert cell_colour(ROW, "days_left", NOW) == "soon"
    assert cell_colour(ROW, "deadline", NOW) is None  # only the days column says "soon"
    past = {**ROW, "deadline_at": "2026-03-01T16:00:00Z"}
    assert cell_colour(past, "deadline", NOW) == cell_colour(past, "days_left", NOW) == "muted"
    assert cell_colour({**ROW, "status": "done"}, "title", NOW) == "muted"
    assert cell_colour({**ROW, "starred": 0}, "star", NOW) == "mark_off"


def test_tooltips_are_plain_and_search_hits_are_escaped_then_bold() -> None:
    assert cell_tooltip(ROW, "note", None) is None  # no note, no tooltip
    hostile = [("<img src=x> ", False), ("AI", True)]
    tip = cell_tooltip(ROW, "title", lambda: hostile)
    assert tip is not None and "<b>AI</b>" in tip and "&lt;img src=x&gt;" in tip and "<img" not in tip
    assert cell_tooltip(ROW, "title", None) == cell_tooltip(ROW, "title", lambda: [])


def test_a_screen_reader_never_hears_an_empty_cell() -> None:
    assert spoken_text(ROW, "star", "★", NOW) == "Starred"
    assert spoken_text(ROW, "note", "Note", NOW) == "No note"
    assert spoken_text(ROW, "budget", "Budget", NOW) == cell_text(ROW, "budget", NOW)


def test_the_funding_facets_have_their_cells_and_sort_values() -> None:
    row = {
        **ROW,
        "call_status": "forthcoming",
        "programme": "Horizon Europe · Cluster 4: Digital,\nIndustry and Space",
        "action_type": "HORIZON Research and Innovation Actions",
        "opens_at": "2026-11-17T00:00:00Z",
    }
    assert cell_text(row, "call_status", NOW) == "Forthcoming"
    assert cell_text(row, "programme", NOW) == "Horizon Europe · Cluster 4: Digital, Industry and Space"
    assert cell_text(row, "action_type", NOW) == "HORIZON Research and Innovation Actions"
    assert cell_text(row, "opens", NOW) == "17 Nov 2026"
    assert sort_value(row, "opens", NOW) == "2026-11-17T00:00:00Z"
    assert "Cluster 4: Digital, Industry and Space</p>" in (cell_tooltip(row, "programme", None) or "")
    assert spoken_text(ROW, "programme", "Programme", NOW) == "No programme"


def test_days_left_for_past_deadlines_say_when_they_closed_then_nothing() -> None:
    """A call closed 3 days ago says so; one closed years ago leaves the cell empty (it read
    "-1325"); both still sort by their raw number of days and are muted."""
    recent = {**ROW, "deadline_at": "2026-03-02T16:00:00Z"}
    ancient = {**ROW, "deadline_at": "2022-07-19T16:00:00Z"}
    assert cell_text(recent, "days_left", NOW) == "closed 3 d ago"
    assert cell_text(ancient, "days_left", NOW) == ""
    assert spoken_text(ancient, "days_left", "Days left", NOW) == "No days left"
    assert sort_value(recent, "days_left", NOW) == -3
    assert sort_value(ancient, "days_left", NOW) < sort_value(recent, "days_left", NOW)
    assert cell_colour(ancient, "days_left", NOW) == cell_colour(recent, "days_left", NOW) == "muted"
    assert cell_text(ROW, "days_left", NOW) == "7"


def test_what_changed_escapes_the_sites_text() -> None:
    """A changed title is the site's text: its control characters are shown as escapes."""
    row = {**ROW, "changes_since_read": [("title", "Old\x1b[2J", "New\u202etitle")]}
    assert cell_text(row, "what_changed", NOW) == "Title Old\\x1b[2J → New\\u202etitle"
