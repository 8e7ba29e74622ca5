"""The command line: every mistake is one clear line (no traceback) with the contract's exit codes,
export and import work end to end, and every command explains itself in --help."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from db.store import Query, Store
from desktop.cli import build_parser
from scrapers.model import Announcement
from tests.cli_run import run_cli


def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, home=home, timeout=60)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in result.stderr


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        store.save_announcements(
            "ukri-news",
            [
                Announcement(
                    url="https://www.ukri.org/news/a/",
                    title='=HYPERLINK("x") compute fund',
                    category="funding",
                    jurisdiction="UK",
                ),
                Announcement(
                    url="https://www.ukri.org/news/b/",
                    title="AI skills plan",
                    category="policy",
                    jurisdiction="UK",
                ),
            ],
        )
        store.set_note(1, "+ for Friday's brief")
        store.add_tag([1], "compute")
    return path


def test_version(tmp_path: Path) -> None:
    result = run("--version", home=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("policy-tracker ")


def test_every_command_and_option_has_help() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    assert set(commands.choices) >= {"fetch", "export", "import", "sources", "backup", "restore"}
    for name, sub in commands.choices.items():
        assert sub.description, f"{name} has no description"
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    result = run("export", home=tmp_path)  # --csv is required
    assert result.returncode == 2 and "--csv" in result.stderr and "Traceback" not in result.stderr
    result = run("fetch", "--delay", "soon", home=tmp_path)
    assert result.returncode == 2 and "not a number of seconds" in result.stderr


def test_missing_and_invalid_sources_files(tmp_path: Path) -> None:
    result = run("--db", tmp_path / "s.sqlite3", "fetch", "--sources", tmp_path / "none.toml", home=tmp_path)
    assert_one_clear_line(result, 2, "none.toml", "no such sources file")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nkind = "telepathy"\nurl = "https://x.org"\n', "utf-8")
    result = run("--db", tmp_path / "s.sqlite3", "fetch", "--sources", bad, home=tmp_path)
    assert_one_clear_line(result, 2, "bad.toml, line 1", "unknown kind 'telepathy'")


def test_unknown_source_id(tmp_path: Path) -> None:
    result = run("--db", tmp_path / "s.sqlite3", "fetch", "--only", "nope", home=tmp_path)
    assert_one_clear_line(result, 2, "no source with id nope")


def test_a_file_that_is_not_ours_is_refused_untouched(tmp_path: Path) -> None:
    alien = tmp_path / "thesis.docx"
    alien.write_bytes(b"PK\x03\x04 not a database" * 50)
    before = alien.read_bytes()
    result = run("--db", alien, "sources", home=tmp_path)
    assert_one_clear_line(result, 1, "thesis.docx", "not a Policy Tracker database")
    assert alien.read_bytes() == before


def test_export_is_filtered_neutralised_and_imports_back(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    result = run("--db", store_file, "export", "--csv", out, "--tag", "compute", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["url"] for r in rows] == ["https://www.ukri.org/news/a/"]
    assert rows[0]["title"].startswith("'=HYPERLINK")  # no formula reaches Excel
    assert rows[0]["note"] == "'+ for Friday's brief"
    assert rows[0]["tags"] == "compute"

    fresh = tmp_path / "colleague.sqlite3"
    result = run("--db", fresh, "import", "--csv", out, home=tmp_path)
    assert result.returncode == 0, result.stderr
    with Store.open(fresh) as store:
        (record,) = [store.record(row["id"]) for row in store.page(Query(), 0, 10)]
    assert record["title"] == '=HYPERLINK("x") compute fund'  # restored, lossless
    assert record["note"] == "+ for Friday's brief" and record["tags"] == ["compute"]


def test_unwritable_export_and_unreadable_import(store_file: Path, tmp_path: Path) -> None:
    result = run("--db", store_file, "export", "--csv", tmp_path / "no" / "such" / "dir.csv", home=tmp_path)
    assert_one_clear_line(result, 2, "cannot write")
    result = run("--db", store_file, "import", "--csv", tmp_path / "absent.csv", home=tmp_path)
    assert_one_clear_line(result, 2, "absent.csv", "no such file")
    garbage = tmp_path / "photo.csv"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = run("--db", store_file, "import", "--csv", garbage, home=tmp_path)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "photo.csv" in result.stderr or "CSV" in result.stderr
