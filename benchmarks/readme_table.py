"""The benchmark's report as text: what run.py prints, and the README's tables, from one JSON.

    .venv/bin/python benchmarks/readme_table.py bench.json [--readme benchmarks/README.md]

writes the report of `bench.json` (run.py --json) into the README between the markers of its
size, `<!-- results N -->` and `<!-- /results N -->` (a new size goes before
`<!-- /results -->`), so that no figure in the README is typed by hand.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"
ALL_END = "<!-- /results -->"


def machine_line(report: dict[str, Any]) -> str:
    m = report["machine"]
    disk = f"; disk: {m['disk']}" if m.get("disk") else ""
    load = ""
    if "load_at_start" in m:
        load = f"; load average {m['load_at_start']} at the start, {m.get('load_at_end', '?')} at the end"
    return (
        f"Policy Tracker benchmark: {report['records']:,} records, median of {report['runs']} runs;"
        f" {m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM{disk}; {m.get('os', '')}; Python {m['python']},"
        f" SQLite {m['sqlite']}, Qt {m['qt']}{load}."
    )


def build_lines(figures: dict[str, Any]) -> list[str]:
    if "save_s" not in figures:
        return []
    return [
        f"Store built through the Store API: {figures['records']:,} records in "
        f"{figures['save_s']:,.1f} s of saving ({figures['save_rows_per_s']:,.0f} records/s, "
        f"save_announcements in batches of one source's records), "
        f"{figures['file_mb']:,.0f} MB on disk.",
        f"then {figures['changed']:,} re-saved changed in {figures['changed_s']:.1f} s; "
        f"read marks {figures['mark_read_s']:.1f} s; statuses and stars {figures['status_star_s']:.1f} s; "
        f"{figures['tagged']:,} tag links {figures['tags_s']:.1f} s; {figures['notes']:,} notes "
        f"{figures['notes_s']:.1f} s ({figures['note_ms']:.1f} ms each).",
    ]


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| Measure | UI (ms) | Data path (ms) | Bare sqlite3 (ms) | Ratio | Target | Met |",
        "|---|---:|---:|---:|---:|---|:---:|",
    ]
    for row in rows:
        ratio = "" if row.get("ratio") is None else f"{row['ratio']:.2f}"
        met = {True: "yes", False: "**no**", None: ""}[row.get("met")]
        figures = " | ".join(_ms(row.get(k)) for k in ("ui_ms", "app_ms", "bare_ms"))
        lines.append(f"| {row['label']} | {figures} | {ratio} | {row.get('target', '')} | {met} |")
    return "\n".join(lines)


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
        f"(the first refresh: {first['requests']} requests, {first['bytes']['received']:,} bytes "
        f"received, {first['new']} records, {first['seconds']:.2f} s)",
        f"Concurrency (server latency {conc['server_latency_s'] * 1000:.0f} ms, polite delay "
        f"{conc['polite_delay_s'] * 1000:.0f} ms, pool of {conc['pool']}): {conc['requests']} requests to "
        f"{conc['hosts']} hosts in {conc['wall_s']:.2f} s (one after another: "
        f"{conc['all_hosts_one_after_another_s']:.2f} s; busiest host alone "
        f"≥ {conc['busiest_host']['lower_bound_s']:.2f} s); "
        f"up to {conc['most_hosts_at_once']} hosts at once; "
        f"overlapping requests to one host: {conc['overlapping_requests_to_one_host']}; smallest gap "
        f"between two requests to one host {1000 * (conc['smallest_gap_within_a_host_s'] or 0):.0f} ms.",
    ]


def render(report: dict[str, Any]) -> str:
    """The whole report of one run, as run.py prints it and the README holds it."""
    rows = report.get("rows", [])
    missed = sum(row.get("met") is False for row in rows)
    targets = sum(row.get("met") is not None for row in rows)
    parts = [machine_line(report) + "  "]
    parts += [line + "  " for line in build_lines(report.get("build", {}))]
    parts += ["", table(rows), ""]
    network = network_lines(report.get("network", {}))
    if network:
        parts += [*(line + "  " for line in network), ""]
    parts.append(f"{missed} of {targets} targets missed. Run time {report.get('seconds', 0):,.0f} s.")
    return "\n".join(parts)


def update(readme: str, report: dict[str, Any]) -> str:
    """`readme` with the block of the report's size replaced (or added before ALL_END)."""
    records = int(report["records"])
    start, end = f"<!-- results {records} -->", f"<!-- /results {records} -->"
    block = f"{start}\n### {records:,} records\n\n{render(report)}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(readme):
        return pattern.sub(lambda _m: block, readme, count=1)
    if ALL_END not in readme:
        raise ValueError(f"the README has neither {start} … {end} nor {ALL_END}: nowhere to write the table")
    return readme.replace(ALL_END, f"{block}\n\n{ALL_END}", 1)


def main(argv: list[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="the JSON written by run.py --json")
    parser.add_argument("--readme", type=Path, default=README, help=f"the file to update (default {README})")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        text = update(args.readme.read_text(encoding="utf-8"), report)
    except (OSError, ValueError, KeyError) as exc:
        print(f"README not updated: {exc}", file=sys.stderr)
        return 1
    args.readme.write_text(text, encoding="utf-8")
    print(f"{args.readme}: {report['records']:,}-record results written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
