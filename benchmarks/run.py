"""Benchmark the store and the window at scale: `python benchmarks/run.py --records N`.

Builds a store of N generated records through the Store API, measures every item of the issue
(the median of several runs, each beside bare sqlite3 doing the same on the same file), prints
a table and, with --json, writes the same figures as JSON. Fails only on errors, never on time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import network, readme_table, sizes, stalls, watchlists  # noqa: E402
from benchmarks.build import build  # noqa: E402
from benchmarks.corpus import Corpus  # noqa: E402
from benchmarks.suite import Suite, memory_probe, open_probe, reference_store  # noqa: E402
from benchmarks.window import OpenWindow, application  # noqa: E402

SECTIONS = (
    "open", "sort", "search", "views", "scroll", "stall", "watchlists", "refresh", "csv", "memory", "size",
    "network",
)  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=1_000_000, help="records in the store (default 1,000,000)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per measurement; the median is shown (default 5)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where stores and files go (default: a temporary folder)"
    )
    parser.add_argument("--db", type=Path, help="the store to measure: built there if missing, reused if it "
                        "already holds the records (it grows by the refresh measurements)")  # fmt: skip
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="measure only these items")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="also write the report into benchmarks/README.md",
    )
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--open-probe", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def disk(folder: Path) -> str:
    """The file system the store is on: device, type, size, and whether it spins."""
    best = ("", "", "")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, kind = line.split()[:3]
            if str(folder).startswith(mount) and len(mount) > len(best[1]):
                best = (device, mount, kind)
    except OSError:
        return ""
    device, mount, kind = best
    stat = os.statvfs(folder)
    size_gb = stat.f_blocks * stat.f_frsize / 1e9
    block = Path(device).name.rstrip("0123456789")
    if block.startswith("nvme"):
        block = block.rsplit("p", 1)[0] if "p" in block[4:] else block
    rotational = Path(f"/sys/block/{block}/queue/rotational")
    flag = f", rotational flag {rotational.read_text().strip()}" if rotational.exists() else ""
    return f"{device} ({kind} on {mount}, {size_gb:,.0f} GB{flag})"


def machine(folder: Path) -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gb": round(ram, 1),
        "disk": disk(folder),
        "load_at_start": round(os.getloadavg()[0], 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "qt": qVersion(),
        "pyside6": pyside_version,
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def existing_records(path: Path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.workdir)))
        return 0
    if args.open_probe:
        print(json.dumps(open_probe(args.open_probe, args.workdir)))
        return 0
    own_workdir = args.workdir is None
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="pt-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sections = set(args.only or SECTIONS)
    report: dict[str, Any] = {"records": args.records, "runs": args.runs, "machine": machine(workdir)}
    try:
        began = time.perf_counter()
        path = (args.db or workdir / f"store-{args.records}.sqlite").resolve()
        corpus = Corpus(args.records)
        have = existing_records(path)
        if have >= args.records:
            say(f"reusing {path} ({have:,} records)")
            report["build"] = {"reused": str(path), "records_in_store": have}
        else:
            if path.exists():
                raise SystemExit(
                    f"{path} holds {have:,} records, fewer than {args.records:,}: remove it first"
                )
            say(f"building {args.records:,} records in {path}")
            report["build"] = build(path, corpus, progress=lambda text: say(f"  {text}"))
        app = application(workdir)
        suite = Suite(path, workdir, args.records, args.runs, say)
        if "open" in sections:
            suite.window_open(app, reference_store(workdir))
        if sections & {"sort", "search", "views", "scroll", "stall"}:
            window = OpenWindow(app, path)
            window.wait_idle()
            try:
                if "sort" in sections:
                    suite.sorting(window)
                if "views" in sections:
                    suite.views(window)
                if "search" in sections:
                    suite.searching(window)
                if "scroll" in sections:
                    suite.scrolling(window)
                if "stall" in sections:
                    say("9. the longest stall of the window (heartbeat)")
                    stalls.typing(suite.add, window)
                    stalls.choosing(suite.add, window)
                    stalls.sorting(suite.add, window)
                    stalls.select_all_and_change(suite.add, window)
            finally:
                window.close()
        suite.close()
        if "watchlists" in sections:
            say("11. watchlist counts: recounted after a write, and kept (benchmarks/watchlists.py)")
            for row in watchlists.measure(path, corpus, args.runs):
                suite.add(replace(row, key=f"watchlist.{row.key}"))
        if "refresh" in sections:
            suite.refresh(corpus)
        if "csv" in sections:
            suite.csv()
        if "memory" in sections:
            suite.memory()
        if "network" in sections:
            say("network: refresh of the default sources against local servers")
            report["network"] = network.measure(workdir / "network")
        if "size" in sections:
            say("10. the store's size")
            size_rows, report["sizes"] = sizes.measure(path)
            for row in size_rows:
                suite.add(row)
        report["rows"] = [row.as_json() for row in suite.rows]
        report["figures"] = suite.figures
        report["seconds"] = round(time.perf_counter() - began, 1)
        report["machine"]["load_at_end"] = round(os.getloadavg()[0], 1)
        print()
        print(readme_table.render(report))
        if args.json:
            args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        if args.readme:
            readme = readme_table.README
            readme.write_text(
                readme_table.update(readme.read_text(encoding="utf-8"), report), encoding="utf-8"
            )
            say(f"{readme}: {args.records:,}-record results written")
    finally:
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
