"""Benchmark the backups: `python benchmarks/backup.py --records N`.

Builds (or reuses, with --db) a store of N generated records with the benchmark's user work
(benchmarks/build.py: 85 % read, statuses, stars, tags, notes), then times, the median of
--runs runs each:

* the user-work update that follows one change batch (one note; `UserWorkMirror.changed`),
  and the whole `set_note` call that includes it;
* a complete user-work file (`policy-tracker backup --user-work`: `write_user_work`);
* a full checked copy (`policy-tracker backup`: `backup_to`, backup API + quick_check);
* the bare sqlite3 baselines on the same file: the backup API alone, and `VACUUM INTO`;
* putting the user-work file back onto a copy of the store without it
  (`Store.restore_user_work`), beside one bare `UPDATE ... FROM` of the same file.

Prints each with the size of the file it wrote. Fails only on errors, never on time.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.build import build  # noqa: E402
from benchmarks.corpus import Corpus  # noqa: E402
from db.backups import backup_to  # noqa: E402
from db.store import Store  # noqa: E402
from db.user_work import KEPT_FIELDS, UserWorkMirror, write_user_work  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records in the store (default 100,000)")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per measurement, the median shown (default 3)"
    )
    parser.add_argument("--db", type=Path, help="keep the store here and reuse it next time")
    return parser.parse_args(argv)


def median_s(fn: Callable[[int], None], runs: int) -> float:
    times = []
    for run in range(runs):
        began = time.perf_counter()
        fn(run)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.is_file())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        db = args.db or scratch / "store" / "tracker.sqlite"
        db.parent.mkdir(parents=True, exist_ok=True)
        if not db.exists():
            print(f"building a store of {args.records:,} records ...", flush=True)
            build(db, Corpus(args.records))
        rows = measure(db, scratch, args.runs)
        store_size = size_of(db)
    width = max(len(name) for name, _, _ in rows)
    print(f"\nstore: {args.records:,} records ({store_size / 1e6:,.1f} MB), median of {args.runs} runs")
    print(f"{'':{width}}  {'time':>12}  {'size':>12}")
    for name, seconds, size in rows:
        shown_size = f"{size / 1e6:,.2f} MB" if size is not None else ""
        print(f"{name:{width}}  {seconds * 1000:>9,.2f} ms  {shown_size:>12}")
    return 0


def measure(db: Path, scratch: Path, runs: int) -> list[tuple[str, float, int | None]]:
    rows: list[tuple[str, float, int | None]] = []
    with Store.open(db) as store:
        count = int(store.db.conn.execute("SELECT count(*) FROM records").fetchone()[0])
        mirror = UserWorkMirror(db)
        try:
            mirror.changed(store.db.conn, None)  # the file exists and is complete
            store.set_note(1, "benchmark note")
            one = median_s(lambda run: mirror.changed(store.db.conn, [1 + run % count]), runs)
        finally:
            mirror.close(None)
        note = median_s(lambda run: store.set_note(1 + run, f"benchmark note {run}"), runs)
        mirror_size = size_of(mirror.path)
        rows.append(("user work: update after one change batch", one, mirror_size))
        rows.append(("  set_note, the store's commit and that update", note, None))

    work = [scratch / f"work-{n}.sqlite" for n in range(runs)]
    rows.append(
        ("user work: whole file (backup --user-work)", median_s(lambda n: _work(db, work[n]), runs), None)
    )
    rows[-1] = (rows[-1][0], rows[-1][1], work[0].stat().st_size)

    copies = [scratch / f"copy-{n}.sqlite" for n in range(runs)]
    full = median_s(lambda n: _copy(db, copies[n]), runs)
    rows.append(("full copy, checked (backup)", full, copies[0].stat().st_size))
    for path in copies:
        path.unlink()

    bare = [scratch / f"bare-{n}.sqlite" for n in range(runs)]
    rows.append(("bare sqlite3 backup API", median_s(lambda n: _bare_backup(db, bare[n]), runs), None))
    rows[-1] = (rows[-1][0], rows[-1][1], bare[0].stat().st_size)
    for path in bare:
        path.unlink()

    vacuumed = [scratch / f"vacuum-{n}.sqlite" for n in range(runs)]
    rows.append(("bare sqlite3 VACUUM INTO", median_s(lambda n: _vacuum(db, vacuumed[n]), runs), None))
    rows[-1] = (rows[-1][0], rows[-1][1], vacuumed[0].stat().st_size)
    for path in vacuumed:
        path.unlink()

    restore = statistics.median(
        _restore_onto_bare_copy(db, work[0], scratch / f"target-{n}") for n in range(runs)
    )
    rows.append(("restore the user work onto a copy without it", restore, None))
    bare_restore = statistics.median(
        _restore_onto_bare_copy(db, work[0], scratch / f"bare-target-{n}", bare=True) for n in range(runs)
    )
    rows.append(("bare sqlite3 UPDATE ... FROM the same file", bare_restore, None))
    return rows


def _work(db: Path, dest: Path) -> None:
    write_user_work(db, dest)


def _copy(db: Path, dest: Path) -> None:
    backup_to(db, dest)


def _bare_backup(db: Path, dest: Path) -> None:
    source = sqlite3.connect(db)
    target = sqlite3.connect(dest)
    source.backup(target)
    target.close()
    source.close()


def _vacuum(db: Path, dest: Path) -> None:
    source = sqlite3.connect(db)
    source.execute("VACUUM INTO ?", (str(dest),))
    source.close()


def _restore_onto_bare_copy(db: Path, work: Path, folder: Path, bare: bool = False) -> float:
    """Timed: `restore_user_work` onto a copy of the store whose user work was cleared
    (as a store fetched again would be); the copy and the clearing are not timed. `bare`:
    plain sqlite3 instead, one `UPDATE ... FROM` the attached file (no tags, no checks, no
    copy of the work as it was)."""
    folder.mkdir()
    target = folder / "tracker.sqlite"
    _bare_backup(db, target)
    conn = sqlite3.connect(target)
    conn.execute(
        "UPDATE records SET note = NULL, status = 'new', starred = 0, read_at = NULL, tags_text = ''"
    )
    conn.execute("DELETE FROM record_tags")
    conn.commit()
    if bare:
        conn.execute("ATTACH ? AS saved", (str(work),))
        assignments = ", ".join(f"{field} = w.{field}" for field in KEPT_FIELDS)
        began = time.perf_counter()
        conn.execute(f"UPDATE records SET {assignments} FROM saved.work w WHERE records.url = w.url")
        conn.commit()
        elapsed = time.perf_counter() - began
        conn.close()
        target.unlink()
        return elapsed
    conn.close()
    with Store.open(target) as store:
        began = time.perf_counter()
        result = store.restore_user_work(work)
        elapsed = time.perf_counter() - began
    assert result.unmatched == 0, result
    target.unlink()
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
