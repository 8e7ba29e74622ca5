"""What one repaint of the window costs, alone and beside a worker running Python:
`QT_QPA_PLATFORM=offscreen python benchmarks/paint.py --db STORE [--runs 20]`.

The window's stalls while typing at a million records were found in the paints that follow
each key and each landed page (Qt's `UpdateRequest` of the main window, timed in
`QApplication.notify`), most of each the table's cells, and they grew when a worker held the
interpreter: the window's thread shares it with the workers reading pages and counts, and
every call Qt makes into Python for a cell may wait for one. This times a synchronous
`repaint()` of the table's cells (its viewport) and of the main window on the store given, the
median and the longest of --runs, idle and while a thread runs Python (the worst a worker
does), with the app's cell painter (desktop/ui/views/cell_painter.py) and, as the baseline,
with Qt's own item delegate painting the same cells. Fails only on errors, never on time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.window import OpenWindow, application  # noqa: E402


def repaint_ms(widget: Any, runs: int) -> tuple[float, float]:
    """(median, longest) milliseconds of `runs` synchronous repaints of `widget`."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        widget.repaint()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


@contextmanager
def busy_worker() -> Iterator[None]:
    """A thread running pure Python (building dicts, as a page read does) for the block."""
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            {number: str(number) for number in range(200)}

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def measure(window: OpenWindow, runs: int) -> dict[str, tuple[float, float]]:
    parts = {"table's cells": window.table.viewport(), "main window": window.window}
    out = {}
    for name, widget in parts.items():
        out[f"{name}, idle"] = repaint_ms(widget, runs)
        with busy_worker():
            out[f"{name}, a worker running Python"] = repaint_ms(widget, runs)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store built by benchmarks/run.py --db")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from PySide6.QtWidgets import QStyledItemDelegate

    app = application(Path(tempfile.mkdtemp(prefix="paint-bench-")))
    window = OpenWindow(app, args.db)
    window.wait_idle()
    size = window.window.size()
    cells = window.table.viewport().size()
    print(
        f"{window.model.rowCount():,} rows in the table, window {size.width()}×{size.height()},"
        f" cells {cells.width()}×{cells.height()}, {args.runs} runs"
    )
    ours = measure(window, args.runs)
    painter = window.table.itemDelegate()
    stock = QStyledItemDelegate(window.table)
    window.table.setItemDelegate(stock)
    baseline = measure(window, args.runs)
    window.table.setItemDelegate(painter)
    for name, (median, longest) in ours.items():
        bare_median, bare_longest = baseline[name]
        print(
            f"  repaint {name}: {median:.1f} ms (longest {longest:.1f}) with the cell painter,"
            f" {bare_median:.1f} ms (longest {bare_longest:.1f}) with Qt's item delegate:"
            f" ×{median / max(bare_median, 0.01):.2f}"
        )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
