"""CSV export: the contract's columns, a BOM for Excel, the view's rows in its order, no formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from db.csv_io import EXPORT_COLUMNS
from db.store import Query, Store
from tests.db.helpers import item

CONTRACT = [
    "url",
    "title",
    "identifier",
    "source",
    "category",
    "jurisdiction",
    "organisation",
    "published_at",
    "deadline_at",
    "call_status",
    "budget_amount",
    "budget_currency",
    "status",
    "starred",
    "tags",
    "note",
    "summary",
]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> Path:
    store.sync_sources(
        [
            {
                "id": "ukri",
                "name": "UKRI opportunities",
                "kind": "ukri_opportunities",
                "url": "https://www.ukri.org/opportunity/",
            }
        ]
    )
    store.save_announcements(
        "ukri",
        [
            item(1, title="Compute call", budget_amount=1500000.0, budget_currency="GBP", category="funding"),
            item(
                2,
                title="AI Act guidance",
                summary='Line one\nline two, with "quotes"; and more',
                budget_amount=2.5,
            ),
            item(3, title="Archived one"),
        ],
    )
    store.set_note(1, "for Friday")
    store.set_tags(1, ["compute", "AI Act"])
    store.set_starred([1], True)
    store.set_status([3], "archived")
    path = tmp_path / "export.csv"
    assert store.export_csv(path, Query(sort="title", descending=False)) == 2
    return path


def test_the_file_starts_with_a_bom_and_the_contract_columns(exported: Path) -> None:
    data = exported.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfurl,title,")
    assert list(EXPORT_COLUMNS[: len(CONTRACT)]) == CONTRACT
    assert data.decode("utf-8-sig").splitlines()[0].split(",") == list(EXPORT_COLUMNS)


def test_rows_follow_the_view_and_its_order(exported: Path) -> None:
    rows = _read(exported)
    assert [r["title"] for r in rows] == ["AI Act guidance", "Compute call"]
    compute = rows[1]
    assert (compute["source"], compute["tags"], compute["note"], compute["starred"]) == (
        "UKRI opportunities", "AI Act; compute", "for Friday", "1",
    )  # fmt: skip
    assert (compute["budget_amount"], rows[0]["budget_amount"]) == ("1500000", "2.5")
    assert rows[0]["summary"] == 'Line one\nline two, with "quotes"; and more'


def test_filters_apply_to_the_export(exported: Path, store: Store, tmp_path: Path) -> None:
    target = tmp_path / "tagged.csv"
    assert store.export_csv(target, Query(tag="compute")) == 1
    assert store.export_csv(tmp_path / "arch.csv", Query(view="archived")) == 1
    assert store.export_csv(tmp_path / "none.csv", Query(search="nothing-matches-this")) == 0
    assert _read(tmp_path / "none.csv") == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "\x00", "'=", "''+"])
def test_cells_that_could_run_as_formulas_are_neutralised(store: Store, tmp_path: Path, start: str) -> None:
    value = f'{start}HYPERLINK("http://evil")'
    store.save_announcements("src", [item(1, title=value, summary=value)])
    store.set_note(1, value)
    store.set_tags(1, [f"{start.strip()}tag" if start.strip() else "tag"])
    path = tmp_path / "out.csv"
    store.export_csv(path, Query())
    [row] = _read(path)
    for column in ("title", "summary", "note"):
        assert row[column] == "'" + value
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "\x00"))


def test_export_to_an_open_text_file(store: Store) -> None:
    store.save_announcements("src", [item(1)])
    buffer = io.StringIO()
    assert store.export_csv(buffer, Query()) == 1
    assert buffer.getvalue().startswith("\ufeffurl,title")
