"""The words of the detail pane's fields: an update day only when it differs, a call's status
with its opening, and at most five lines of changes with a count of the rest."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.ui.views.record_fields import call_status_text, deadline_text, published_text, versions_text

NOON = "2026-03-05T12:00:00+00:00"  # the same local day in every zone from UTC-11 to UTC+11
LATER = "2026-04-20T12:00:00+00:00"


def test_the_update_day_is_shown_only_when_it_is_another_day() -> None:
    assert published_text(NOON, NOON) == "5 Mar 2026"
    assert published_text(NOON, LATER) == "5 Mar 2026 · updated 20 Apr 2026"
    assert published_text(None, LATER) == "updated 20 Apr 2026"
    assert published_text(None, None) == ""


def test_a_call_status_starts_with_a_capital_and_says_when_it_opens() -> None:
    assert call_status_text("  forthcoming ", None) == "Forthcoming"
    assert call_status_text("forthcoming", "2026-04-20") == "Forthcoming · opens 20 Apr 2026"
    assert call_status_text(None, "2026-04-20") == "opens 20 Apr 2026"
    assert call_status_text("", None) == ""


def test_changes_are_five_lines_at_most_and_say_how_many_more() -> None:
    change = {"changed_at": NOON, "changes": [["title", "Old", "New"]]}
    unchanged = {"changed_at": NOON, "changes": []}
    assert versions_text([change], None) == "Changed 5 Mar 2026: title Old → New"
    assert versions_text([unchanged], None) == ""  # a refresh that saw no change says nothing
    lines = versions_text([change] * 7, None).splitlines()
    assert len(lines) == 6
    assert lines[-1] == "… and 2 earlier changes"


def test_the_deadline_line_says_its_home_time_and_how_far_off_it_is() -> None:
    """The detail pane: the home zone's time first, then how many days are left, or how long
    ago the call closed (capitalised after the dot; never a negative count)."""
    now = datetime(2027, 2, 6, 9, 0, tzinfo=UTC)
    eu = "2027-02-18T16:00:00Z"  # 17:00 in Brussels
    assert deadline_text(eu, "EU", now).startswith("18 Feb 2027, 17:00 Brussels")
    assert deadline_text(eu, "EU", now).endswith(" · 12 days left")
    assert deadline_text("2027-02-03T16:00:00Z", "EU", now).endswith(" · Closed 3 days ago")
    assert deadline_text("2023-05-20T16:00:00Z", "EU", now).endswith(" · Closed 1,358 days ago")
    assert deadline_text(None, "EU", now) == ""
