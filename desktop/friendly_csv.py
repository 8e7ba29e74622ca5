"""`export --csv FILE --friendly`: a CSV to open in a spreadsheet, not to import back.

Headers in words and the columns of the XLSX export (desktop/spreadsheet_rows.py), dates as
"2027-02-18 17:00" (read as a date by every spreadsheet, in any locale), a separator of the
user's choice: ";" for the locales whose decimal mark is a comma, which then also marks the
decimals of a budget. UTF-8 with a byte order mark, which Excel needs to read UTF-8. A text
cell that a spreadsheet would run as a formula gets a leading "'" (db/csv_io.py's rule).
The lossless round-trip CSV stays `export --csv` without `--friendly`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.atomic_file import write_atomically
from db.csv_io import neutralise
from desktop.spreadsheet_rows import columns

SEPARATORS = (",", ";", "\t")


def friendly_csv(rows: Sequence[Mapping[str, Any]], separator: str = ",") -> str:
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS!r}")
    table = columns()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow([header for header, _value in table])
    for row in rows:
        writer.writerow([_text(value_of(row), separator) for _header, value_of in table])
    return "\ufeff" + out.getvalue()


def _text(value: object, separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if separator == ";" else text
    return neutralise(str(value))


def write_friendly_csv(path: Path, rows: Sequence[Mapping[str, Any]], separator: str = ",") -> int:
    data = friendly_csv(rows, separator).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
    return len(rows)
