"""The words of the detail pane's fields: an update day only when it differs, a call's status
with its opening, and at most five lines of changes with a count of the rest."""

from __future__ import annotations

from desktop.ui.views.record_fields import call_status_text, published_text, versions_text

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
