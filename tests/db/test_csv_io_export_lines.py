"""The export's lines are built by SQLite (for speed, benchmarks/README.md): byte for byte what Python's
csv.writer makes of the neutralised cells, whatever the text holds."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.csv_io import EXPORT_COLUMNS, _cell
from db.store import Query, Store
from tests.db.helpers import item, open_store

TRICKY = [
    "",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\x00",
    "'",
    "'=",
    "''-",
    '"',
    ",",
    ";",
    " ",
    "\r\n",
    "é",
    "😀",
]
text = st.builds(
    lambda start, rest, end: start + rest + end,
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(TRICKY),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(tmp_path_factory.mktemp("lines")) / "empty.sqlite"
    open_store(path).close()
    return path


def _expected(store: Store) -> str:
    """The file as the cell-by-cell writer made it before, newest record first."""
    names = {"source": "coalesce(s.name, r.source_id, '')", "tags": "r.tags_text"}
    columns = ", ".join(f"{names.get(c, 'r.' + c)}" for c in EXPORT_COLUMNS)
    rows = store.db.conn.execute(
        f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id ORDER BY r.id DESC"
    ).fetchall()
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.tuples(text, text, text, st.none() | st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=5,
    )
)
def test_lines_match_the_csv_module(template: Path, values: list[tuple[str, str, str, float | None]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "s.sqlite"
        shutil.copy(template, path)
        store = open_store(path)
        try:
            store.db.execute("PRAGMA synchronous = OFF")
            store.save_announcements(
                "src",
                [
                    item(n, title=title or "x", summary=summary, identifier=ident, budget_amount=budget)
                    for n, (title, summary, ident, budget) in enumerate(values)
                ],
            )
            for n, (title, _summary, _ident, _budget) in enumerate(values, start=1):
                store.set_note(n, title)
            buffer = io.StringIO(newline="")
            # No record has a publication date: newest id first, as `_expected` reads them.
            store.export_csv(buffer, Query(sort="published", descending=True))
            assert buffer.getvalue() == _expected(store)
        finally:
            store.close()
