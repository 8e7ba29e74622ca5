"""End to end through `policy-tracker fetch`: the press corner's search gives each document's
day, its document the time. A second fetch whose search answers 200 (new bytes, same
documents) must not read the documents again, nor touch the stored times (docs/TRUST.md)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sources_file import load_sources
from scrapers.kinds import get_kind
from tests.cli_run import run_cli
from tests.default_web import DETAILS, FIXTURES, LISTINGS, serve_default_sources
from tests.fakeweb import FakeWeb

SOURCE = "ec-presscorner"


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


def _fetch(db: Path, sources: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("--db", db, "fetch", "--sources", sources, "--delay", "0", "--only", SOURCE, home=home)


def _serve_each_document_on_its_day(web: FakeWeb, sources: Path) -> tuple[str, int]:
    """Each listed document, answering with a time on the day the search gives it; returns the
    search's address and how many documents it lists."""
    source = next(s for s in load_sources(sources) if s.id == SOURCE)
    search = web.rewrite((FIXTURES / LISTINGS[SOURCE][0]).read_text(encoding="utf-8"))
    document = json.loads(DETAILS["presscorner"][0].read_text(encoding="utf-8"))
    listed = get_kind("presscorner").parse(search.encode("utf-8"), source, base_url=source.url)
    for item in listed:
        assert item.detail_url and item.identifier and item.published_at
        answer = {
            **document,
            "refCd": item.identifier,
            "publishDate": f"{item.published_at[:10]}T12:42:00+01:00",
        }
        web.serve(
            item.detail_url, json.dumps(answer), "application/json", when={"reference": item.identifier}
        )
    return source.url, len(listed)


def _documents_read(web: FakeWeb, since: int) -> list[tuple[str, str, str, int]]:
    return [r for r in web.log[since:] if "/api/documents" in r[2]]


def _stored(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, published_at, body FROM records ORDER BY url").fetchall()


def test_a_search_answering_200_again_reads_no_document_again(web: FakeWeb, tmp_path: Path) -> None:
    sources = serve_default_sources(web, tmp_path)
    search_url, listed = _serve_each_document_on_its_day(web, sources)
    db = tmp_path / "store.sqlite3"

    first = _fetch(db, sources, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(_documents_read(web, 0)) == listed
    stored = _stored(db)
    assert [published[11:] for _url, published, _body in stored] == ["11:42:00Z"] * listed

    # The same documents in new bytes: a new ETag, so the search answers 200, not 304.
    search = (FIXTURES / LISTINGS[SOURCE][0]).read_text(encoding="utf-8") + "\n"
    web.serve(search_url, web.rewrite(search), "application/json")
    before = len(web.log)
    second = _fetch(db, sources, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr

    assert [r[3] for r in web.log[before:] if "/api/search" in r[2]] == [200]
    assert _documents_read(web, before) == []
    assert _stored(db) == stored
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM record_versions").fetchone()[0] == 0
