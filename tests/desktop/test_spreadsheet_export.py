"""`export --xlsx` and `export --csv --friendly`: read back by openpyxl and LibreOffice; typed
dates and budgets, words for headers, a frozen header and a filter, and never a formula."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from db.atomic_file import write_atomically
from tests.cli_run import run_cli
from tests.desktop.brief_store import HOSTILE_NOTE, HOSTILE_TITLE, build

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def export(store: Path, *args: str | Path, tz: str = "Europe/Brussels") -> subprocess.CompletedProcess[str]:
    return run_cli("--db", store, "export", *args, env={"TZ": tz, "HOME": str(store.parent)}, timeout=60)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("sheets") / "store.sqlite3")


@pytest.fixture(scope="module")
def workbook(store: Path) -> Path:
    out = store.parent / "records.xlsx"
    result = export(store, "--xlsx", out)
    assert result.returncode == 0 and "exported 4 records" in result.stdout, result.stderr
    return out


def test_xlsx_headers_in_words_title_first(workbook: Path) -> None:
    sheet = load_workbook(workbook).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["Title", "Deadline", "Days left", "Budget", "Currency", "Status"]
    assert {"Note", "Tags", "Source", "Published", "Link"} <= set(headers)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}5"
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(8 <= w <= 60 for w in widths), widths


def test_xlsx_dates_and_money_are_typed_in_local_time(workbook: Path) -> None:
    sheet = load_workbook(workbook).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    rows = {r[0].value: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    call = rows["AI Factories Antennas call"]
    assert call["Deadline"].value == datetime(2027, 2, 18, 17, 0)  # 17:00 Brussels, TZ=Europe/Brussels
    assert call["Deadline"].number_format == "d mmm yyyy hh:mm"
    assert isinstance(call["Days left"].value, int)
    assert call["Budget"].value == 12_500_000 and call["Budget"].number_format == "#,##0"
    assert call["Currency"].value == "EUR"
    assert call["Published"].value == datetime(2027, 1, 10, 10, 0)
    assert call["Tags"].value == "compute"
    link = call["Link"]
    assert link.value == "https://ec.europa.eu/info/funding/call-1"
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert call["Note"].value == "Ask DG CNECT about the second stage."
    assert (call["Programme"].value, call["Type of action"].value) == (
        "Digital Europe Programme",
        "DIGITAL Simple Grants",
    )
    assert call["Opens"].value == datetime(2026, 11, 17)  # a day: a date cell
    assert isinstance(rows["Compute roadmap published"]["Published"].value, date)


def test_xlsx_has_no_formula_whatever_the_text(workbook: Path) -> None:
    sheet = load_workbook(workbook).active
    assert sheet is not None
    values = {c.value: c.data_type for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert values[HOSTILE_TITLE] == "s" and values[HOSTILE_NOTE] == "s"
    assert values["@SUM(A1:A9) and <b>tags</b> & entities &amp; _under_ `code`"] == "s"
    assert not [v for v, kind in values.items() if kind == "f"]
    with zipfile.ZipFile(workbook) as book:
        xml = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert xml and not any(b"<f>" in part or b"<f " in part for part in xml)


def test_friendly_csv_with_semicolons(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "friendly.csv"
    result = export(store, "--csv", out, "--friendly", "--separator", ";")
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    call = next(r for r in rows if r["Title"] == "AI Factories Antennas call")
    assert call["Deadline"] == "2027-02-18 17:00" and call["Budget"] == "12500000"
    hostile = next(r for r in rows if "HYPERLINK" in r["Title"])
    assert hostile["Title"] == "'" + HOSTILE_TITLE and hostile["Note"] == "'" + HOSTILE_NOTE


def test_the_default_csv_is_still_the_lossless_one(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain.csv"
    assert export(store, "--csv", out).returncode == 0
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("url,title,")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--xlsx", "x.xlsx", "--friendly"], "--friendly and --separator go with --csv"),
        (["--csv", "x.csv", "--separator", ";"], "--separator goes with --friendly"),
        (["--csv", "x.csv", "--xlsx", "x.xlsx"], "not allowed with argument"),
    ],
)
def test_mistakes(store: Path, tmp_path: Path, args: list[str], words: str) -> None:
    result = export(store, *[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    """Written beside the target and renamed over it: a failure halfway leaves the old file."""
    old = tmp_path / "records.xlsx"
    old.write_bytes(b"yesterday's sheet")

    def half_then_fail(handle: IO[bytes]) -> None:
        handle.write(b"PK half a workbook")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(old, half_then_fail)
    assert old.read_bytes() == b"yesterday's sheet"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["records.xlsx"]


def test_an_export_to_a_missing_folder_is_one_line(store: Path, tmp_path: Path) -> None:
    result = export(store, "--xlsx", tmp_path / "nowhere" / "records.xlsx")
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr


TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_typed_cells_and_no_formula(workbook: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "fods", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(profile)},
    )  # fmt: skip
    converted = tmp_path / "records.fods"
    assert converted.exists()
    cells = list(ElementTree.parse(converted).iter(f"{{{TABLE}}}table-cell"))
    assert [c for c in cells if c.get(f"{{{TABLE}}}formula")] == []
    types = {c.get(f"{{{OFFICE}}}value-type") for c in cells}
    assert {"string", "date", "float"} <= types
    assert "2027-02-18T17:00:00" in {c.get(f"{{{OFFICE}}}date-value") for c in cells}


def test_control_characters_and_the_store_as_target(tmp_path: Path) -> None:
    """openpyxl refuses control characters (XML cannot carry them): they are left out; and no
    export ever writes over the store."""
    from db.store import Store
    from scrapers.model import Announcement

    path = tmp_path / "store.sqlite3"
    with Store.open(path) as db:
        db.save_announcements("src", [Announcement(url="https://example.org/a", title="Bell\x07 red\x1b")])
        db.set_note(1, "=1+1\x0c")
    out = tmp_path / "c.xlsx"
    assert export(path, "--xlsx", out).returncode == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("Bell red", "s")
    note = next(c for c in sheet[2] if c.value == "=1+1")
    assert note.data_type == "s"
    before = path.read_bytes()
    refused = export(path, "--xlsx", path)
    assert refused.returncode == 1 and "is the store itself" in refused.stderr
    assert path.read_bytes() == before
