"""The column registry (desktop/ui/tracker_columns.py): every header click sorts in SQL."""

from __future__ import annotations

from db.store import SORT_KEYS
from desktop.ui.tracker_columns import (
    COL_NOTE,
    COL_STAR,
    COL_TITLE,
    COLUMNS,
    RecordIdRole,
    RowRole,
    SortRole,
    UrlRole,
    header_data,
)


def test_a_sortable_column_sorts_by_one_of_the_stores_sort_keys() -> None:
    assert [c.sort_key for c in COLUMNS if c.sortable and c.sort_key not in SORT_KEYS] == []
    assert [c.sort_key for c in COLUMNS if not c.sortable] == ["what_changed"]


def test_columns_are_named_once_and_the_numbers_point_at_them() -> None:
    assert len({c.sort_key for c in COLUMNS}) == len({c.header for c in COLUMNS}) == len(COLUMNS)
    assert (COLUMNS[COL_STAR].sort_key, COLUMNS[COL_TITLE].sort_key, COLUMNS[COL_NOTE].sort_key) == (
        "star",
        "title",
        "note",
    )
    assert all(c.tooltip for c in COLUMNS)


def test_the_roles_are_distinct() -> None:
    assert len({RecordIdRole, SortRole, RowRole, UrlRole}) == 4


def test_the_header_names_each_column_and_reads_the_star_as_a_word() -> None:
    from PySide6.QtCore import Qt

    shown = [header_data(n, Qt.ItemDataRole.DisplayRole) for n in range(len(COLUMNS))]
    assert shown == [c.header for c in COLUMNS]
    assert header_data(COL_STAR, Qt.ItemDataRole.AccessibleTextRole) == "Starred"
    assert header_data(COL_TITLE, Qt.ItemDataRole.AccessibleTextRole) == "Title"
    assert header_data(len(COLUMNS), Qt.ItemDataRole.DisplayRole) is None
    assert header_data(-1, Qt.ItemDataRole.ToolTipRole) is None
