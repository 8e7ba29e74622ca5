"""A source's health in words, as the sidebar and the Sources dialog show it: switched off,
never fetched, failing (the last attempt's error, and when it last worked), the site that may
have changed (each reason, escaped), or OK with when and how many items."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.health import DISABLED, FAILING, NEVER, OK, SITE_CHANGED, source_health

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
EARLIER = "2026-03-05T11:00:00Z"  # the same local day as NOW in every zone from UTC-11 to UTC+11


def test_a_switched_off_source_says_so_whatever_else_is_stored() -> None:
    health = source_health({"enabled": False, "last_error": "timed out"}, now=NOW)
    assert (health.state, health.label, health.summary) == (DISABLED, "Disabled", "Disabled")


def test_a_source_never_fetched_asks_for_a_refresh() -> None:
    health = source_health({"enabled": True}, now=NOW)
    assert (health.state, health.detail) == (NEVER, "Not fetched yet: press Refresh.")


def test_a_failing_source_gives_its_error_on_one_line_and_when_it_last_worked() -> None:
    row = {"last_attempt_at": EARLIER, "last_success_at": None, "last_error": "HTTP 503\n  from the server"}
    health = source_health(row, now=NOW)
    assert health.state == FAILING
    assert health.summary == "Failing: HTTP 503 from the server"
    assert health.detail.endswith("HTTP 503\n  from the server\n\nNever fetched successfully.")
    worked = source_health({**row, "last_success_at": "2026-03-01T09:00:00Z"}, now=NOW)
    assert "Last success: 1 Mar 2026" in worked.detail


def test_a_site_that_may_have_changed_lists_each_reason_escaped() -> None:
    row = {
        "last_attempt_at": EARLIER,
        "last_success_at": EARLIER,
        "last_item_count": 0,
        "site_changed": ["no items (40 before)", "\x1b[31mred\x1b[0m"],
        "site_changed_since": EARLIER,
    }
    health = source_health(row, now=NOW)
    assert health.state == SITE_CHANGED
    assert health.summary == "Site changed? no items (40 before)"
    assert "• no items (40 before)" in health.detail
    assert "\x1b" not in health.detail  # a control character from a site never reaches the screen
    assert "Nothing saved was deleted or cleared" in health.detail


def test_a_healthy_source_says_when_and_how_many_items() -> None:
    health = source_health(
        {"last_attempt_at": EARLIER, "last_success_at": EARLIER, "last_item_count": 40}, now=NOW
    )
    assert health.state == OK
    assert health.summary.startswith("OK · today ") and health.summary.endswith(" · 40 items")
    assert health.label == "OK"
    one = source_health(
        {"last_attempt_at": EARLIER, "last_success_at": EARLIER, "last_item_count": 1}, now=NOW
    )
    assert one.summary.endswith(" · 1 item") and one.detail.endswith(" · 1 item.")
