"""The tracker's columns, one registry keyed by each column's sort key, and the table's roles.

Every column the table can show is here, in its default order: the header, the column chooser
(desktop/ui/column_layout.py), the cells (desktop/ui/table_cells.py) and the model's sorting all
read this one tuple, and a sortable column's key is one of the store's SORT_KEYS, so a header
click sorts a million records in SQL by an index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt


@dataclass(frozen=True)
class Column:
    sort_key: str  # one of the store's SORT_KEYS, or the cell's name when not `sortable`
    header: str
    tooltip: str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    sortable: bool = True  # False: worked out per page row, no index to sort a million by


COL_STAR = 0
COL_TITLE = 1
COL_CATEGORY = 2
COL_JURISDICTION = 3
COL_SOURCE = 4
COL_PUBLISHED = 5
COL_DEADLINE = 6
COL_DAYS_LEFT = 7
COL_BUDGET = 8
COL_STATUS = 9
COL_TAGS = 10
COL_NOTE = 11

_RIGHT = Qt.AlignmentFlag.AlignRight
_CENTER = Qt.AlignmentFlag.AlignHCenter

COLUMNS: tuple[Column, ...] = (
    Column("star", "★", "Starred (Space or S)", _CENTER),
    Column("title", "Title", "Title of the announcement"),
    Column("category", "Category", "Funding, policy, consultation, legislation, press, speech"),
    Column("jurisdiction", "Region", "Jurisdiction: EU, UK or a member state"),
    Column("source", "Source", "Where it was first seen"),
    Column("published", "Published", "Publication date"),
    Column("deadline", "Deadline", "Closing date of a call or consultation"),
    Column("days_left", "Days left", "Days until the deadline; closed ones for 60 days", _RIGHT),
    Column("budget", "Budget", "Total budget of a call", _RIGHT),
    Column("status", "Status", "Your triage status (1–4)"),
    Column("tags", "Tags", "Your tags (T)"),
    Column("note", "Note", "First line of your note (N)"),
    Column("call_status", "Call status", "Open, forthcoming or closed, as the funder says"),
    Column("programme", "Programme", "Funding programme and its part (a Horizon Europe cluster)"),
    Column("action_type", "Type of action", "Type of action or funding (research and innovation, grant, …)"),
    Column("opens", "Opens", "When a call opens for applications"),
    Column("what_changed", "What changed", "What refreshes changed since you last read it", sortable=False),
)

RecordIdRole = Qt.ItemDataRole.UserRole + 1  # the record's id (int)
SortRole = Qt.ItemDataRole.UserRole + 2  # the raw value the column sorts by
RowRole = Qt.ItemDataRole.UserRole + 3  # the whole row dict from store.page
UrlRole = Qt.ItemDataRole.UserRole + 4
# The roles a cell answers; Qt asks each cell for seven roles each paint, the others cost nothing.
SHOWN_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        RecordIdRole,
        SortRole,
        RowRole,
        UrlRole,
    }
)


def header_data(section: int, role: int) -> Any:
    """What the table's header shows of column `section` in `role` (Qt's headerData)."""
    if not 0 <= section < len(COLUMNS):
        return None
    column = COLUMNS[section]
    if role == Qt.ItemDataRole.DisplayRole:
        return column.header
    if role == Qt.ItemDataRole.ToolTipRole:
        return column.tooltip
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return "Starred" if section == COL_STAR else column.header
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(column.align | Qt.AlignmentFlag.AlignVCenter)
    return None
