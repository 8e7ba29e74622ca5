"""What one repaint of the window costs, alone and beside a worker running Python:
`QT_QPA_PLATFORM=offscreen python benchmarks/paint.py --db STORE [--runs 20]`.

The window's stalls while typing at a million records were found in the paints that follow
each key and each landed page (Qt's `UpdateRequest` of the main window, timed in
`QApplication.notify`), most of each the table's cells, and they grew when a worker held the
interpreter: the window's thread shares it with the workers reading pages and counts, and
every call Qt makes into Python for a cell (seven roles a cell) may wait for one. This times
a synchronous `repaint()` of the table's cells (its viewport) and of the main window on the
store given, the median and the longest of --runs, while a thread runs Python (the worst a
worker does) and, as the baseline, with the window's thread alone. Fails only on errors,
never on time.
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


def measure(window: OpenWindow, runs: int) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """Per part: (idle, beside a worker running Python), each (median, longest) ms."""
    parts = {"the table's cells": window.table.viewport(), "the whole window": window.window}
    out = {}
    for name, widget in parts.items():
        idle = repaint_ms(widget, runs)
        with busy_worker():
            out[name] = (repaint_ms(widget, runs), idle)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store built by benchmarks/run.py --db")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    app = application(Path(tempfile.mkdtemp(prefix="paint-bench-")))
    window = OpenWindow(app, args.db)
    window.wait_idle()
    size = window.window.size()
    cells = window.table.viewport().size()
    print(
        f"{window.model.rowCount():,} rows in the table, window {size.width()}×{size.height()},"
        f" cells {cells.width()}×{cells.height()}, {args.runs} runs"
    )
    for name, ((median, longest), (idle_median, idle_longest)) in measure(window, args.runs).items():
        ratio = median / max(idle_median, 0.01)
        print(
            f"  repaint {name}: {median:.1f} ms (longest {longest:.1f}) beside a worker running"
            f" Python, {idle_median:.1f} ms (longest {idle_longest:.1f}) alone: ×{ratio:.1f}"
        )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
