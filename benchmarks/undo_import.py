"""What recording an import for Undo costs, and how long its Undo takes (it runs on the UI thread).

    .venv/bin/python benchmarks/undo_import.py [--records 100000] [--new 20000] [--updated 5000]

Builds a store of `--records` records, then imports a CSV with `--new` unknown links and
`--updated` known ones (a note, a tag, a status each), once plainly and once recorded, and
times the recorded import's Undo. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.store import Store
from scrapers.model import Announcement


def build(path: Path, records: int) -> None:
    store = Store.open(path)
    try:
        store.sync_sources([{"id": "src", "name": "Source", "kind": "feed", "url": "https://example.org/"}])
        for start in range(0, records, 20_000):
            batch = [
                Announcement(url=f"https://example.org/{n}", title=f"Announcement {n}", summary="text " * 20)
                for n in range(start, min(start + 20_000, records))
            ]
            store.save_announcements("src", batch)
    finally:
        store.close()


def write_csv(path: Path, new: int, updated: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["url", "title", "note", "tags", "status"])
        for n in range(updated):
            out.writerow([f"https://example.org/{n}", "", f"note {n}", "imported", "reviewing"])
        for n in range(new):
            out.writerow([f"https://example.org/new/{n}", f"New {n}", "", "", ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=20_000)
    parser.add_argument("--updated", type=int, default=5_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="undo-bench-"))
    try:
        base = work / "base.sqlite3"
        build(base, args.records)
        source = work / "import.csv"
        write_csv(source, args.new, args.updated)
        for recorded in (False, True):
            copy = work / f"copy-{recorded}.sqlite3"
            shutil.copy(base, copy)
            store = Store.open(copy)
            try:
                started = time.perf_counter()
                if recorded:
                    with store.recording() as change:
                        result = store.import_csv(source)
                else:
                    result = store.import_csv(source)
                took = time.perf_counter() - started
                label = "recorded" if recorded else "plain"
                print(f"import ({label}): {result.new:,} new, {result.updated:,} updated in {took:.2f} s")
                if recorded:
                    started = time.perf_counter()
                    undone = store.undo(change)
                    took = time.perf_counter() - started
                    print(f"undo: {undone.restored:,} restored, {undone.removed:,} removed in {took:.2f} s")
            finally:
                store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
