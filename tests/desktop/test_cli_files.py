"""Files the user names on the command line are handled safely: an export never replaces the
store or a half-written file the previous good one, an import of a broken or hostile file says
what is wrong (with control characters escaped) and changes nothing, and a command that only
reads creates nothing. Every run is a real `policy-tracker` process on real files."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.backups import daily_backup
from db.store import Query, Store
from scrapers.model import Announcement
from tests.cli_run import run_cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, home=home, timeout=60)


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_store(path: Path, count: int = 3, summary: str = "") -> Path:
    with Store.open(path) as store:
        store.save_announcements(
            "ukri-news",
            [
                Announcement(
                    url=f"https://www.ukri.org/news/{n}/", title=f"Item {n}", summary=summary or None
                )
                for n in range(count)
            ],
        )
        store.set_note(1, "my note")
    return path


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return make_store(tmp_path / "store.sqlite3")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB filesystem (tmpfs), where the machine lets the tests mount one."""
    mount_point = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_store_or_its_files_is_refused(store_file: Path, tmp_path: Path, suffix: str) -> None:
    before = digest(store_file)
    target = Path(f"{store_file}{suffix}")
    line = one_line(run("--db", store_file, "export", "--csv", target, home=tmp_path), 1)
    assert "is the store itself or one of its files" in line and "Nothing was written" in line
    assert digest(store_file) == before
    with Store.open(store_file) as store:
        assert store.count(Query()) == 3 and store.record(1)["note"] == "my note"


def test_export_onto_a_backup_is_refused(store_file: Path, tmp_path: Path) -> None:
    backup = tmp_path / "copy.sqlite3"
    assert run("--db", store_file, "backup", "--to", backup, home=tmp_path).returncode == 0
    before = digest(backup)
    line = one_line(run("--db", store_file, "export", "--csv", backup, home=tmp_path), 1)
    assert "is an SQLite database (a store or a backup)" in line
    assert digest(backup) == before


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["export", "--csv"], "CSV file"),
        (["export", "--friendly", "--csv"], "CSV file"),
        (["export", "--xlsx"], "XLSX workbook"),
        (["brief", "--format", "docx", "--out"], "Word brief"),
        (["brief", "--format", "md", "--out"], "Markdown brief"),
    ],
)
def test_a_refused_target_is_named_as_the_kind_of_file_being_written(
    store_file: Path, tmp_path: Path, args: list[str], kind: str
) -> None:
    backup = tmp_path / "copy.sqlite3"
    assert run("--db", store_file, "backup", "--to", backup, home=tmp_path).returncode == 0
    before = digest(backup), digest(store_file)
    onto_backup = one_line(run("--db", store_file, *args, backup, home=tmp_path), 1)
    onto_store = one_line(run("--db", store_file, *args, store_file, home=tmp_path), 1)
    for line in (onto_backup, onto_store):
        assert f"choose another name for the {kind}. Nothing was written." in line, line
    assert (digest(backup), digest(store_file)) == before


def test_a_failed_export_on_a_full_disk_keeps_the_previous_csv(tmp_path: Path, small_disk: Path) -> None:
    store_file = make_store(tmp_path / "store.sqlite3", count=120, summary="x" * 1000)
    target = small_disk / "tracker.csv"
    good = run("--db", store_file, "export", "--csv", target, "--search", "my note", home=tmp_path)
    assert good.returncode == 0, good.stderr
    before = target.read_bytes()
    assert b"my note" in before

    line = one_line(run("--db", store_file, "export", "--csv", target, home=tmp_path), 1)
    assert "No space left on device" in line and "nothing was written" in line
    assert target.read_bytes() == before  # not truncated, not half replaced
    assert sorted(p.name for p in small_disk.iterdir()) == ["tracker.csv"]  # no temporary file left


def test_an_export_replaces_the_file_whole_and_keeps_its_permissions(
    store_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old contents\n", encoding="utf-8")
    target.chmod(0o640)
    assert run("--db", store_file, "export", "--csv", target, home=tmp_path).returncode == 0
    assert target.read_text(encoding="utf-8-sig").startswith("url,title")
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []


def damage_text(path: Path, text: bytes) -> None:
    """Overwrite `text` inside the file with bytes that are not UTF-8, as a bad sector would."""
    data = bytearray(path.read_bytes())
    at = data.find(text)
    assert at > 0
    data[at : at + len(text)] = b"\xff\xfe" * (len(text) // 2)
    path.write_bytes(bytes(data))


def test_a_store_with_damaged_text_exports_nothing_and_says_so(store_file: Path, tmp_path: Path) -> None:
    with sqlite3.connect(store_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage_text(store_file, b"Item 2")
    target = tmp_path / "out.csv"
    target.write_text("previous good export\n", encoding="utf-8")
    line = one_line(run("--db", store_file, "export", "--csv", target, home=tmp_path), 1)
    assert "damaged" in line and "restore it from a backup" in line
    assert "decode" not in line
    assert target.read_text(encoding="utf-8") == "previous good export\n"


def test_a_plain_export_says_how_many_archived_records_it_left_out(store_file: Path, tmp_path: Path) -> None:
    with Store.open(store_file) as store:
        store.set_status([2, 3], "archived")
    result = run("--db", store_file, "export", "--csv", tmp_path / "out.csv", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "exported 1 records" in result.stdout
    assert "2 archived records left out (--status archived exports them)" in result.stdout
    archived = run(
        "--db", store_file, "export", "--csv", tmp_path / "a.csv", "--status", "archived", home=tmp_path
    )
    assert "exported 2 records" in archived.stdout and "left out" not in archived.stdout


# -- import ----------------------------------------------------------------------------------


def test_importing_a_binary_file_echoes_no_control_characters(store_file: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "photo.csv"
    hostile.write_bytes(b"\x1b[2J\x1b]0;owned\x07\x00\x01\x02 not,csv\n\x89PNG\r\n\x1a\n" + bytes(range(256)))
    line = one_line(run("--db", store_file, "import", "--csv", hostile, home=tmp_path), 1)
    assert "\x1b" not in line and "\x07" not in line and "\x00" not in line
    assert "\\x1b[2J" in line and "'url' and 'title' columns" in line


def test_a_failed_import_into_a_new_store_leaves_nothing_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("url,title,status\nhttps://a.example/,A,maybe\n", encoding="utf-8")
    store_file = tmp_path / "new" / "folder" / "store.sqlite3"
    line = one_line(run("--db", store_file, "import", "--csv", bad, home=tmp_path / "home"), 1)
    assert "unknown status" in line
    assert not (tmp_path / "new").exists()


def test_commands_that_only_read_create_no_store(tmp_path: Path) -> None:
    store_file = tmp_path / "nowhere" / "store.sqlite3"
    listed = run("--db", store_file, "sources", home=tmp_path / "home")
    assert listed.returncode == 0 and "never fetched" in listed.stdout
    exported = run("--db", store_file, "export", "--csv", tmp_path / "out.csv", home=tmp_path / "home")
    assert exported.returncode == 2
    assert not (tmp_path / "nowhere").exists() and not (tmp_path / "out.csv").exists()


def test_a_store_path_that_is_no_database_gets_one_line_with_the_reason(tmp_path: Path) -> None:
    line = one_line(run("--db", "/proc/version", "sources", home=tmp_path), 1)
    assert line.count("/proc/version") == 1
    assert "not an SQLite database file" in line


def test_help_documents_the_exit_codes() -> None:
    for args in ([], ["export"], ["fetch"], ["import"], ["sources"], ["backup"], ["restore"]):
        result = run(*args, "--help", home=Path("/nonexistent"))
        assert result.returncode == 0
        assert "exit codes" in result.stdout and "  2  bad usage" in result.stdout, args


def test_a_header_cell_over_64_mib_is_refused_clearly(store_file: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write("url,title,")
        handle.write("x" * (65 * 1024 * 1024))
        handle.write("\nhttps://a.example/,A,\n")
    line = one_line(run("--db", store_file, "import", "--csv", huge, home=tmp_path), 1)
    assert "line 1: a cell is larger than 64 MiB" in line


def test_an_unclosed_quote_that_swallows_rows_is_refused_with_its_line(
    store_file: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "edited.csv"
    broken.write_text(
        "url,title,note\n"
        "https://a.example/1,One,fine\n"
        'https://a.example/2,Two,"forgot to close\n'
        "https://a.example/3,Three,x\n"
        "https://a.example/4,Four,y\n"
        'https://a.example/5,Five,"a closed ""quote"" here"\n',
        encoding="utf-8",
    )
    line = one_line(run("--db", store_file, "import", "--csv", broken, home=tmp_path), 1)
    assert line.startswith(f"policy-tracker import: {broken}: Line 3: a quoted cell opened on this line")
    assert "closing quote" in line and "nothing was imported" in line
    with Store.open(store_file) as store:
        assert store.count(Query()) == 3


def test_an_unclosed_quote_running_to_the_end_of_the_file_is_refused(
    store_file: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "edited.csv"
    broken.write_text(
        'url,title,note\nhttps://a.example/1,One,fine\nhttps://a.example/2,Two,"never closed\nmore text\n',
        encoding="utf-8",
    )
    line = one_line(run("--db", store_file, "import", "--csv", broken, home=tmp_path), 1)
    assert "Line 3:" in line and "never closed (it runs to the end of the file)" in line


def test_a_note_with_line_breaks_still_imports(store_file: Path, tmp_path: Path) -> None:
    fine = tmp_path / "notes.csv"
    fine.write_text(
        'url,title,note\nhttps://a.example/1,One,"line one\nhttps://see.example/ for more\nline three"\n'
        'https://a.example/2,Two,"last, with\nbreaks"\n',
        encoding="utf-8",
    )
    result = run("--db", store_file, "import", "--csv", fine, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 new records" in result.stdout


def test_utf16_without_a_byte_order_mark_is_read(store_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes("url,title,note\r\nhttps://a.example/1,Überblick,naïve\r\n".encode("utf-16-le"))
    result = run("--db", store_file, "import", "--csv", sheet, home=tmp_path)
    assert result.returncode == 0, result.stderr
    with Store.open(store_file) as store:
        (row,) = store.page(Query(search="Überblick"), 0, 5)
        assert store.record(row["id"])["note"] == "naïve"


# -- fetch -----------------------------------------------------------------------------------


def test_fetch_into_a_damaged_store_writes_nothing_and_fails(tmp_path: Path) -> None:
    store_file = make_store(tmp_path / "store.sqlite3", count=200, summary="y" * 500)
    with sqlite3.connect(store_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with store_file.open("r+b") as handle:  # a run of bad sectors in the middle of the file
        handle.seek(page_size * (pages // 2))
        handle.write(b"\xa5" * page_size * 3)
    before = digest(store_file)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nid = "local"\nname = "Local"\nkind = "feed"\nurl = "http://127.0.0.1:9/feed"\n'
        'jurisdiction = "UK"\n',
        encoding="utf-8",
    )
    line = one_line(run("--db", store_file, "fetch", "--sources", sources, home=tmp_path), 1)
    assert "not fetching into it: it is damaged" in line and "Nothing was written" in line
    assert digest(store_file) == before


_COUNT_READS = """import runpy, sys
out = sys.argv.pop(1)
try:
    runpy.run_module("desktop.cli", run_name="__main__", alter_sys=True)
finally:
    counters = dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())
    open(out, "w").write(counters["rchar"])
"""


def bytes_read_by_fetch(store_file: Path, sources: Path, home: Path) -> int:
    """Run `policy-tracker fetch` and return the bytes its own process read (the worker aside)."""
    counter = home / "rchar"
    env = {"POLICY_TRACKER_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _COUNT_READS, str(counter), "--db", str(store_file), "fetch"]
    done = subprocess.run(
        [*command, "--sources", str(sources)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return int(counter.read_text())


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="counts reads through /proc")
def test_only_the_first_fetch_of_the_day_reads_the_whole_store(tmp_path: Path, httpserver: Any) -> None:
    """quick_check reads every page (seconds at a million records): once a day is enough, on the
    fetch that takes the daily copy, which has its own check. Later fetches read far less."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title></channel></rss>'
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nid = "local"\nname = "Local"\nkind = "feed"\n'
        f'url = "{httpserver.url_for("/feed.xml")}"\n',
        encoding="utf-8",
    )
    python_alone = bytes_read_by_fetch(tmp_path / "new.sqlite3", sources, tmp_path)  # no store to check
    store_file = make_store(tmp_path / "store.sqlite3", count=3000, summary="y" * 5000)
    size = store_file.stat().st_size
    assert daily_backup(store_file) is not None  # today's checked copy, as the day's first fetch takes it
    later = bytes_read_by_fetch(store_file, sources, tmp_path)
    assert later - python_alone < size * 0.3, (size, python_alone, later)


# -- import over a record that has a note ------------------------------------------------------


def edited_export(store_file: Path, tmp_path: Path, **changes: str) -> Path:
    """Export the store, change record 1's cells as a user would in a spreadsheet."""
    exported = tmp_path / "export.csv"
    assert run("--db", store_file, "export", "--csv", exported, home=tmp_path).returncode == 0
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = next(r for r in rows if r["note"] == "my note")
    first.update(changes)
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return edited


def test_an_import_over_a_note_says_what_it_changed_and_can_be_undone(
    store_file: Path, tmp_path: Path
) -> None:
    with Store.open(store_file) as store:
        store.add_tag([1], "compute")
    edited = edited_export(
        store_file, tmp_path, note="rewritten in Excel", status="done", tags="compute; AI Act"
    )
    result = run("--db", store_file, "import", "--csv", edited, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 new records, 1 updated (1 note, 1 tag list, 1 status, 0 stars changed;" in result.stdout
    assert "`policy-tracker undo-import` puts back what it replaced" in result.stdout
    with Store.open(store_file) as store:
        assert store.record(1)["note"] == "rewritten in Excel"
        (version,) = store.versions(1)
        assert ("note", "my note", "rewritten in Excel") in version["changes"]

    undone = run("--db", store_file, "undo-import", home=tmp_path)
    assert undone.returncode == 0, undone.stderr
    assert "put back what the last import replaced in 1 records" in undone.stdout
    with Store.open(store_file) as store:
        record = store.record(1)
        assert record["note"] == "my note" and record["status"] == "new"
        assert record["tags"] == ["compute"]
    again = run("--db", store_file, "undo-import", home=tmp_path)
    assert "no import to undo" in again.stdout


def test_undoing_an_import_keeps_what_was_changed_after_it(store_file: Path, tmp_path: Path) -> None:
    edited = edited_export(store_file, tmp_path, note="from the spreadsheet", status="reviewing")
    assert run("--db", store_file, "import", "--csv", edited, home=tmp_path).returncode == 0
    with Store.open(store_file) as store:
        store.set_note(1, "typed in the window afterwards")
    undone = run("--db", store_file, "undo-import", home=tmp_path)
    assert "1 values changed since the import were kept as they are" in undone.stdout
    with Store.open(store_file) as store:
        record = store.record(1)
        assert record["note"] == "typed in the window afterwards" and record["status"] == "new"
