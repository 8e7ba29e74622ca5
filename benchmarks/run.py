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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import network  # noqa: E402
from benchmarks.build import build  # noqa: E402
from benchmarks.corpus import Corpus  # noqa: E402
from benchmarks.measure import Row  # noqa: E402
from benchmarks.suite import Suite, memory_probe, reference_store  # noqa: E402
from benchmarks.window import OpenWindow, application  # noqa: E402

SECTIONS = ("open", "sort", "search", "views", "scroll", "refresh", "csv", "memory", "network")


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
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
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


def table(rows: list[Row]) -> str:
    lines = [
        "| Measure | UI (ms) | Data path (ms) | Bare sqlite3 (ms) | Ratio | Target | Met |",
        "|---|---:|---:|---:|---:|---|:---:|",
    ]

    def ms(value: float | None) -> str:
        return "" if value is None else f"{value:,.1f}"

    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(
            f"| {row.label} | {ms(row.ui_ms)} | {ms(row.app_ms)} | {ms(row.bare_ms)} | {ratio}"
            f" | {row.target} | {met} |"
        )
    return "\n".join(lines)


def build_lines(figures: dict[str, Any]) -> list[str]:
    if not figures:
        return []
    out = [
        f"Store built through the Store API: {figures['records']:,} records in "
        f"{figures['save_s']:,.1f} s of saving ({figures['save_rows_per_s']:,.0f} records/s, "
        f"save_announcements in batches of one source's records), "
        f"{figures['file_mb']:,.0f} MB on disk.",
        f"  then {figures['changed']:,} re-saved changed in {figures['changed_s']:.1f} s; "
        f"read marks {figures['mark_read_s']:.1f} s; statuses and stars {figures['status_star_s']:.1f} s; "
        f"{figures['tagged']:,} tag links {figures['tags_s']:.1f} s; {figures['notes']:,} notes "
        f"{figures['notes_s']:.1f} s ({figures['note_ms']:.1f} ms each).",
    ]
    return out


def network_lines(figures: dict[str, Any]) -> list[str]:
    if not figures:
        return []
    second = figures["unchanged"]["second_refresh"]
    first = figures["unchanged"]["first_refresh"]
    conc = figures["concurrency"]
    written = ", ".join(f"{k} {v}" for k, v in second["rows_written"].items())
    return [
        f"Refresh of all {figures['unchanged']['sources']} default sources, nothing changed upstream "
        f"(local servers honouring ETags): {second['requests']} requests "
        f"({', '.join(f'{k}: {v}' for k, v in second['by_status'].items())}), "
        f"{second['bytes']['sent']:,} bytes sent, {second['bytes']['received']:,} received "
        f"({second['bytes']['received_body']:,} of bodies), {second['seconds']:.2f} s; "
        f"rows written: {written}; WAL frames {second['wal_frames']}.",
        f"  (the first refresh: {first['requests']} requests, {first['bytes']['received']:,} bytes "
        f"received, {first['new']} records, {first['seconds']:.2f} s)",
        f"Concurrency (server latency {network.SERVER_LATENCY_S * 1000:.0f} ms, polite delay "
        f"{conc['polite_delay_s'] * 1000:.0f} ms, pool of {conc['pool']}): {conc['requests']} requests to "
        f"{conc['hosts']} hosts in {conc['wall_s']:.2f} s (one after another: "
        f"{conc['all_hosts_one_after_another_s']:.2f} s; busiest host alone "
        f"≥ {conc['busiest_host']['lower_bound_s']:.2f} s); "
        f"up to {conc['most_hosts_at_once']} hosts at once; "
        f"overlapping requests to one host: {conc['overlapping_requests_to_one_host']}; smallest gap "
        f"between two requests to one host {1000 * (conc['smallest_gap_within_a_host_s'] or 0):.0f} ms.",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.workdir)))
        return 0
    own_workdir = args.workdir is None
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="pt-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sections = set(args.only or SECTIONS)
    report: dict[str, Any] = {"records": args.records, "runs": args.runs, "machine": machine()}
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
        if sections & {"sort", "search", "views", "scroll"}:
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
            finally:
                window.close()
        suite.close()
        if "refresh" in sections:
            suite.refresh(corpus)
        if "csv" in sections:
            suite.csv()
        if "memory" in sections:
            suite.memory()
        if "network" in sections:
            say("network: refresh of the default sources against local servers")
            report["network"] = network.measure(workdir / "network")
        report["rows"] = [row.as_json() for row in suite.rows]
        report["figures"] = suite.figures
        report["seconds"] = round(time.perf_counter() - began, 1)
        m = report["machine"]
        print(
            f"\nPolicy Tracker benchmark: {args.records:,} records, median of {args.runs} runs; "
            f"{m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM; Python {m['python']}, "
            f"SQLite {m['sqlite']}, Qt {m['qt']}\n"
        )
        for line in build_lines(report["build"] if "save_s" in report["build"] else {}):
            print(line)
        print()
        print(table(suite.rows))
        print()
        for line in network_lines(report.get("network", {})):
            print(line)
        missed = [row.label for row in suite.rows if row.met is False]
        print(f"\n{len(missed)} of {sum(r.met is not None for r in suite.rows)} targets missed. "
              f"Total {report['seconds']:,.0f} s.")  # fmt: skip
        if args.json:
            args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    finally:
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
