"""`policy-tracker export --ics` with a watchlist or a view, reminders as asked, and clear
refusals (exit 2, nothing written) for what cannot be exported."""

from __future__ import annotations

from pathlib import Path

import icalendar

from tests.cli_run import run_cli
from tests.db.helpers import item, open_store


def _store(path: Path) -> None:
    store = open_store(path)
    store.save_announcements(
        "src",
        [
            item(1, title="AI Act sandbox call", deadline_at="2027-02-01T16:00:00Z", jurisdiction="EU"),
            item(2, title="Bridges call", deadline_at="2027-03-01T16:00:00Z", jurisdiction="EU"),
            item(3, title="AI Act news without a deadline"),
        ],
    )
    store.close()


def test_a_watchlist_by_name_without_reminders(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    _store(db)
    target = tmp_path / "ai-act.ics"
    result = run_cli(
        "--db", db, "export", "--ics", target, "--view", "ai act", "--alarms", "none", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "exported 1 deadlines (calendar events)" in result.stdout
    (event,) = icalendar.Calendar.from_ical(target.read_bytes()).events
    assert str(event["SUMMARY"]) == "Deadline: AI Act sandbox call"
    assert event.subcomponents == []  # no VALARM
    assert event.DTSTART.hour == 17 and str(event.DTSTART.tzinfo) == "Europe/Brussels"


def test_an_unknown_view_or_reminders_without_a_calendar_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    _store(db)
    target = tmp_path / "x.ics"
    unknown = run_cli("--db", db, "export", "--ics", target, "--view", "Nope", home=tmp_path)
    assert unknown.returncode == 2
    assert "no view or watchlist called 'Nope'" in unknown.stderr and "AI sovereignty" in unknown.stderr
    alarms = run_cli("--db", db, "export", "--csv", tmp_path / "x.csv", "--alarms", "7", home=tmp_path)
    assert alarms.returncode == 2 and "--alarms goes with --ics" in alarms.stderr
    assert not target.exists() and not (tmp_path / "x.csv").exists()
