"""What a refresh's changes mean for the window: an alert only for what the user asked to hear
about, and the What changed view's sections."""

from __future__ import annotations

from db.changes import Changes, FieldChange, RecordRef, WatchlistNews
from desktop.ui.change_alerts import WHAT_CHANGED, alert_for, heading_of, sections_of
from desktop.ui.views.sidebar import WATCHLIST

SINCE = "2026-03-05T09:10:00.000Z"


def ref(record_id: int, *, followed: bool = False, deadline: str | None = None) -> RecordRef:
    return RecordRef(record_id, f"Call {record_id}", f"https://example.org/{record_id}", deadline, followed)


def news(watchlist_id: int, name: str, count: int, *, notify: bool = True) -> WatchlistNews:
    return WatchlistNews(watchlist_id, name, notify, count, tuple(ref(100 + n) for n in range(min(count, 2))))


def test_one_watchlists_news_opens_that_watchlist() -> None:
    alert = alert_for(Changes(SINCE, new_in_watchlists=(news(7, "AI Act", 3),)))
    assert alert is not None
    assert (alert.text, alert.target) == ("3 new in AI Act", (WATCHLIST, "7"))


def test_watchlists_with_alerts_off_and_unfollowed_moves_raise_nothing() -> None:
    moved = FieldChange(ref(1), "2026-09-17T15:00:00Z", "2026-10-15T15:00:00Z")
    changes = Changes(SINCE, new_in_watchlists=(news(7, "Muted", 4, notify=False),), deadlines_moved=(moved,))
    assert changes and alert_for(changes) is None
    assert alert_for(Changes(SINCE)) is None


def test_followed_moves_join_the_alert_which_then_opens_what_changed() -> None:
    moved = FieldChange(ref(1, followed=True), "2026-09-17T15:00:00Z", "2026-10-15T15:00:00Z")
    budget = FieldChange(ref(2, followed=True), 1_000_000, 2_000_000, "EUR")
    other = FieldChange(ref(3), 5, 6, "EUR")
    changes = Changes(
        SINCE,
        new_in_watchlists=(news(7, "AI Act", 3),),
        deadlines_moved=(moved,),
        budgets_changed=(budget, other),
    )
    alert = alert_for(changes)
    assert alert is not None
    assert alert.text == "3 new in AI Act · 1 deadline moved · 1 budget changed"
    assert alert.target == WHAT_CHANGED


def test_the_sections_say_old_to_new_and_how_many_are_listed() -> None:
    moved = FieldChange(ref(1, followed=True), "2026-09-17T15:00:00Z", "2026-10-15T15:00:00Z")
    changes = Changes(SINCE, new_in_watchlists=(news(7, "AI Act", 5),), deadlines_moved=(moved,))
    sections = {s.title: s.lines for s in sections_of(changes)}
    assert len(sections["New in AI Act (the newest 2 of 5)"]) == 2
    (line,) = sections["Deadlines moved"]
    assert (line.record_id, line.title) == (1, "Call 1")
    assert line.what.startswith("deadline 17 Sep") and line.what.endswith("→ 15 Oct 2026 · ★ you follow it")
    assert sections["Budgets changed"] == ()
    assert heading_of(changes).endswith(": 5 new records in watchlists, 1 deadline moved.")
    assert heading_of(Changes(SINCE)).endswith(": nothing new, nothing moved.")
