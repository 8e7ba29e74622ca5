"""CSV import: our export round-trips exactly; hand-made trackers work; bad files say why."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.csv_io import EXPORT_COLUMNS, neutralise, restore
from db.store import Query, Store, StoreError
from tests.db.helpers import item, open_store, user_data

DANGER = ["=", "+", "-", "@", "\t", "\r", "\n", "\x00", "'", "'=", "''-", '"', ",", ";", " "]
text = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["", *DANGER]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=25),
)
tag_names = st.sampled_from(
    ["AI Act", "compute", "=cmd", "-minus", "+plus", "@at", "Sovereignty", "for Friday's brief"]
)
records = st.lists(
    st.fixed_dictionaries(
        {
            "title": text,
            "summary": st.none() | text,
            "identifier": st.none() | text,
            "published_at": st.none() | st.sampled_from(["2026-03-01T10:00:00Z", "2026-02-28"]),
            "budget_amount": st.none() | st.floats(allow_nan=False, allow_infinity=False),
            "budget_currency": st.none() | st.sampled_from(["EUR", "GBP"]),
            "note": st.none() | text,
            "tags": st.lists(tag_names, max_size=3),
            "status": st.sampled_from(["new", "reviewing", "done", "archived"]),
            "starred": st.booleans(),
            "followed": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
)


def _export_everything(store: Store, path: Path) -> list[list[str]]:
    """Every record (archived too) as exported, sorted, without the source column (imported
    records have no source)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for view in ("all", "archived"):
            store.export_csv(handle, Query(view=view, sort="title", descending=False))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r and r[0].lstrip("\ufeff") != "url"]
    source = EXPORT_COLUMNS.index("source")
    return sorted(r[:source] + r[source + 1 :] for r in rows)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store to copy: creating one per example would dominate the run time."""
    path = Path(tmp_path_factory.mktemp("template")) / "empty.sqlite"
    open_store(path).close()
    return path


def _fast_copy(template: Path, path: Path) -> Store:
    """Durability is not under test here; skipping fsync keeps a hundred examples quick."""
    shutil.copy(template, path)
    store = open_store(path)
    store.db.execute("PRAGMA synchronous = OFF")
    return store


def _fill(store: Store, generated: list[dict[str, object]]) -> None:
    scraped = ("title", "summary", "identifier", "published_at", "budget_amount", "budget_currency")
    store.save_announcements("src", [item(n, **{k: r[k] for k in scraped}) for n, r in enumerate(generated)])
    for record_id, r in enumerate(generated, start=1):
        store.set_note(record_id, r["note"])  # type: ignore[arg-type]
        store.set_tags(record_id, r["tags"])  # type: ignore[arg-type]
        store.set_status([record_id], r["status"])  # type: ignore[arg-type]
        store.set_starred([record_id], r["starred"])  # type: ignore[arg-type]
        store.set_followed([record_id], r["followed"])  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=records)
def test_export_then_import_is_lossless(template: Path, generated: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        original = _fast_copy(template, folder / "a.sqlite")
        copy = _fast_copy(template, folder / "b.sqlite")
        try:
            _fill(original, generated)
            for view in ("all", "archived"):
                original.export_csv(folder / f"{view}.csv", Query(view=view))
                assert copy.import_csv(folder / f"{view}.csv").updated == 0
            assert copy.count(Query()) + copy.count(Query(view="archived")) == len(generated)
            assert _export_everything(copy, folder / "b.csv") == _export_everything(
                original, folder / "a.csv"
            )
            before = user_data(original)
            again = original.import_csv(folder / "all.csv")
            assert (again.new, again.updated) == (0, 0)
            assert user_data(original) == before
        finally:
            original.close()
            copy.close()


@pytest.mark.parametrize("value", ["", "plain", "=1+1", "'=1+1", "''@x", "'", "'plain", "-", "\x00", "\r\n"])
def test_neutralise_and_restore_are_inverse(value: str) -> None:
    assert restore(neutralise(value)) == value


@pytest.fixture
def known(store: Store) -> Store:
    store.save_announcements("src", [item(1, title="Stored title", summary="Stored summary")])
    store.set_note(1, "my note")
    store.set_tags(1, ["kept"])
    return store


def _write(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (
            "\ufeffURL;Title;Notes;Note;Status\nhttps://example.org/news/1;X;ignored;Colleague's note;done\n",
            "utf-8",
        ),
        (
            "Status,Extra,Note,Title,Url\ndone,?,Colleague's note,X,https://example.org/news/1?utm_source=mail\n",
            "utf-8",
        ),
        ("url\ttitle\tnote\tstatus\nhttps://example.org/news/1\tX\tColleague's note\tdone\n", "utf-16"),
        ("url,title,note,status\r\nhttps://example.org/news/1,X,Colleague's note,Done\r\n", "cp1252"),
    ],
    ids=["semicolon-bom", "reordered-extra", "utf16-tabs", "cp1252-crlf"],
)
def test_a_hand_made_tracker_updates_user_columns_only(
    known: Store, tmp_path: Path, content: str, encoding: str
) -> None:
    result = known.import_csv(_write(tmp_path / "tracker.csv", content, encoding))
    assert (result.new, result.updated) == (0, 1)
    record = known.record(1)
    assert record is not None
    assert (record["note"], record["status"]) == ("Colleague's note", "done")
    assert (record["title"], record["summary"]) == ("Stored title", "Stored summary")  # scraped: untouched
    assert record["tags"] == ["kept"]  # no tags column: no change


def test_unknown_links_become_records(known: Store, tmp_path: Path) -> None:
    content = (
        "url,title,deadline_at,budget_amount,tags,starred\n"
        "https://new.example/call,New call,2026-06-01,2500000,compute; AI Act,yes\n"
        ",,,,,\n"
    )
    result = known.import_csv(_write(tmp_path / "t.csv", content))
    assert (result.new, result.updated) == (1, 0)
    [row] = known.page(Query(search="new call"), 0, 10)
    assert (row["title"], row["deadline_at"], row["budget_amount"], row["tags"], row["starred"]) == (
        "New call", "2026-06-01", 2500000.0, "AI Act; compute", True,
    )  # fmt: skip
    assert row["source_id"] is None


def test_empty_cells_never_erase(known: Store, tmp_path: Path) -> None:
    result = known.import_csv(
        _write(tmp_path / "t.csv", "url,title,note,tags,status,starred\nhttps://example.org/news/1,,,,,\n")
    )
    assert (result.updated, result.unchanged) == (0, 1)
    record = known.record(1)
    assert record is not None
    assert (record["note"], record["tags"]) == ("my note", ["kept"])


def test_a_followed_call_is_followed_after_import_and_undo_puts_it_back(known: Store, tmp_path: Path) -> None:
    content = (
        "url,title,followed\nhttps://example.org/news/1,,yes\nhttps://new.example/call,New call,followed\n"
    )
    result = known.import_csv(_write(tmp_path / "t.csv", content))
    assert (result.new, result.updated, result.follows) == (1, 1, 1)
    assert "1 follow changed" in result.changes_text()
    followed = known.db.conn.execute("SELECT url FROM records WHERE followed = 1 ORDER BY url").fetchall()
    assert [url for (url,) in followed] == ["https://example.org/news/1", "https://new.example/call"]
    assert known.undo_last_import() == (1, 0)
    record = known.record(1)
    assert record is not None and not record["followed"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,note\nX,y\n", "not a CSV file with 'url' and 'title' columns"),
        (b"url,name\nhttps://x.eu,y\n", "not a CSV file with 'url' and 'title' columns"),
        (b"", "not a CSV file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (
            b"url,title,status\nhttps://x.eu/1,A,new\nhttps://x.eu/2,B,later\n",
            "Line 3: unknown status 'later'",
        ),
        (b"url,title,starred\nhttps://x.eu/1,A,maybe\n", "Line 2: starred must be 1 or 0"),
        (b"url,title,followed\nhttps://x.eu/1,A,soon\n", "Line 2: followed must be 1 or 0"),
        (b"url,title\njavascript:alert(1),A\n", "Line 2: .* is not a web address"),
        (b"url,title,tags\nhttps://x.eu/1,A,a;;b\nhttps://x.eu/2,B,ok\n", None),
    ],
    ids=[
        "no-url",
        "no-title",
        "empty",
        "xlsx",
        "png",
        "bad-status",
        "bad-star",
        "bad-follow",
        "bad-scheme",
        "empty-tag",
    ],
)
def test_bad_files_say_what_is_wrong_and_import_nothing(
    known: Store, tmp_path: Path, content: bytes, message: str | None
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = user_data(known)
    if message is None:
        assert known.import_csv(path).new == 2
        return
    with pytest.raises(StoreError, match=message):
        known.import_csv(path)
    assert user_data(known) == before
    assert known.count(Query()) == 1


def test_a_missing_file(known: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot read"):
        known.import_csv(tmp_path / "missing.csv")


def test_a_big_note_cell(known: Store, tmp_path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["url", "title", "note"], ["https://example.org/news/1", "X", "n" * 500_000]]
    )
    known.import_csv(_write(tmp_path / "big.csv", buffer.getvalue()))
    assert len(known.record(1)["note"]) == 500_000  # type: ignore[index]


KILLED_IMPORT = """
import sys, time
from db import csv_io
from db.store import Store
csv_io.IMPORT_BATCH = 50  # several batches in a small file
store = Store.open(sys.argv[1])
store.db.conn.execute("PRAGMA cache_size = 8")  # written pages spill into the WAL before the commit
inserts = 0
def stop_in_the_second_batch(sql):
    global inserts
    if sql.startswith("INSERT INTO records "):
        inserts += 1
        if inserts == 2:
            print("mid-import", flush=True)
            time.sleep(60)
store.db.conn.set_trace_callback(stop_in_the_second_batch)
store.import_csv(sys.argv[2])
print("finished", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_import_killed_midway_leaves_the_store_as_before_and_usable(db_path: Path, tmp_path: Path) -> None:
    with open_store(db_path) as before:
        before.save_announcements("src", [item(1, title="Stored title")])
        before.set_note(1, "my note")
        before.set_tags(1, ["kept"])
    rows = ["url,title,note,tags,status", "https://example.org/news/1,X,Imported note,imported,done"]
    rows += [f"https://new.example/{n},Call {n},note {n},t{n % 3},reviewing" for n in range(200)]
    source = _write(tmp_path / "big.csv", "\n".join(rows) + "\n")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(db_path), str(source)],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "mid-import"  # the first batch is written
        assert Path(f"{db_path}-wal").stat().st_size > 0  # some of it in the WAL, uncommitted
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with open_store(db_path) as after:
        assert after.check_integrity() == []
        assert after.count(Query()) == 1
        record = after.record(1)
        assert record is not None
        assert (record["note"], record["tags"], record["status"]) == ("my note", ["kept"], "new")
        assert after.undo_last_import() == (0, 0)  # the killed import left nothing to undo
        result = after.import_csv(source)  # and the same file imports whole afterwards
        assert (result.new, result.updated) == (200, 1)
        assert after.undo_last_import() == (1, 0)
        record = after.record(1)
        assert record is not None
        assert (record["note"], record["tags"], record["status"]) == ("my note", ["kept"], "new")
