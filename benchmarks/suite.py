"""The scale measurements (benchmarks/README.md), each beside bare sqlite3 on the same file."""

from __future__ import annotations

import csv
import json
import logging
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import heartbeat
from benchmarks.build import build
from benchmarks.corpus import COMMON_WORD, PHRASE, RARE_WORD, Corpus
from benchmarks.measure import (
    PAGE,
    Row,
    bare_best,
    bare_connection,
    count_statements,
    match_expression,
    page_statements,
    timed,
)
from benchmarks.window import OpenWindow, application, peak_rss_mb, rss_mb, sortable_columns, timed_action
from db import kept_counts, readers, search
from db.csv_io import EXPORT_COLUMNS
from db.queries import order_clause, where_clause
from db.search import SearchTerms, expanded, search_terms
from db.store import FIRST_COUNT_CAP, VIEWS, Query, Store
from desktop.page_reads import (
    FirstPage,
    FirstPageAsk,
    PageAsk,
    count_elsewhere,
    first_page_elsewhere,
    keep_count_elsewhere,
    page_elsewhere,
)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_RECORDS = 1_000  # "within 1.5x of opening it on 1,000"
FIRST_PAGE_MS = 100.0
SORT_RATIO = 3.0
SEARCH_RATIO = 3.0
OPEN_RATIO = 1.5
MEMORY_MB = 150.0
DATA_RUNS = 7
REFRESH_MS = 1000.0
EXPORT_RATIO = 2.0
IMPORT_SHARE = 0.70
SEARCHES = (
    ("rare word", RARE_WORD),
    ("common word", COMMON_WORD),
    ("commonest word", "the"),
    ("phrase", PHRASE),
)
TAG = "AI Act"
SOURCE = "ec-presscorner"
# The filter bar's filters measured (combo name, value), each alone over All.
FILTERS = (("category", "funding"), ("jurisdiction", "UK"), ("status", "reviewing"))


class Suite:
    """Runs every measurement on the store at `path` (N records), collecting table rows.

    Interactions are timed twice: in the window (the click until the table has painted, Qt's
    painting of a screenful included) and at the window's data path alone (what the tracker
    model reads for its first page: the count and one page, through the Store), which is what
    the bare sqlite3 figure and the ratio compare. The store remembers counts until the data
    changes (a refresh, any triage). A sort does not change which records match, so sorts are
    timed with the count remembered; every other timing starts without it, as after a change.
    """

    def __init__(self, path: Path, workdir: Path, records: int, runs: int, say: Any) -> None:
        self.path = path
        self.workdir = workdir
        self.records = records
        self.runs = runs
        self.heavy_runs = runs if records <= 200_000 else max(1, min(runs, 3))
        # The data path and bare sqlite3 take a millisecond or two for a sort: a median of
        # three is then one garbage collection or checkpoint away from another figure.
        self.data_runs = max(runs, DATA_RUNS)
        self.say = say
        self.rows: list[Row] = []
        self.figures: dict[str, Any] = {}
        self.bare = bare_connection(path)
        self.clock = lambda: datetime.now(UTC)
        self._probe: Any = None

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        ui = f"UI {row.ui_ms:.1f} ms, " if row.ui_ms is not None else ""
        ratio = f" ×{row.ratio:.2f}" if row.ratio is not None else ""
        bare = f" (bare {row.bare_ms:.1f} ms{ratio})" if row.bare_ms is not None else ""
        app = "" if row.app_ms is None else f"{row.app_ms:.1f} ms"
        self.say(f"  {row.label}: {ui}{app}{bare}")
        return row

    def bare_page(
        self, q: Query, offset: int = 0, terms: SearchTerms | None = None
    ) -> tuple[float | None, dict[str, Any]]:
        statements = page_statements(q, self.clock(), offset, terms)
        best, chosen, medians = bare_best(self.bare, statements, self.data_runs)
        return best, {"bare_plan": chosen, "bare_variants_ms": _rounded(medians)}

    def bare_first_ids(self, q: Query) -> list[int]:
        terms = expanded(self._window_store().db, search_terms(q.search))
        _name, sql, params = page_statements(q, self.clock(), terms=terms)[0]
        return [row[0] for row in self.bare.execute(sql, params).fetchall()[:20]]

    def data_ms(self, q: Query, forget: bool = True) -> float:
        """The median time the window's worker takes to expand `q`, count it and read its first
        pages on a Store of its own (desktop/page_reads.py; no view, nothing painted), starting
        without remembered counts unless `forget` is False."""
        store = self._window_store()
        times = []
        keep_landed_count(store, read_first_pages(store, q))
        for _ in range(self.data_runs):
            if forget:
                forget_counts(store)
            began = time.perf_counter()
            page = read_first_pages(store, q)
            times.append((time.perf_counter() - began) * 1000)
            keep_landed_count(store, page)  # after the rows landed, as the window has it done
        return statistics.median(times)

    def _window_store(self) -> Store:
        """The data path's stand-in for the window's Store (whose counts a worker asks), made once."""
        if self._probe is None:
            self._probe = Store.open(self.path)
        return self._probe  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        self.bare.close()

    def interaction(
        self,
        key: str,
        label: str,
        q: Query,
        ui_times: list[float],
        target_ms: float,
        ratio: float,
        extra: Any,
        forget: bool = True,
    ) -> Row:
        """A row for one interaction. With `forget` the data path counts `q` afresh before its
        first page, so bare counts too (its cheapest count telling as much as the app's first
        count: to the same cap); without, the app reads a kept count and bare only the page."""
        bare, bare_extra = self.bare_page(q)
        versus = "bare"
        if forget:
            counts = count_statements(q, self.clock(), cap=FIRST_COUNT_CAP)
            bare_count, chosen, _medians = bare_best(self.bare, counts, self.data_runs)
            bare_extra = {
                **bare_extra,
                "bare_page_ms": bare,
                "bare_count_ms": bare_count,
                "bare_count": chosen,
            }
            bare = None if bare is None or bare_count is None else bare + bare_count
            versus = "bare page + count"
        ui = statistics.median(ui_times)
        data = self.data_ms(q, forget)
        return self.add(
            Row(
                key,
                label,
                data,
                bare,
                f"UI < {target_ms:.0f} ms, ≤ {ratio:.0f}× {versus}",
                ui < target_ms and _within(data, bare, None, ratio),
                self.runs,
                {**bare_extra, **extra},
                ui,
            )
        )

    # -- 1. opening the window -----------------------------------------------------------

    def window_open(self, app: Any, reference: Path) -> None:
        self.say("1. window open")
        OpenWindow(app, reference).close()  # the first window of a process pays Qt's start-up
        results = {}
        for name, path in (("reference", reference), ("full", self.path)):
            times, sidebar, data = [], [], []
            for _ in range(self.runs):
                began = time.perf_counter()
                window = OpenWindow(app, path)
                times.append((time.perf_counter() - began) * 1000)
                assert window.model.rowCount() == 0 or window.model.cached_pages() >= 1
                sidebar.append(window.wait_idle() * 1000 + times[-1])
                window.close()
                data.append(_open_data_ms(path))
            results[name] = (statistics.median(times), statistics.median(sidebar), statistics.median(data))
        bare_times = []
        for _ in range(self.runs):
            began = time.perf_counter()
            conn = bare_connection(self.path)
            _name, sql, params = page_statements(Query(), self.clock())[0]
            conn.execute(sql, params).fetchall()
            conn.close()
            bare_times.append((time.perf_counter() - began) * 1000)
        ref_ui, full_ui = results["reference"][0], results["full"][0]
        self.add(
            Row(
                "open.window",
                f"Open the store, show the first page"
                f" ({REFERENCE_RECORDS:,}-record store: UI {ref_ui:.0f} ms)",
                results["full"][2],
                statistics.median(bare_times),
                f"UI ≤ {OPEN_RATIO}× the {REFERENCE_RECORDS:,}-record store",
                full_ui <= OPEN_RATIO * ref_ui,
                self.runs,
                {
                    "reference_ui_ms": ref_ui,
                    "ui_vs_reference": full_ui / ref_ui,
                    "reference_data_ms": results["reference"][2],
                    "sidebar_counts_ms": results["full"][1],
                    "reference_sidebar_counts_ms": results["reference"][1],
                },
                full_ui,
            )
        )
        self.figures["sidebar_counts_ms"] = results["full"][1]
        fresh = {
            name: statistics.median(_open_probe(path, self.workdir) for _ in range(self.runs))
            for name, path in (("reference", reference), ("full", self.path))
        }
        self.add(
            Row(
                "open.fresh_process",
                f"Open the store in a fresh process, first page painted"
                f" ({REFERENCE_RECORDS:,}-record store: UI {fresh['reference']:.0f} ms)",
                None,
                None,
                f"UI ≤ {OPEN_RATIO}× the {REFERENCE_RECORDS:,}-record store",
                fresh["full"] <= OPEN_RATIO * fresh["reference"],
                self.runs,
                {
                    "reference_ui_ms": fresh["reference"],
                    "ui_vs_reference": fresh["full"] / fresh["reference"],
                },
                fresh["full"],
            )
        )

    # -- 2. sorting ------------------------------------------------------------------------

    def sorting(self, window: OpenWindow) -> None:
        from desktop.ui.tracker_columns import COLUMNS

        self.say("2. sorting by each column")
        times: dict[tuple[int, bool], list[float]] = defaultdict(list)
        checks: dict[tuple[int, bool], bool] = {}
        for _ in range(self.runs):
            for column, _spec in sortable_columns():
                for descending in (True, False):
                    times[(column, descending)].append(
                        timed_action(lambda c=column, d=descending: window.sort(c, d))
                    )
                    if (column, descending) not in checks:
                        q = window.controller.query.current_query()
                        checks[(column, descending)] = window.first_ids() == self.bare_first_ids(q)
        for column, spec in sortable_columns():
            for descending in (True, False):
                arrow = "↓" if descending else "↑"
                self.interaction(
                    f"sort.{spec.sort_key}.{'desc' if descending else 'asc'}",
                    f"Sort by {spec.header} {arrow}",
                    Query(sort=spec.sort_key, descending=descending),
                    times[(column, descending)],
                    FIRST_PAGE_MS,
                    SORT_RATIO,
                    {"same_rows_as_bare": checks[(column, descending)]},
                    forget=False,
                )
        # With a record selected the window also finds it again in the new order.
        title = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "title")
        published = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "published")
        window.sort(published, True)
        picked = []
        for _ in range(self.runs):
            window.controller.place.select_row(0)
            window.paint()
            picked.append(timed_action(lambda: window.sort(title, False)))
            window.sort(published, True)
        self.interaction(
            "sort.with_selection",
            "Sort by Title ↑ with a record selected (kept selected)",
            Query(sort="title", descending=False),
            picked,
            FIRST_PAGE_MS,
            SORT_RATIO,
            {},
            forget=False,
        )
        window.deselect()

    # -- 3. search -----------------------------------------------------------------------------

    def searching(self, window: OpenWindow) -> None:
        """Each search typed as a person types it (120 ms a key): the UI figure is from the last
        key until the first page is painted (the typing pause included). The data path is
        timed cold: no remembered count, no remembered prefix expansion. Bare runs the very
        FTS5 terms the app runs (expanded for it, for free) for the page, plus its own count."""
        self.say("3. full-text search")
        for name, text in SEARCHES:
            firsts = []
            for _ in range(self.runs):
                window.search("")
                window.wait_idle()
                forget_counts(window.store)
                forget_expansions(window.store)  # each run expands its prefixes cold
                stall = heartbeat.typing(window, text, 120)
                firsts.append(stall.first_page_after_last_key_ms or float("inf"))
            q = window.controller.query.current_query()
            matches = window.model.rowCount()
            same = window.first_ids() == self.bare_first_ids(q)
            terms = expanded(window.store.db, search_terms(q.search))
            bare_page, bare_extra = self.bare_page(q, terms=terms)
            counts = count_statements(q, self.clock(), terms)
            bare_count, _c, _m = bare_best(self.bare, counts, self.data_runs)
            bare = None if bare_page is None or bare_count is None else bare_page + bare_count
            data = self.data_ms(q)
            ui = statistics.median(firsts)
            self.add(
                Row(
                    f"search.{name.replace(' ', '_')}",
                    f"Search, {name}: “{text}” ({matches:,} matches),"
                    " last key to first page (typing pause in)",
                    data,
                    bare,
                    f"UI < {FIRST_PAGE_MS:.0f} ms, ≤ {SEARCH_RATIO:.0f}× bare page + count",
                    ui < FIRST_PAGE_MS and _within(data, bare, None, SEARCH_RATIO),
                    self.runs,
                    {
                        **bare_extra,
                        "bare_page_ms": bare_page,
                        "bare_count_ms": bare_count,
                        "bare_match": match_expression(terms),
                        "matches": matches,
                        "same_rows_as_bare": same,
                    },
                    ui,
                )
            )
        window.search("")
        window.wait_idle()

    # -- 4. sidebar views and tag filter -----------------------------------------------------

    def views(self, window: OpenWindow) -> None:
        from desktop.ui.views.sidebar import SOURCE as SOURCE_KIND
        from desktop.ui.views.sidebar import TAG as TAG_KIND
        from desktop.ui.views.sidebar import VIEW

        self.say("4. sidebar views, tag and source")
        window.wait_idle()  # the sidebar lists tags and sources once its counts are in
        choices = [(VIEW, v) for v in VIEWS] + [(TAG_KIND, TAG), (SOURCE_KIND, SOURCE)]
        times: dict[tuple[str, str], list[float]] = defaultdict(list)
        queries: dict[tuple[str, str], Query] = {}
        counts: dict[tuple[str, str], int] = {}
        checks: dict[tuple[str, str], bool] = {}
        for _ in range(self.runs):
            for choice in choices:
                forget_counts(window.store)
                times[choice].append(timed_action(lambda c=choice: window.choose(*c)))
                if choice not in queries:
                    queries[choice] = window.controller.query.current_query()
                    counts[choice] = window.model.rowCount()
                    checks[choice] = window.first_ids() == self.bare_first_ids(queries[choice])
        for choice in choices:
            kind, value = choice
            label = VIEWS.get(value, value) if kind == VIEW else f"{kind.capitalize()} “{value}”"
            self.interaction(
                f"view.{kind}.{value}",
                f"{label} ({counts[choice]:,} records)",
                queries[choice],
                times[choice],
                FIRST_PAGE_MS,
                SORT_RATIO,
                {"records": counts[choice], "same_rows_as_bare": checks[choice]},
            )
        window.choose(VIEW, "all")
        self.filters(window)

    def filters(self, window: OpenWindow) -> None:
        """The filter bar's filters, each picked alone over All, as views are."""
        self.say("4b. filters")
        times: dict[tuple[str, str], list[float]] = defaultdict(list)
        queries: dict[tuple[str, str], Query] = {}
        counts: dict[tuple[str, str], int] = {}
        checks: dict[tuple[str, str], bool] = {}
        for _ in range(self.runs):
            for choice in FILTERS:
                name, value = choice
                forget_counts(window.store)
                times[choice].append(timed_action(lambda n=name, v=value: window.filter(n, v)))
                if choice not in queries:
                    queries[choice] = window.controller.query.current_query()
                    counts[choice] = window.model.rowCount()
                    checks[choice] = window.first_ids() == self.bare_first_ids(queries[choice])
                window.filter(name, None)
        for choice in FILTERS:
            name, value = choice
            self.interaction(
                f"filter.{name}.{value}",
                f"Filter {name} “{value}” ({counts[choice]:,} records)",
                queries[choice],
                times[choice],
                FIRST_PAGE_MS,
                SORT_RATIO,
                {"records": counts[choice], "same_rows_as_bare": checks[choice]},
            )

    # -- 5. scrolling ----------------------------------------------------------------------------

    def scrolling(self, window: OpenWindow) -> None:
        self.say("5. scrolling")
        model = window.model
        ends, middles, pages = [], [], 0
        for _ in range(self.runs):
            window.reset_rows()
            ends.append(timed_action(lambda: window.scroll_to(1.0)))
            pages = max(pages, model.cached_pages())
            middles.append(timed_action(lambda: window.scroll_to(0.5)))
            pages = max(pages, model.cached_pages())
        window.scroll_to(0.0)
        count = model.rowCount()
        q = window.controller.query.current_query()
        end_data, middle_data = (
            _page_at_ms(self.path, q, count, 1.0, self.runs),
            _page_at_ms(self.path, q, count, 0.5, self.runs),
        )
        bare_end, extra = self.bare_page(q, offset=max(0, count - PAGE))
        bare_reverse, _extra = self.bare_page(replace(q, descending=not q.descending))
        bare_middle, extra_middle = self.bare_page(q, offset=max(0, count // 2 - PAGE // 2))
        limit = model.MAX_PAGES * model.PAGE_SIZE
        held = pages * model.PAGE_SIZE
        best_end = min(v for v in (bare_end, bare_reverse) if v is not None)
        self.add(
            Row(
                "scroll.end",
                f"Scroll to the end (rows held: at most {held:,} of {count:,})",
                end_data,
                best_end,
                f"rows held ≤ {limit:,}; UI < {FIRST_PAGE_MS:.0f} ms",
                held <= limit and statistics.median(ends) < FIRST_PAGE_MS,
                self.runs,
                {"bare_offset_ms": bare_end, "bare_reverse_order_ms": bare_reverse, **extra},
                statistics.median(ends),
            )
        )
        self.add(
            Row(
                "scroll.middle",
                "Drag the scroll bar to the middle",
                middle_data,
                bare_middle,
                f"UI < {FIRST_PAGE_MS:.0f} ms",
                statistics.median(middles) < FIRST_PAGE_MS,
                self.runs,
                extra_middle,
                statistics.median(middles),
            )
        )

    # -- 6. saving a refresh, saving a note --------------------------------------------------------

    def refresh(self, corpus: Corpus) -> None:
        self.say("6. saving a refresh of 500 announcements; saving a note")
        store = Store.open(self.path)
        writer = sqlite3.connect(self.path, isolation_level=None)
        writer.execute("PRAGMA synchronous = FULL")
        writer.execute("PRAGMA busy_timeout = 10000")
        try:
            rng = random.Random(7)
            top = store.db.conn.execute("SELECT max(id) FROM records").fetchone()[0]
            fresh = 10 * (corpus.count + top)  # numbers past any saved before: new links
            app_times, bare_times = [], []
            for _ in range(self.runs):
                for side in ("app", "bare"):
                    new = [corpus.announcement(fresh + i) for i in range(250)]
                    fresh += 250
                    changed = _revised(store, rng.sample(range(1, top + 1), 250), f"{time.time_ns()}")
                    groups: dict[str, list[Any]] = defaultdict(list)
                    for source_id, item in new + changed:
                        groups[source_id].append(item)
                    if side == "app":
                        began = time.perf_counter()
                        results = [store.save_announcements(s, items) for s, items in groups.items()]
                        app_times.append((time.perf_counter() - began) * 1000)
                        assert sum(r.new for r in results) == 250, results
                        assert sum(r.changed for r in results) == 250, results
                    else:
                        bare_times.append(_bare_save(writer, groups))
            app = sorted(app_times)[len(app_times) // 2]
            bare = sorted(bare_times)[len(bare_times) // 2]
            self.add(
                Row(
                    "refresh.save_500",
                    "Save a refresh of 500 announcements (250 new, 250 changed; 1 transaction per source)",
                    app,
                    bare,
                    f"< {REFRESH_MS:.0f} ms",
                    app < REFRESH_MS,
                    self.runs,
                )
            )
            # A note: time, and whether the search index of the other columns moved.
            conn = store.db.conn
            fts_before = _fts_state(conn, "records_fts")
            notes_before = _fts_state(conn, "notes_fts")
            ids = rng.sample(range(1, top + 1), self.runs)
            stamp = time.time_ns()  # a note never written before, so that saving it writes
            note_times = [
                timed(lambda i=i, n=n: store.set_note(i, f"Benchmark note {stamp}-{n}: check the budget."))[0]
                for n, i in enumerate(ids)
            ]
            fts_after = _fts_state(conn, "records_fts")
            notes_after = _fts_state(conn, "notes_fts")
            untouched = fts_before == fts_after and notes_before != notes_after
            if not untouched:
                self.say(
                    f"    records_fts {fts_before} -> {fts_after}; notes {notes_before} -> {notes_after}"
                )
            bare_note = []
            for n, i in enumerate(rng.sample(range(1, top + 1), self.runs)):
                began = time.perf_counter()
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("UPDATE records SET note = ? WHERE id = ?", (f"Bare note {stamp}-{n}", i))
                writer.execute("COMMIT")
                bare_note.append((time.perf_counter() - began) * 1000)
            self.add(
                Row(
                    "note.save",
                    "Save a note (records_fts untouched: " + ("yes" if untouched else "NO") + ")",
                    sorted(note_times)[self.runs // 2],
                    sorted(bare_note)[self.runs // 2],
                    "records_fts rows untouched",
                    untouched,
                    self.runs,
                )
            )
        finally:
            writer.close()
            store.close()

    # -- 7. CSV ----------------------------------------------------------------------------------

    def csv(self) -> None:
        self.say("7. CSV export and import")
        folder = self.workdir / "csv"
        folder.mkdir(exist_ok=True)
        for key, label, q in (
            ("export.all", "Export the whole store to CSV", Query()),
            ("export.search", f"Export a search (“{PHRASE}”) to CSV", Query(search=PHRASE)),
        ):
            target = folder / f"{key}.csv"
            app_times, rows = [], 0
            for _ in range(self.heavy_runs):
                ms, rows = timed(lambda q=q, t=target: _export(self.path, q, t))
                app_times.append(ms)
            bare_target = folder / f"{key}.bare.csv"
            sql = _export_sql(q, self.clock())
            bare_times = [
                timed(lambda s=sql, t=bare_target: _sqlite3_csv(self.path, s, t))[0]
                for _ in range(self.heavy_runs)
            ]
            bare_rows = _csv_rows(bare_target)
            app = sorted(app_times)[len(app_times) // 2]
            bare = sorted(bare_times)[len(bare_times) // 2]
            self.add(
                Row(
                    key,
                    f"{label} ({rows:,} rows, {target.stat().st_size / 1e6:,.0f} MB)",
                    app,
                    bare,
                    f"≤ {EXPORT_RATIO:.0f}× sqlite3 -csv",
                    app <= EXPORT_RATIO * bare and rows == bare_rows,
                    self.heavy_runs,
                    {"rows": rows, "bare_rows": bare_rows},
                )
            )
        source = folder / "export.all.csv"
        runs = 1 if self.records >= 500_000 else self.heavy_runs
        app_times, bare_times, new = [], [], 0
        for run in range(runs):
            empty = folder / f"import-{run}.sqlite"
            _remove(empty)
            Store.open(empty).close()
            ms, new = timed(lambda e=empty: _import(e, source))
            app_times.append(ms)
            _remove(empty)
            Store.open(empty).close()
            bare_times.append(_bare_import(empty, source))
            _remove(empty)
        app = sorted(app_times)[runs // 2]
        bare = sorted(bare_times)[runs // 2]
        share = bare / app
        self.add(
            Row(
                "import.all",
                f"Import the whole store's CSV into an empty store"
                f" ({new:,} records; {100 * share:.0f} % of bare)",
                app,
                bare,
                f"≥ {100 * IMPORT_SHARE:.0f} % of bare's speed",
                share >= IMPORT_SHARE,
                runs,
                {"records": new, "rows_per_s": new / (app / 1000), "bare_rows_per_s": new / (bare / 1000)},
            )
        )
        shutil.rmtree(folder, ignore_errors=True)

    # -- 8. memory ---------------------------------------------------------------------------------

    def memory(self) -> None:
        self.say("8. memory with the window open")
        empty = self.workdir / "memory-empty.sqlite"
        _remove(empty)
        Store.open(empty).close()
        probes = {
            name: _memory_probe(path, self.workdir) for name, path in (("empty", empty), ("full", self.path))
        }
        _remove(empty)
        above = probes["full"]["rss_mb"] - probes["empty"]["rss_mb"]
        self.add(
            Row(
                "memory.window",
                f"Resident memory, window open and used: {probes['full']['rss_mb']:.0f} MB"
                f" ({above:+.0f} MB over an empty store)",
                None,
                None,
                f"< {MEMORY_MB:.0f} MB above an empty store",
                above < MEMORY_MB,
                1,
                {"probes": probes, "above_empty_mb": above},
            )
        )


def forget_counts(store: Store) -> None:
    """Drop the counts the store remembers and keeps in its file (as any change to the data
    does, db/kept_counts.py), and those the Stores kept for the worker's reads remember
    (db/readers.py), so that they are timed cold."""
    for held in (store, *readers.idle(store.path)):
        getattr(held, "_counts", {}).clear()
    if not store.readonly:
        kept_counts.forget(store.db.conn)


def forget_expansions(store: Store) -> None:
    """Drop the prefix expansions the store and the Stores kept for the worker's reads
    remember (db/search.py), so they are timed cold."""
    for held in (store, *readers.idle(store.path)):
        getattr(search, "_expansions", {}).pop(held.db, None)


def read_first_pages(store: Store, q: Query) -> FirstPage:
    """What the window's worker does for a new query before its rows land
    (desktop/page_reads.py): `store` stands for the window's Store."""
    from desktop.ui.tracker_model import TrackerModel

    ask = FirstPageAsk(q, store.clock(), TrackerModel.PAGE_SIZE, FIRST_COUNT_CAP, (0,))
    page = first_page_elsewhere(store.path, ask, lambda: False)
    assert page is not None
    return page


def keep_landed_count(store: Store, page: FirstPage) -> None:
    """What other workers do once the rows have landed: keep their exact count in the file,
    made first when the first page came with an estimate (desktop/ui/tracker_model.py)."""
    if page.to_keep:
        keep_count_elsewhere(store.path, page.stamp, page.count, lambda: False)
    elif not page.exact:
        number = count_elsewhere(store.path, page.stamp, lambda: False)
        if number is not None:
            keep_count_elsewhere(store.path, page.stamp, number, lambda: False)


def _open_data_ms(path: Path) -> float:
    """What opening costs the data path alone: open the store, count, read the first pages."""
    began = time.perf_counter()
    store = Store.open(path)
    try:
        page = read_first_pages(store, Query())
        landed_ms = (time.perf_counter() - began) * 1000
        keep_landed_count(store, page)
        return landed_ms
    finally:
        store.close()


def _page_at_ms(path: Path, q: Query, count: int, fraction: float, runs: int) -> float:
    """The worker's read of the page shown at `fraction` of the way down (the count known)."""
    from desktop.ui.tracker_model import TrackerModel

    size = TrackerModel.PAGE_SIZE
    offset = min(count - 1, int(count * fraction)) // size * size
    with Store.open(path) as store:
        ask = PageAsk(q, store.clock(), max(0, offset), size, count, True)
        return statistics.median(
            timed(lambda: page_elsewhere(path, ask, lambda: False))[0] for _ in range(runs)
        )


def _export(path: Path, q: Query, target: Path) -> int:
    """What the window's Export does in its worker: its own Store, the current query."""
    with Store.open(path) as store:
        return store.export_csv(target, q)


def _import(path: Path, source: Path) -> int:
    with Store.open(path) as store:
        return store.import_csv(source).new


def _within(app: float, bare: float | None, limit_ms: float | None, ratio: float) -> bool:
    if limit_ms is not None and app >= limit_ms:
        return False
    return bare is None or app <= ratio * bare or app < 1.0  # a millisecond is instant either way


def _rounded(values: dict[str, float | None]) -> dict[str, float | None]:
    return {k: None if v is None else round(v, 3) for k, v in values.items()}


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)


def _revised(store: Store, ids: list[int], mark: str) -> list[tuple[str, Any]]:
    """Stored records as the source that listed them would list them after an edit: a new
    title, more text and, for calls, a later deadline (read from the store, so that a store
    built on another day, or by an older corpus, is revised all the same)."""
    from scrapers.model import Announcement

    marks_ = ", ".join("?" * len(ids))
    rows = store.db.conn.execute(
        "SELECT r.url, rs.source_id, r.title, r.summary, r.body, r.deadline_at FROM records r"
        f" JOIN record_sources rs ON rs.record_id = r.id WHERE r.id IN ({marks_}) GROUP BY r.id",
        ids,
    ).fetchall()
    revised = []
    for url, source_id, title, summary, body, deadline in rows:
        later = None
        if deadline:
            later = (datetime.fromisoformat(deadline.replace("Z", "+00:00")) + timedelta(days=14)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
        revised.append(
            (
                source_id,
                Announcement(
                    url=url,
                    title=f"{title} (update {mark})",
                    summary=summary,
                    body=f"{body or ''} Update {mark}: the deadline and budget were revised.",
                    deadline_at=later,
                ),
            )
        )
    return revised


def _fts_state(conn: sqlite3.Connection, table: str) -> tuple[Any, ...]:
    """What any write to an FTS5 index changes: its structure and totals records, its size."""
    rows = conn.execute(f"SELECT id, block FROM {table}_data WHERE id IN (1, 10)").fetchall()
    size = conn.execute(f"SELECT max(rowid), count(*) FROM {table}_data").fetchone()
    return (tuple(rows), size)


def _bare_save(conn: sqlite3.Connection, groups: dict[str, list[Any]]) -> float:
    """The same refresh as plain SQL: per source one transaction inserting the new records and
    updating the changed ones (with a version row each), and the source links."""
    fields = (
        "title", "summary", "body", "category", "jurisdiction", "organisation", "identifier",
        "published_at", "opens_at", "deadline_at", "budget_amount", "budget_currency", "call_status",
    )  # fmt: skip
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    began = time.perf_counter()
    for source_id, items in groups.items():
        conn.execute("BEGIN IMMEDIATE")
        existing = dict(
            conn.execute(
                f"SELECT url, id FROM records WHERE url IN ({', '.join('?' * len(items))})",
                [a.url for a in items],
            ).fetchall()
        )
        for item in items:
            values = [getattr(item, f) for f in fields]
            if item.url in existing:
                record_id = existing[item.url]
                conn.execute(
                    "INSERT INTO record_versions (record_id, changed_at, source_id, changed_fields,"
                    " previous, current) VALUES (?, ?, ?, '[]', '{}', '{}')",
                    (record_id, now, source_id),
                )
                conn.execute(
                    f"UPDATE records SET {', '.join(f + ' = ?' for f in fields)}, changed_at = ?,"
                    " last_seen_at = ? WHERE id = ?",
                    [*values, now, now, record_id],
                )
            else:
                record_id = conn.execute(
                    f"INSERT INTO records (url, source_id, {', '.join(fields)}, first_seen_at, last_seen_at)"
                    f" VALUES ({', '.join('?' * (len(fields) + 4))})",
                    [item.url, source_id, *values, now, now],
                ).lastrowid
            conn.execute(
                "INSERT INTO record_sources (record_id, source_id, first_seen_at, last_seen_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen_at = excluded.last_seen_at",
                (record_id, source_id, now, now),
            )
        conn.execute("COMMIT")
    return (time.perf_counter() - began) * 1000


def _export_sql(q: Query, now: Any) -> str:
    """The export's SELECT with its parameters written in (for the sqlite3 command line)."""
    where, params = where_clause(q, now)
    for name, value in sorted(params.items(), key=lambda kv: -len(kv[0])):
        where = where.replace(f":{name}", "'" + str(value).replace("'", "''") + "'")
    names = {"source": "coalesce(s.name, r.source_id, '')", "tags": "r.tags_text"}
    columns = ", ".join(f"{names.get(c, 'r.' + c)} AS {c}" for c in EXPORT_COLUMNS)
    return (
        f"SELECT {columns} FROM records r LEFT JOIN sources s ON s.id = r.source_id"
        f" WHERE {where} ORDER BY {order_clause(q)}"
    )


def _sqlite3_csv(path: Path, sql: str, target: Path) -> None:
    with target.open("wb") as out:
        subprocess.run(["sqlite3", "-readonly", "-csv", "-header", str(path), sql], stdout=out, check=True)


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _bare_import(path: Path, source: Path) -> float:
    """Bare SQLite doing an import's work on an empty store: `.import` the CSV into a staging
    table, insert the records (the search indexes filled by the schema's triggers), tag links.

    Each record gets every column the app's import writes, the funding facets and the follow
    mark included, and a digest of its scraped fields (the shell's `sha3` of their JSON, where
    the app stores a SHA-256 of theirs), so both store rows of the same width."""
    columns = ", ".join(EXPORT_COLUMNS)
    script = f"""
PRAGMA synchronous = FULL;
BEGIN;
CREATE TABLE staging ({columns});
.import --csv --skip 1 {source} staging
INSERT INTO records (url, title, identifier, category, jurisdiction, organisation, published_at,
    deadline_at, call_status, budget_amount, budget_currency, status, starred, tags_text, note,
    summary, followed, opens_at, programme, action_type, first_seen_at, last_seen_at, content_hash)
SELECT url, title, nullif(identifier, ''), nullif(category, ''), nullif(jurisdiction, ''),
    nullif(organisation, ''), nullif(published_at, ''), nullif(deadline_at, ''),
    nullif(call_status, ''), nullif(budget_amount, ''), nullif(budget_currency, ''),
    coalesce(nullif(status, ''), 'new'), coalesce(nullif(starred, ''), 0), tags, nullif(note, ''),
    nullif(summary, ''), coalesce(nullif(followed, ''), 0), nullif(opens_at, ''),
    nullif(programme, ''), nullif(action_type, ''),
    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
    lower(hex(sha3(json_array(title, nullif(summary, ''), NULL, nullif(category, ''),
        nullif(jurisdiction, ''), nullif(organisation, ''), nullif(identifier, ''),
        nullif(published_at, ''), NULL, nullif(opens_at, ''), nullif(deadline_at, ''),
        nullif(budget_amount, ''), nullif(budget_currency, ''), nullif(call_status, ''),
        nullif(programme, ''), nullif(action_type, '')), 256)))
FROM staging;
INSERT OR IGNORE INTO tags (name)
SELECT DISTINCT j.value FROM records r, json_each('["' || replace(r.tags_text, '; ', '","') || '"]') j
WHERE r.tags_text != '';
INSERT OR IGNORE INTO record_tags (record_id, tag_id)
SELECT r.id, t.id FROM records r, json_each('["' || replace(r.tags_text, '; ', '","') || '"]') j
JOIN tags t ON t.name = j.value WHERE r.tags_text != '';
DROP TABLE staging;
COMMIT;
"""
    began = time.perf_counter()
    subprocess.run(["sqlite3", str(path)], input=script.encode("utf-8"), check=True, capture_output=True)
    return (time.perf_counter() - began) * 1000


def _open_probe(path: Path, workdir: Path) -> float:
    """Milliseconds a fresh process takes from building the window on `path` to its first
    painted page (the QApplication made before: Qt's own start is the same at any size)."""
    return float(_probe("--open-probe", path, workdir)["open_ms"])


def open_probe(path: Path, workdir: Path) -> dict[str, Any]:
    """Runs in its own process: opens the window on `path` once."""
    app = application(workdir)
    began = time.perf_counter()
    window = OpenWindow(app, path)
    open_ms = (time.perf_counter() - began) * 1000
    window.close()
    return {"open_ms": open_ms}


def _memory_probe(path: Path, workdir: Path) -> dict[str, Any]:
    return _probe("--memory-probe", path, workdir)


def _probe(option: str, path: Path, workdir: Path) -> dict[str, Any]:
    """Run run.py's `option` (a probe) on `path` in a fresh process; its JSON answer."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            option,
            str(path),
            "--workdir",
            str(workdir),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the probe {option} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def memory_probe(path: Path, workdir: Path) -> dict[str, Any]:
    """Runs in its own process: the window on `path`, used (sorted, searched, scrolled)."""

    app = application(workdir)
    before = rss_mb()
    began = time.perf_counter()
    window = OpenWindow(app, path)
    cold_open_ms = (time.perf_counter() - began) * 1000
    window.wait_idle()
    for fraction in (1.0, 0.5, 0.25, 0.0):
        window.scroll_to(fraction)
    for column, _spec in sortable_columns():
        window.sort(column, column % 2 == 0)
    window.sort(5, True)
    for _name, text in SEARCHES:
        window.search(text)
        window.scroll_to(1.0)
    window.search("")
    window.wait_idle()
    figures = {
        "rss_before_window_mb": before,
        "rss_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "cold_open_ms": cold_open_ms,
        "rows": window.model.rowCount(),
    }
    window.close()
    return figures


def reference_store(workdir: Path) -> Path:
    """The 1,000-record store the window-open time is compared with (built once)."""
    path = workdir / f"reference-{REFERENCE_RECORDS}.sqlite"
    if not path.exists():
        build(path, Corpus(REFERENCE_RECORDS))
    return path
