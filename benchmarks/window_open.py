"""How long the window takes to open, and to sort each column, on a store of N records.

Builds the store through the store API (save_announcements in batches; kept between runs with
--keep), then, offscreen: opens the store and the window and waits for the first paint of the
table; sorts by every column both ways (each sort: SQL count, first page, repaint); jumps to the
last row; runs a full-text search.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/window_open.py --records 10000
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/window_open.py --records 1000000 --keep
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: Path, count: int) -> None:
    import random
    from datetime import UTC, datetime

    from db.store import Store
    from tests.desktop import records

    started = time.perf_counter()
    rng = random.Random(7)
    now = datetime.now(UTC)
    store = Store.open(path)
    try:
        store.sync_sources(records.source_rows())
        batch: dict[str, list] = {}
        for number in range(1, count + 1):
            source_id, item = records.announcement(number, rng, now)
            batch.setdefault(source_id, []).append(item)
            if number % 20_000 == 0 or number == count:
                for sid, items in batch.items():
                    store.save_announcements(sid, items)
                batch = {}
                print(f"  saved {number:,} records ({time.perf_counter() - started:.0f} s)", flush=True)
        ids = [r[0] for r in store.db.conn.execute("SELECT id FROM records WHERE id % 97 = 0")]
        store.set_starred(ids, True)
        store.add_tag(ids[::2], "AI Act")
        for record_id in ids[:2000]:
            store.set_note(record_id, f"Note on {record_id}")
    finally:
        store.close()
    print(f"built {count:,} records in {time.perf_counter() - started:.0f} s", flush=True)


def measure(path: Path) -> None:
    from PySide6.QtCore import QSettings, Qt, QThreadPool

    work = Path(tempfile.mkdtemp(prefix="pt-bench-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work))

    from db.store import Store
    from desktop.ui.app import application
    from desktop.ui.controllers.tracker import build_window
    from desktop.ui.tracker_columns import COLUMNS

    app = application()

    def painted(window) -> None:  # type: ignore[no-untyped-def]
        window.table.viewport().repaint()
        app.processEvents()

    started = time.perf_counter()
    store = Store.open(path)
    window, controller = build_window(store, restore_state=False)
    window.resize(1440, 900)
    window.show()
    painted(window)
    opened = time.perf_counter() - started
    rows = controller.model.rowCount()
    print(
        f"open: {opened * 1000:.0f} ms to a painted table of {rows:,} rows (store opened, counted, "
        f"first page read)"
    )

    times: dict[str, list[float]] = {}
    for column, spec in enumerate(COLUMNS):
        if not spec.sortable:
            continue
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            begin = time.perf_counter()
            window.table.horizontalHeader().setSortIndicator(column, order)
            painted(window)
            times.setdefault(spec.sort_key, []).append(time.perf_counter() - begin)
    for key, values in times.items():
        print(f"sort {key:13s} asc {values[0] * 1000:7.0f} ms   desc {values[1] * 1000:7.0f} ms")
    every = [v for values in times.values() for v in values]
    print(f"sort: median {statistics.median(every) * 1000:.0f} ms, worst {max(every) * 1000:.0f} ms")

    window.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
    begin = time.perf_counter()
    window.table.scrollToBottom()
    painted(window)
    print(f"jump to the last row: {(time.perf_counter() - begin) * 1000:.0f} ms")

    # "photonics" is in 1 title in 37; "quantum" in most records of this generated vocabulary.
    for term in ("photonics", "quantum"):
        begin = time.perf_counter()
        window.filter_bar.search.setText(term)
        controller.query.apply_query()
        painted(window)
        print(
            f"search {term!r}: {(time.perf_counter() - begin) * 1000:.0f} ms, "
            f"{controller.model.rowCount():,} rows"
        )
    controller.query.clear_filters()
    window.close()
    controller.refreshing.runner.wait(5000)
    QThreadPool.globalInstance().waitForDone(60_000)
    app.processEvents()
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="the store file to use (built when missing)")
    parser.add_argument("--keep", action="store_true", help="keep the built store for the next run")
    args = parser.parse_args()
    os.environ.setdefault("POLICY_TRACKER_HOME", tempfile.mkdtemp(prefix="pt-bench-home-"))
    default = Path(tempfile.gettempdir()) / f"policy-tracker-bench-{args.records}.sqlite3"
    path = args.db or default
    if not path.exists():
        print(f"building {args.records:,} records at {path}", flush=True)
        build(path, args.records)
    else:
        print(f"using {path}")
    try:
        measure(path)
    finally:
        if not args.keep and args.db is None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
