"""What one repaint of the window costs, with the app's style sheet and without it:
`QT_QPA_PLATFORM=offscreen python benchmarks/paint.py --db STORE [--runs 15]`.

The window's stalls while typing at a million records were found in the paints that follow
each key and each landed page (Qt's `UpdateRequest` of the main window, timed in
`QApplication.notify`), not in reading the store. This times a synchronous `repaint()` of the
main window and of its parts on the store given, the median and the longest of --runs, first
with the app's style sheet (resources/style.qss) and then, as the baseline, with none: the same
widgets, rows and sizes drawn by the plain style. Fails only on errors, never on time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.window import OpenWindow, application  # noqa: E402

PARTS = ("table", "sidebar", "filter_bar", "detail")


def repaint_ms(widget: Any, runs: int) -> tuple[float, float]:
    """(median, longest) milliseconds of `runs` synchronous repaints of `widget`."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        widget.repaint()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def measure(window: OpenWindow, runs: int) -> dict[str, tuple[float, float]]:
    shown = window.window
    widgets = {"main window": shown, **{part: getattr(shown, part) for part in PARTS}}
    return {name: repaint_ms(widget, runs) for name, widget in widgets.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store built by benchmarks/run.py --db")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    app = application(Path(tempfile.mkdtemp(prefix="paint-bench-")))
    window = OpenWindow(app, args.db)
    window.wait_idle()
    size = window.window.size()
    rows = window.model.rowCount()
    print(f"{rows:,} rows in the table, window {size.width()}×{size.height()}, {args.runs} runs")
    styled = measure(window, args.runs)
    sheet = app.styleSheet()
    app.setStyleSheet("")
    app.processEvents()
    plain = measure(window, args.runs)
    app.setStyleSheet(sheet)
    for name, (median, longest) in styled.items():
        bare_median, bare_longest = plain[name]
        ratio = median / max(bare_median, 0.01)
        print(
            f"  repaint {name}: {median:.1f} ms (longest {longest:.1f}) with the style sheet,"
            f" {bare_median:.1f} ms (longest {bare_longest:.1f}) without: ×{ratio:.1f}"
        )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
