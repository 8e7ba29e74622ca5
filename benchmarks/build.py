"""Building a benchmark store through the Store API, as a refresh and a user would.

Records go in through `Store.save_announcements` (one source's batch per call, as a refresh
saves them), a few are re-saved changed (versions, the "changed" view), and user data is
added through the user-data methods: read marks, statuses, stars, tags and notes.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.corpus import Corpus
from db.store import Store
from desktop.sources_file import default_sources_path, load_sources, source_row

logger = logging.getLogger(__name__)

BATCH = 20_000  # records generated at once, saved as one call per source among them
READ_SHARE = 0.85  # the oldest records have been looked at
CHANGED_SHARE = 0.005  # re-saved with a revised text and deadline
STATUS_SHARES = (("done", 0.05), ("reviewing", 0.01), ("archived", 0.03))
STAR_SHARE = 0.005
TAG_SHARES = (("AI Act", 0.02), ("compute", 0.015), ("sovereignty", 0.01), ("for Friday's brief", 0.002))
NOTE_SHARE = 0.002
NOTES = (
    "Brief the minister before the Council meeting.\nCheck the budget split with finance.",
    "Relevant for the AI Act implementation paper; compare with the UK approach.",
    "Ask the university's research office whether we can join a consortium.",
    "Follow up: deadline moved twice already.",
)

Progress = Callable[[str], None]


def source_rows() -> list[dict[str, object]]:
    """The default sources (the corpus uses their ids), as the window syncs them."""
    return [source_row(s) for s in load_sources(default_sources_path())]


def save_records(store: Store, corpus: Corpus, start: int, stop: int, batch: int = BATCH) -> float:
    """Save records `start`..`stop` through `save_announcements`; returns the seconds spent in
    the store (generation excluded)."""
    in_store = 0.0
    for first in range(start, stop, batch):
        groups: dict[str, list[Any]] = defaultdict(list)
        for source_id, item in corpus.announcements(first, min(stop, first + batch)):
            groups[source_id].append(item)
        began = time.perf_counter()
        for source_id, items in groups.items():
            store.save_announcements(source_id, items)
        in_store += time.perf_counter() - began
    return in_store


def build(path: Path, corpus: Corpus, progress: Progress | None = None) -> dict[str, Any]:
    """Make the store at `path` holding `corpus`; returns what each phase cost."""
    say = progress or (lambda _text: None)
    count = corpus.count
    figures: dict[str, Any] = {"records": count}
    store = Store.open(path)
    try:
        store.sync_sources(source_rows())
        began = time.perf_counter()
        saving = 0.0
        step = max(BATCH, count // 20)
        for first in range(0, count, step):
            stop = min(count, first + step)
            saving += save_records(store, corpus, first, stop)
            say(
                f"saved {stop:,} of {count:,} records"
                f" ({stop / max(saving, 1e-9):,.0f} records/s in the store)"
            )
        figures["save_s"] = saving
        figures["save_total_s"] = time.perf_counter() - began
        figures["save_rows_per_s"] = count / saving if saving else None

        rng = random.Random(corpus.seed)
        ids = list(range(1, count + 1))  # ids follow insertion order in a new store

        changed = rng.sample(ids, max(1, int(count * CHANGED_SHARE)))
        began = time.perf_counter()
        groups: dict[str, list[Any]] = defaultdict(list)
        for record_id in changed:
            source_id, item = corpus.announcement(record_id - 1, revision=1)
            groups[source_id].append(item)
        for source_id, items in groups.items():
            store.save_announcements(source_id, items)
        figures["changed"] = len(changed)
        figures["changed_s"] = time.perf_counter() - began

        began = time.perf_counter()
        store.mark_read(ids[: int(count * READ_SHARE)])
        figures["mark_read_s"] = time.perf_counter() - began
        say("marked read")

        began = time.perf_counter()
        for status, share in STATUS_SHARES:
            store.set_status(rng.sample(ids, max(1, int(count * share))), status)
        store.set_starred(rng.sample(ids, max(1, int(count * STAR_SHARE))), True)
        figures["status_star_s"] = time.perf_counter() - began

        began = time.perf_counter()
        tagged = 0
        for name, share in TAG_SHARES:
            chosen = rng.sample(ids, max(1, int(count * share)))
            store.add_tag(chosen, name)
            tagged += len(chosen)
        figures["tagged"] = tagged
        figures["tags_s"] = time.perf_counter() - began
        say("tagged")

        began = time.perf_counter()
        noted = rng.sample(ids, max(1, int(count * NOTE_SHARE)))
        for number, record_id in enumerate(noted):
            store.set_note(record_id, NOTES[number % len(NOTES)])
        figures["notes"] = len(noted)
        figures["notes_s"] = time.perf_counter() - began
        figures["note_ms"] = 1000 * figures["notes_s"] / len(noted)
        say("notes written")

        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    figures["file_mb"] = path.stat().st_size / 1e6
    return figures
