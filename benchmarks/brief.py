"""Benchmark the briefs: `python benchmarks/brief.py --records 500`.

Builds a store of N generated records (benchmarks/build.py; every record then gets a
two-line note, so that each entry has all it can show), then times, the median of --runs runs:
reading the records and building the brief (`select_records` + `build_brief`), then writing it
as each format (`save_brief`: DOCX, HTML, Markdown, and PDF, which includes starting the
child process and Qt), and `export --xlsx` of the same records. The baseline is a bare loop
writing the same text (title, link, facts, note, summary) to a file. Target: each format under
5 s for 500 records. Fails only on errors, never on time.
"""

from __future__ import annotations

import argparse
import logging
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
from db.store import Store  # noqa: E402
from desktop.briefs.model import Brief, BriefOptions, build_brief  # noqa: E402
from desktop.briefs.output import save_brief  # noqa: E402
from desktop.briefs.selection import Selection, select_records  # noqa: E402
from desktop.xlsx_export import write_xlsx  # noqa: E402

TARGET_S = 5.0


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def bare_text(brief: Brief, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for section in brief.sections:
            handle.write(section.title + "\n")
            for group in section.groups:
                handle.write(group.title + "\n")
                for entry in group.entries:
                    handle.write(f"{entry.title}\n{entry.link}\n")
                    handle.write(" · ".join(f"{k}: {v}" for k, v in entry.facts) + "\n")
                    handle.write(f"{entry.note}\n{entry.summary}\n\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=500, help="records in the brief (default 500)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement, the median shown")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        db = scratch / "tracker.sqlite"
        print(f"building a store of {args.records:,} records ...", flush=True)
        build(db, Corpus(args.records))
        with Store.open(db) as store:
            for record_id in range(1, args.records + 1):
                store.set_note(record_id, f"Note on {record_id}: raise with the unit.\nSecond line.")

        def read_and_build() -> Brief:
            with Store.open(db) as store:
                records = select_records(store, Selection(status=None))
            return build_brief(records, BriefOptions(heading="Benchmark brief"))

        brief = read_and_build()
        with Store.open(db) as store:
            rows = store.full_rows(Selection().query())
        bare = scratch / "bare.txt"
        results = [
            ("bare loop writing the same text", median_s(lambda: bare_text(brief, bare), args.runs)),
            ("read the records and build the brief", median_s(read_and_build, args.runs)),
        ]
        for fmt in ("docx", "html", "md", "pdf"):
            target = scratch / f"brief.{fmt}"
            results.append(
                (f"write {fmt}", median_s(lambda t=target, f=fmt: save_brief(brief, f, t), args.runs))
            )
        results.append(("export --xlsx", median_s(lambda: write_xlsx(scratch / "r.xlsx", rows), args.runs)))
        sizes = {p.suffix: p.stat().st_size for p in scratch.iterdir() if p.name.startswith(("brief.", "r."))}
    print(f"\nbrief of {brief.record_count:,} records (archived ones are left out, as in the window)")
    print(f"median of {args.runs} runs; target: under {TARGET_S:g} s for each format")
    width = max(len(name) for name, _ in results)
    for name, seconds in results:
        suffix = "." + name.split()[-1].lstrip("-") if name.startswith(("write", "export")) else ""
        size = f"{sizes[suffix] / 1e3:,.0f} kB" if suffix in sizes else ""
        print(f"{name:{width}}  {seconds * 1000:9,.0f} ms  {size:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
