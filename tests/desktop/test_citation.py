"""Copy as citation: "Title. Source, 3 March 2026. URL", in the user's time zone."""

from __future__ import annotations

import pytest

from desktop.citation import citation

RECORD = {
    "title": "Commission opens applications for AI Factories",
    "source_names": ["European Commission news"],
    "published_at": "2026-03-02T23:30:00Z",
    "url": "https://ec.europa.eu/commission/presscorner/detail/en/ip_26_1",
}


def test_title_source_day_and_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Brussels")  # 23:30 UTC on the 2nd is the 3rd in Brussels
    import time

    time.tzset()
    try:
        assert citation(RECORD) == (
            "Commission opens applications for AI Factories. European Commission news, 3 March 2026."
            " https://ec.europa.eu/commission/presscorner/detail/en/ip_26_1"
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_missing_parts_are_left_out_with_their_punctuation() -> None:
    bare = {"title": "Is AI working?\n", "source_name": "GOV.UK: DSIT", "url": "javascript:alert(1)"}
    assert citation(bare) == "Is AI working? GOV.UK: DSIT."
    assert citation({"title": "  A\ttitle\r\non lines\x07 "}) == "A title on lines."
    assert citation({}) == "(untitled)."
