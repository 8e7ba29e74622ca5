"""The site-changed alarm's rules: what counts as a collapse, what is only a small source's
wobble, and how the verdict is kept in a real store (profile, mark, validators)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import Store
from desktop.site_change import KEEP_PROFILES, Profile, check, what_changed
from scrapers.model import Announcement, Source

FEED = Source(id="news", name="News", kind="feed", url="https://example.org/feed")
CALLS = Source(id="calls", name="Calls", kind="eu_funding", url="https://example.org/search")


def shape(items: int, dated: int | None = None, deadline: int = 0, budget: int = 0, text: int = 0) -> Profile:
    return Profile(items, items if dated is None else dated, deadline, budget, text)


def test_nothing_to_compare_with_is_no_alarm() -> None:
    assert what_changed(shape(0), [], FEED) == []


def test_zero_items_where_there_were_about_thirty() -> None:
    recent = [shape(28), shape(31), shape(30)]
    assert what_changed(shape(0), recent, FEED) == ["0 items where the last 3 refreshes had 28–31"]


def test_deadlines_missing_on_most_calls() -> None:
    recent = [shape(30, deadline=30)] * 5
    assert what_changed(shape(30, deadline=3), recent, CALLS) == [
        "deadline missing on 27 of 30 calls; the last 5 refreshes had one on all"
    ]


def test_several_fields_collapsing_are_each_said() -> None:
    recent = [shape(20, deadline=18, budget=20, text=20), shape(20, deadline=20, budget=19, text=20)]
    reasons = what_changed(shape(20, dated=20, deadline=0, budget=0, text=20), recent, CALLS)
    assert reasons == [
        "deadline missing on 20 of 20 calls; the last 2 refreshes had one on 90–100 %",
        "budget missing on 20 of 20 calls; the last 2 refreshes had one on 95–100 %",
    ]


@pytest.mark.parametrize(
    ("recent", "now"),
    [
        ([shape(3), shape(3)], shape(1)),  # a 3-item feed listing one item today
        ([shape(2), shape(3)], shape(0)),  # a tiny feed that is empty today
        ([shape(3, deadline=2)], shape(3, deadline=0)),  # 2 of 3 → 0 of 3: too few to judge
        ([shape(30, deadline=10)], shape(30, deadline=0)),  # deadlines were never the rule
        ([shape(40), shape(42)], shape(20)),  # half as many: a quiet week, not a broken page
        ([shape(30, deadline=30)], shape(12, deadline=11)),  # fewer items, each still complete
    ],
)
def test_small_sources_and_normal_wobble_raise_no_alarm(recent: list[Profile], now: Profile) -> None:
    assert what_changed(now, recent, FEED) == []


def test_a_small_feed_that_loses_every_date_is_said() -> None:
    """Three items, all dated for weeks, then none: not noise, the dates moved."""
    assert what_changed(shape(3, dated=0), [shape(3)] * 4, FEED) == [
        "date missing on 3 of 3 items; the last 4 refreshes had one on all"
    ]


def test_selector_text_from_the_sources_file_is_shown_escaped() -> None:
    source = Source(
        id="page",
        name="Page",
        kind="html_list",
        url="https://example.org/",
        options={"selectors": {"item": "li\x1b[31m", "link": "a", "date": ".d\u202e"}},
    )
    [count] = what_changed(shape(0), [shape(10)], source)
    assert "li\\x1b[31m" in count and "\x1b" not in count
    [date] = what_changed(shape(10, dated=0), [shape(10)], source)
    assert date.startswith("date missing on 10 of 10 items (selector date “.d\\u202e”)")


def _items(count: int, *, deadline: bool = True) -> list[Announcement]:
    return [
        Announcement(
            url=f"https://example.org/call/{n}",
            title=f"Call {n}",
            published_at="2026-03-01T09:00:00Z",
            deadline_at="2026-06-01T15:00:00Z" if deadline else None,
        )
        for n in range(count)
    ]


def test_the_verdict_is_kept_in_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "tracker.sqlite3") as store:
        for _ in range(KEEP_PROFILES + 2):
            assert check(store, CALLS, _items(30)) == []
        assert len(store.recent_profiles("calls")) == KEEP_PROFILES
        [row] = store.source_rows()
        assert (row["site_changed"], row["site_changed_since"]) == ([], None)

        reasons = check(store, CALLS, _items(30, deadline=False))
        assert reasons == ["deadline missing on 30 of 30 calls; the last 5 refreshes had one on all"]
        [row] = store.source_rows()
        assert row["site_changed"] == reasons and row["site_changed_since"]
        # A collapsed shape never joins the profile, so a second broken refresh says the same.
        assert len(store.recent_profiles("calls")) == KEEP_PROFILES
        since = row["site_changed_since"]
        assert check(store, CALLS, _items(30, deadline=False)) == reasons
        assert store.source_rows()[0]["site_changed_since"] == since

        assert check(store, CALLS, _items(29)) == []  # the site is back: the mark goes
        [row] = store.source_rows()
        assert (row["site_changed"], row["site_changed_since"]) == ([], None)
