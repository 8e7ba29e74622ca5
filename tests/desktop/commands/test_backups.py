"""`policy-tracker backup`, `restore`, the daily copy a fetch takes, and the "site may have
changed" warning of `sources` (tests/trust/README.md), through the real command."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from pytest_httpserver import HTTPServer
from werkzeug import Response

from db.backups import daily_backup, daily_backups
from db.store import Store
from desktop.cli import build_parser
from tests.db.helpers import item
from tests.trust.conftest import cli


def _store_with_a_note(path: Path) -> None:
    with Store.open(path) as store:
        store.save_announcements("src", [item(n) for n in range(5)])
        store.set_note(1, "keep me")


def _note(path: Path) -> str | None:
    with Store.open(path) as store:
        return store.record(1)["note"]  # type: ignore[index]


def test_backup_then_restore_brings_the_note_back(tmp_path: Path) -> None:
    db = tmp_path / "tracker.sqlite3"
    _store_with_a_note(db)
    made = cli("--db", db, "backup", "--to", tmp_path / "monday.sqlite", home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert re.fullmatch(
        rf"backed up the store of {re.escape(str(db))} to {re.escape(str(tmp_path / 'monday.sqlite'))}"
        r" \(\d+\.\d MB, \d+\.\d\d s\)",
        made.stdout.strip(),
    )
    again = cli("--db", db, "backup", "--to", tmp_path / "monday.sqlite", home=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr

    with Store.open(db) as store:
        store.set_note(1, "overwritten by mistake")
    restored = cli("--db", db, "restore", tmp_path / "monday.sqlite", home=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert f"restored {db} from {tmp_path / 'monday.sqlite'}: 5 records (" in restored.stdout
    assert " MB, " in restored.stdout and " s)" in restored.stdout
    assert _note(db) == "keep me"
    kept = Path(restored.stdout.split("the store as it was before is kept at ")[1].strip())
    assert _note(kept) == "overwritten by mistake"  # the replaced store is kept too

    default = cli("--db", db, "backup", home=tmp_path)
    assert default.returncode == 0 and "/backups/tracker-manual-" in default.stdout


def test_user_work_backup_and_restore_onto_a_store_fetched_again(tmp_path: Path) -> None:
    db = tmp_path / "tracker.sqlite3"
    _store_with_a_note(db)
    saved = tmp_path / "work.sqlite"
    made = cli("--db", db, "backup", "--user-work", "--to", saved, home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert f"backed up the user work of 1 records of {db} to {saved} (" in made.stdout
    assert " MB, " in made.stdout
    fresh = tmp_path / "fresh" / "tracker.sqlite3"
    fresh.parent.mkdir()
    with Store.open(fresh) as store:  # fetched again: other row ids, and one record gone
        store.save_announcements("src", [item(n) for n in (4, 3, 2)])
        store.save_announcements("src", [item(0)])
    restored = cli("--db", fresh, "restore", saved, home=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "1 records matched by their link, 0 not in this store" in restored.stdout
    assert " MB, " in restored.stdout
    with Store.open(fresh) as store:
        assert store.record(4)["note"] == "keep me"  # type: ignore[index]
    gone = tmp_path / "gone" / "tracker.sqlite3"
    gone.parent.mkdir()
    with Store.open(gone) as store:
        store.save_announcements("src", [item(9)])
    partial = cli("--db", gone, "restore", saved, home=tmp_path)
    assert partial.returncode == 0, partial.stderr
    assert "0 records matched by their link, 1 not in this store" in partial.stdout
    assert "not in this store: Announcement 0" in partial.stdout


def test_restore_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    db = tmp_path / "tracker.sqlite3"
    _store_with_a_note(db)
    before = db.read_bytes()
    sheet = tmp_path / "tracker.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not a database")
    other = tmp_path / "firefox-places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE moz_places (url)")
    conn.commit()
    conn.close()
    for stranger, why in ((sheet, "not an SQLite database"), (other, "not a Policy Tracker database")):
        result = cli("--db", db, "restore", stranger, home=tmp_path)
        assert result.returncode == 1
        assert why in result.stderr and "Nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr
    missing = cli("--db", db, "restore", tmp_path / "nowhere.sqlite", home=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert db.read_bytes() == before
    assert not list((tmp_path / "backups").glob("*before-restore*"))  # no copy was even needed


def test_fetch_takes_the_days_backup_once(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.xml").respond_with_data(
        "<rss><channel><item><title>One</title><link>https://example.org/1</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nid = "a"\nname = "A"\nkind = "feed"\nurl = "{httpserver.url_for("/feed.xml")}"\n',
        encoding="utf-8",
    )
    db = tmp_path / "tracker.sqlite3"
    for _ in range(2):
        result = cli("--db", db, "fetch", "--sources", sources, "--delay", "0", home=tmp_path)
        assert result.returncode == 0, result.stderr
    [daily] = daily_backups(db)  # none for the fetch that created the store; one for the day
    assert daily_backup(db) is None  # and no second one today
    with Store.open(daily) as copy:
        assert copy.source_rows()[0]["record_count"] == 1


def test_fetch_keeps_its_daily_copies_within_the_window_s_budget(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("<rss><channel></channel></rss>")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nid = "a"\nname = "A"\nkind = "feed"\nurl = "{httpserver.url_for("/feed.xml")}"\n',
        encoding="utf-8",
    )
    db = tmp_path / "tracker.sqlite3"
    _store_with_a_note(db)
    today = datetime.now(UTC).date()  # the day the daily copies are named by
    for days_ago in (3, 2, 1):
        daily_backup(db, today=today - timedelta(days=days_ago))
    assert len(daily_backups(db)) == 3
    # The window's Settings file (QSettings, INI): room for little more than one copy.
    written = QSettings(str(tmp_path / "policytracker.eu" / "Policy Tracker.ini"), QSettings.Format.IniFormat)
    written.setValue("backups/budget_gb", 1.5 * db.stat().st_size / 1e9)
    written.sync()
    result = cli("--db", db, "fetch", "--sources", sources, "--delay", "0", home=tmp_path)
    assert "no daily backup" not in result.stderr, result.stderr
    [kept] = daily_backups(db)  # today's; the older three no longer fit
    assert kept.name == f"tracker-daily-{today:%Y%m%d}.sqlite"


def test_sources_says_the_site_may_have_changed(httpserver: HTTPServer, tmp_path: Path) -> None:
    """200 and a page, but nothing in it any more: fetch fails loudly, `sources` says why."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    items = "".join(f'<li><a href="/news/{n}">News {n}</a></li>' for n in range(9))
    pages = [f"<html><ul class='news'>{items}</ul></html>"] * 3 + [
        "<html><div class='new-layout'>…</div></html>"
    ]
    served = iter(pages)
    httpserver.expect_request("/news").respond_with_handler(
        lambda request: Response(next(served), content_type="text/html")
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nid = "listing"\nname = "Listing"\nkind = "html_list"\n'
        f'url = "{httpserver.url_for("/news")}"\n'
        '[source.selectors]\nitem = "ul.news li"\ntitle = "a"\nlink = "a"\n',
        encoding="utf-8",
    )
    db = tmp_path / "tracker.sqlite3"
    codes = []
    for _ in pages:
        fetched = cli("--db", db, "fetch", "--sources", sources, "--delay", "0", home=tmp_path)
        codes.append(fetched.returncode)
    assert codes == [0, 0, 0, 1], fetched.stdout + fetched.stderr
    why = (
        "0 items where the last 3 refreshes had 9; the selectors item “ul.news li” and link “a”"
        " match no entry on the page"
    )
    assert f"listing: SITE CHANGED? {why}" in fetched.stdout
    listing = cli("--db", db, "sources", "--sources", sources, home=tmp_path)
    assert f"listing [html_list] configured: SITE CHANGED? {why} (since " in listing.stdout
    assert "9 records" in listing.stdout  # and nothing already saved was dropped


def test_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]  # type: ignore[union-attr]
    for name, sub in commands.choices.items():  # type: ignore[union-attr]
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest}"
    assert {"backup", "restore"} <= set(commands.choices)  # type: ignore[union-attr]
