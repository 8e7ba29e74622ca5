"""The column rules without a widget: defaults per kind of view, stored layouts read
defensively, and the fit that keeps Title the widest on a narrow window."""

from __future__ import annotations

import pytest

from desktop.ui import column_layout
from desktop.ui.column_layout import (
    CHANGES,
    ELASTIC_FLOOR,
    EVERYTHING,
    FUNDING,
    POLICY,
    ColumnLayout,
    decode,
    default_layout,
    encode,
    fitted_widths,
    kind_of,
    layout_from,
)
from desktop.ui.tracker_columns import COLUMNS

KEYS = tuple(column.sort_key for column in COLUMNS)
# The registry once the funding facets' columns are in it (they may be already).
WITH_FACETS = tuple(dict.fromkeys((*KEYS, "call_status", "programme", "opens")))


def test_the_call_views_and_a_funding_filter_get_the_funding_columns() -> None:
    for view in ("open_funding", "closing_soon", "followed"):
        assert kind_of(view, None) == FUNDING
    assert kind_of("all", "funding") == FUNDING
    assert kind_of("all", "consultation") == POLICY
    assert kind_of("policy", None) == POLICY  # the Policy view
    assert kind_of("all", None) == kind_of("starred", None) == EVERYTHING


def test_changed_since_last_look_shows_what_changed_beside_the_title() -> None:
    assert kind_of("changed", None) == kind_of("changed", "funding") == CHANGES
    assert default_layout(CHANGES, KEYS).visible[:4] == ("star", "title", "what_changed", "deadline")
    assert "what_changed" not in default_layout(EVERYTHING, KEYS).visible


def test_a_funding_view_has_no_category_column_and_skips_columns_not_yet_registered() -> None:
    funding = default_layout(FUNDING, WITH_FACETS)
    assert "category" not in funding.visible
    assert funding.visible[:5] == ("star", "title", "deadline", "days_left", "budget")
    assert default_layout(FUNDING, WITH_FACETS).visible[5:] == ("call_status", "programme", "opens")
    older_registry = [key for key in KEYS if key not in ("call_status", "programme", "opens")]
    assert default_layout(FUNDING, older_registry).visible == funding.visible[:5]
    assert default_layout(POLICY, KEYS).visible == ("star", "title", "published", "source", "tags", "note")


def test_a_stored_layout_comes_back_as_stored() -> None:
    layout = ColumnLayout(("title", "star", "budget"), {"budget": 140})
    data = decode(encode({"view:all": layout.to_data(KEYS)}))
    assert layout_from(data["view:all"], EVERYTHING, KEYS) == layout


def test_a_column_registered_after_the_layout_was_stored_shows_as_its_default_says() -> None:
    older = [key for key in WITH_FACETS if key != "opens"]
    stored = ColumnLayout(("star", "title", "deadline")).to_data(older)
    assert layout_from(stored, FUNDING, WITH_FACETS).visible == ("star", "title", "deadline", "opens")
    not_a_policy_default = ("star", "title", "deadline")
    assert layout_from(stored, POLICY, WITH_FACETS).visible == not_a_policy_default
    hidden_by_user = ColumnLayout(("star", "title")).to_data(KEYS)
    assert layout_from(hidden_by_user, FUNDING, KEYS).visible == ("star", "title")


def test_unknown_columns_and_bad_widths_are_dropped() -> None:
    stored = {
        "visible": ["star", "gone_column", "title", "title", 7],
        "hidden": ["also_gone"],
        "widths": {"star": 40, "title": "wide", "budget": -5, "gone_column": 90, "note": 10**9},
    }
    layout = layout_from(stored, EVERYTHING, KEYS)
    assert layout.visible[:2] == ("star", "title")
    assert "gone_column" not in layout.visible and layout.widths == {"star": 40}


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2]", '"text"', '{"view:all": 5}', '{"view:all": {"visible": "star"}}', "null"],
)
def test_a_corrupt_stored_value_falls_back_to_the_defaults(text: str) -> None:
    layouts = decode(text)
    assert layout_from(layouts.get("view:all"), EVERYTHING, KEYS) == default_layout(EVERYTHING, KEYS)


def test_a_narrow_table_narrows_the_free_text_columns_so_title_stays_the_widest() -> None:
    visible = ("star", "title", "deadline", "budget", "source", "tags")
    typical = {"star": 30, "deadline": 100, "budget": 130, "source": 180, "tags": 140}
    widths = fitted_widths(visible, typical, {}, room=700)
    title = 700 - sum(widths.values())
    assert widths["deadline"] == 100 and widths["budget"] == 130  # dates and budgets kept whole
    assert widths["source"] < 180 and widths["tags"] < 140
    assert widths["source"] >= ELASTIC_FLOOR and widths["tags"] >= ELASTIC_FLOOR
    assert title > max(widths.values()) and title >= 700 * column_layout.TITLE_SHARE


def test_a_wide_table_and_the_users_widths_are_left_alone() -> None:
    visible = ("star", "title", "source")
    typical = {"star": 30, "source": 180}
    assert fitted_widths(visible, typical, {}, room=1500) == typical
    assert fitted_widths(visible, typical, {"source": 400}, room=500) == {"star": 30, "source": 400}
