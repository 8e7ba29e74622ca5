"""End to end: a site that changes under a source. The real `policy-tracker fetch` against local
servers first reads the usual listing, then a listing whose shape collapsed: it exits 1 with a
line that says what changed, `policy-tracker sources`, the Sources dialog and the sidebar say it
too, and no stored record is deleted or changed. A good refresh clears the mark."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug import Response

from db.store import Store
from desktop import health
from desktop.refresh import refresh
from desktop.sources_file import load_sources
from desktop.sources_writer import write_sources
from desktop.ui.dialogs.sources_dialog import COL_HEALTH, COL_NAME, SourcesDialog
from scrapers.model import Source
from tests.default_web import FIXTURES, serve_default_sources
from tests.desktop.conftest import fast_client
from tests.fakeweb import FakeWeb
from tests.trust.conftest import cli

EU = "eu-funding-calls"
REAL_TOPIC = "HORIZON-CL5-2024-D2-01-03"


def _json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _topics(count: int) -> list[dict[str, Any]]:
    """The captured SEDIA result (tests/fixtures/eu_funding/captured/sedia-search-result-item.json) as
    `count` topics with distinct identifiers: a listing the size of the real one."""
    real = _json("eu_funding/captured/sedia-search-result-item.json")
    topics = []
    for number in range(count):
        topic = copy.deepcopy(real)
        identifier = f"HORIZON-CL5-2024-D2-01-{number + 10:02d}"
        topic["metadata"]["identifier"] = [identifier]
        topic["url"] = topic["url"].replace(REAL_TOPIC, identifier)
        topic["reference"] = f"{topic['reference']}-{number}"
        topics.append(topic)
    return topics


def _serve_listing(web: FakeWeb, source: Source, topics: list[dict[str, Any]]) -> None:
    envelope = _json("eu_funding/captured/europa-search-api-envelope.json")
    envelope.update(results=topics, totalResults=len(topics), pageNumber=1, pageSize=100)
    web.serve(source.url, json.dumps(envelope), "application/json", method="POST")
    details = (FIXTURES / "eu_funding/constructed/topic-details-constructed.json").read_text(encoding="utf-8")
    for topic in topics:
        identifier = topic["metadata"]["identifier"][0]
        address = source.options["detail_url_template"].replace("{id_lower}", identifier.lower())
        web.serve(address, details.replace(REAL_TOPIC, identifier), "application/json")


def _records(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM records ORDER BY id").fetchall()


def _versions(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM record_versions").fetchone()[0])


def _line(output: str, source_id: str) -> str:
    [line] = [
        x for x in output.splitlines() if x.startswith(f"{source_id}:") or x.startswith(f"{source_id} ")
    ]
    return line


def test_a_collapsed_listing_is_said_everywhere_and_changes_nothing(
    qtbot, make_window, tmp_path: Path
) -> None:
    web = FakeWeb()
    try:
        sources_file = serve_default_sources(web, tmp_path)
        source = next(s for s in load_sources(sources_file) if s.id == EU)
        usual = _topics(30)
        _serve_listing(web, source, usual)
        db = tmp_path / "store.sqlite3"
        fetch = ("--db", db, "fetch", "--sources", sources_file, "--delay", "0", "--only", EU)

        first = cli(*fetch, home=tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "SITE CHANGED" not in first.stdout
        with Store.open(db) as store:
            store.set_note(1, "brief the director")
        before, versions = _records(db), _versions(db)
        assert len(before) == 30 and all(row_has_deadline(db, row[0]) for row in before)

        broken = copy.deepcopy(usual)  # the index stops sending deadlines, and lists one new call
        for topic in broken[3:]:
            del topic["metadata"]["deadlineDate"]
        broken += _topics(31)[30:]
        _serve_listing(web, source, broken)
        second = cli(*fetch, home=tmp_path)
    finally:
        web.stop()

    assert second.returncode == 1, second.stdout + second.stderr
    assert _line(second.stdout, EU) == (
        f"{EU}: SITE CHANGED? deadline missing on 27 of 31 calls; the last refresh had one on all"
        " (1 new; stored records left as they were)"
    )
    after = _records(db)
    assert after[:30] == before and _versions(db) == versions  # nothing deleted, nothing changed
    assert len(after) == 31  # the new call is there

    listed = cli("--db", db, "sources", "--sources", sources_file, home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "SITE CHANGED? deadline missing on 27 of 31 calls" in _line(listed.stdout, EU)

    with Store.open(db) as store:
        rows = store.source_rows()
    dialog = SourcesDialog(load_sources(sources_file), rows, sources_path_text=str(sources_file))
    qtbot.addWidget(dialog)
    [number] = [
        n for n in range(dialog.table.rowCount()) if dialog.table.item(n, COL_NAME).text() == source.name
    ]
    cell = dialog.table.item(number, COL_HEALTH)
    assert cell.text() == "Site changed? deadline missing on 27 of 31 calls; the last refresh had one on all"
    assert "Nothing saved was deleted" in cell.toolTip()
    assert not dialog.site_changed.isHidden()
    assert f"{source.name}: deadline missing on 27 of 31 calls" in dialog.site_changed.text()

    window, controller = make_window(db)
    controller.counts.refresh_sidebar()
    qtbot.waitUntil(
        lambda: (window.sidebar.source_state(EU) or ("",))[0] == health.SITE_CHANGED, timeout=10_000
    )
    _state, tooltip = window.sidebar.source_state(EU) or ("", "")
    assert "deadline missing on 27 of 31 calls" in tooltip
    assert window.last_refresh_label.text().endswith("· 1 source may have changed")


def row_has_deadline(db: Path, record_id: int) -> bool:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("SELECT deadline_at FROM records WHERE id = ?", (record_id,)).fetchone()[0]
            is not None
        )


def test_the_mark_stays_until_a_good_refresh_and_a_marked_page_is_read_again(tmp_path: Path) -> None:
    """A feed on a local server: usual, then empty (marked; its ETag is not kept, so the same
    empty page is fetched and judged again instead of a 304), then usual again (cleared)."""
    web = FakeWeb()
    try:
        sources_file = serve_default_sources(web, tmp_path)
        feed = next(s for s in load_sources(sources_file) if s.id == "digital-strategy-news")
        usual = web.rewrite(
            (FIXTURES / "feed/constructed/digital-strategy-rss.xml").read_text(encoding="utf-8")
        )
        empty = usual.split("<item>", 1)[0] + "</channel></rss>"
        db = tmp_path / "store.sqlite3"

        def once(body: str) -> list[str]:
            web.serve(feed.url, body, "application/rss+xml")
            [outcome] = refresh(db, [feed], client=fast_client()).outcomes
            assert outcome.ok, outcome.error
            return list(outcome.site_changed)

        assert once(usual) == []
        assert once(empty) == ["0 items where the last refresh had 3"]
        assert once(empty) == ["0 items where the last refresh had 3"]
        path = urlsplit(feed.url).path
        assert [status for _h, _m, p, status in web.log if p.startswith(path)] == [200, 200, 200]
        assert once(usual) == []
        with Store.open(db) as store:
            [row] = [r for r in store.source_rows() if r["id"] == feed.id]
        assert row["site_changed"] == [] and row["site_changed_since"] is None
    finally:
        web.stop()


def test_the_window_s_own_refresh_marks_a_collapsed_source(
    qtbot, make_window, httpserver, tmp_path: Path
) -> None:
    """The window's Refresh, twice against a local feed: usual, then the same address answering
    a feed with no items. The sidebar shows the warning sign with the reason, the status line
    says a source may have changed."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    usual = (FIXTURES / "feed/constructed/digital-strategy-rss.xml").read_text(encoding="utf-8")
    pages = iter([usual, usual.split("<item>", 1)[0] + "</channel></rss>"])
    httpserver.expect_request("/rss.xml").respond_with_handler(
        lambda request: Response(next(pages), content_type="application/rss+xml")
    )
    sources_file = tmp_path / "sources.toml"
    feed = Source(id="news", name="News", kind="feed", url=httpserver.url_for("/rss.xml"), category="press")
    write_sources(sources_file, [feed])
    window, controller = make_window(tmp_path / "store.sqlite3", sources_path=sources_file)
    marked_at_once: list[str] = []  # what the sidebar shows as each source's result arrives
    controller.refreshing.runner.source_done.connect(
        lambda _outcome: marked_at_once.append(_sidebar_state(window))
    )
    for expected in (health.OK, health.SITE_CHANGED):
        with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
            assert controller.refreshing.start_refresh()
        qtbot.waitUntil(lambda want=expected: _sidebar_state(window) == want, timeout=10_000)
    assert marked_at_once == [health.OK, health.SITE_CHANGED]
    assert finished.args[0].text() == "0 new, 0 changed, 1 source may have changed"
    _state, tooltip = window.sidebar.source_state("news") or ("", "")
    assert "0 items where the last refresh had 3" in tooltip
    assert "1 source may have changed" in window.statusBar().currentMessage()


def _sidebar_state(window: Any) -> str:
    return str((window.sidebar.source_state("news") or ("",))[0])
