"""`export --xlsx`: the records as an Excel workbook a colleague can sort and filter at once.

Typed cells (dates with a date format, budgets as numbers with a thousands format, days left
as whole numbers), a frozen header row, an autofilter, widths that fit (capped), the link as a
hyperlink. No cell is ever a formula: openpyxl stores a string starting with "=" as one, so
every text cell is set to the string type after its value (a scraped title "=HYPERLINK(…)"
stays text in Excel and LibreOffice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from db.atomic_file import write_atomically
from desktop.spreadsheet_rows import columns

DATE_FORMAT = "d mmm yyyy"
DATE_TIME_FORMAT = "d mmm yyyy hh:mm"
WHOLE_MONEY_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.00"
MAX_WIDTH = 60
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell


def write_xlsx(path: Path, rows: Sequence[Mapping[str, Any]]) -> int:
    """Write `rows` (Store.full_rows dicts) to `path` atomically; returns how many."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Records"
    table = columns()
    widths = [len(header) for header, _value in table]
    sheet.append([header for header, _value in table])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, (header, value_of) in enumerate(table, start=1):
            value = value_of(row)
            cell = sheet.cell(row=number, column=index)
            widths[index - 1] = max(widths[index - 1], _set(cell, value, header))
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    write_atomically(path, book.save)
    return len(rows)


def _set(cell: Cell, value: object, header: str) -> int:
    """Put `value` in `cell` with its type and format; returns its width in characters."""
    if value is None or value == "":
        return 0
    if isinstance(value, datetime):
        cell.value = value
        cell.number_format = DATE_TIME_FORMAT
        return len("18 Feb 2027 17:00")
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return len("18 Feb 2027")
    if isinstance(value, int | float):
        cell.value = value
        if header == "Budget":
            cell.number_format = WHOLE_MONEY_FORMAT if float(value).is_integer() else MONEY_FORMAT
            return len(f"{value:,.0f}")
        return len(str(value))
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if header == "Link":
        cell.hyperlink = text
        cell.style = "Hyperlink"
    return max((len(line) for line in text.split("\n")), default=0)
