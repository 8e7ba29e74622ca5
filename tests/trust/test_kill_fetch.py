"""kill -9 of `policy-tracker fetch` at many moments (tests/trust/README.md, "Crashes").

The real command runs as a child process against local servers serving the default sources'
captured payloads; the parent SIGKILLs it after the servers have seen N requests, or after a
random pause (start-up, migration, the first saves). After every kill the store opens, passes
`PRAGMA integrity_check` and the FTS checks, holds every record it held before and every note,
tag, star and status, has no duplicate, and each source's batch is all there or not at all.
Then one more fetch, not killed, completes and adds no duplicate.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from db.store import Store
from desktop.sources_file import load_sources
from tests.fakeweb import FakeWeb
from tests.trust.conftest import LISTINGS, ROOT, cli, cli_command, cli_env, store_facts

# Kill after the servers have logged this many requests (a fetch of all ten default
# sources makes 31), and after these pauses from the start of the process.
AFTER_REQUESTS = (1, 3, 6, 9, 13, 17, 21, 25, 29)
# Random pauses in [0, 1.2) s: start-up, migration, sync, the first batches. A long run sets
# POLICY_TRACKER_EXTRA_KILLS=300.
AFTER_SECONDS = 4 + int(os.environ.get("POLICY_TRACKER_EXTRA_KILLS", "0"))
ANNOTATED_SOURCES = ("ukri-news", "europarl-press", "digital-strategy-news", "eurohpc-news")
CHANGED_TITLE = "Changed title after the notes were written"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _annotate(db: Path) -> None:
    """Notes, tags, stars and statuses, saved through the Store as the window saves them."""
    with Store.open(db) as store:
        ids = [r[0] for r in store.db.conn.execute("SELECT id FROM records ORDER BY id")]
        for n, record_id in enumerate(ids):
            store.set_note(record_id, f"note {n}: check with the policy team\n= not a formula")
            store.set_tags(record_id, ["kill-test", f"t{n % 4}"])
            store.set_starred([record_id], n % 2 == 0)
            store.set_status([record_id], ("reviewing", "done")[n % 2])


def _kill_when(
    web: FakeWeb, db: Path, sources: Path, home: Path, requests: int | None, pause: float | None
) -> str:
    """Start a fetch, kill it at the chosen moment; returns what it printed before dying."""
    seen = len(web.log)
    child = subprocess.Popen(
        cli_command("--db", db, "fetch", "--sources", sources, "--delay", "0"),
        cwd=ROOT,
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = time.monotonic()
    while child.poll() is None and time.monotonic() - started < 60:
        if requests is not None and len(web.log) - seen >= requests:
            break
        if pause is not None and time.monotonic() - started >= pause:
            break
        time.sleep(0.002)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.stdout is not None
    return child.stdout.read()


def test_fetch_killed_at_many_moments_loses_nothing(
    web: FakeWeb, local_sources: Path, tmp_path: Path, figures: Counter[str]
) -> None:
    # What a complete fetch gives, for the all-or-nothing check of each source's batch.
    reference = tmp_path / "reference.sqlite3"
    seen = len(web.log)
    first = cli("--db", reference, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    requests_per_fetch = len(web.log) - seen
    assert requests_per_fetch > max(AFTER_REQUESTS)
    complete = store_facts(reference)
    full = complete["per_source"]
    assert set(full) == set(LISTINGS)  # type: ignore[arg-type]

    # The user's store: four sources fetched and annotated; then one of them changes a title,
    # so that a fetch both adds records and updates annotated ones.
    baseline = tmp_path / "baseline.sqlite3"
    some = cli(
        "--db",
        baseline,
        "fetch",
        "--sources",
        local_sources,
        "--delay",
        "0",
        "--only",
        *ANNOTATED_SOURCES,
        home=tmp_path,
    )
    assert some.returncode == 0, some.stdout + some.stderr
    _annotate(baseline)
    ukri = next(s for s in load_sources(local_sources) if s.id == "ukri-news")
    original = (ROOT / "tests/fixtures" / LISTINGS["ukri-news"][0]).read_text(encoding="utf-8")
    changed = original.replace(
        "£30 million for responsible AI research &#8211; new hubs announced", CHANGED_TITLE
    )
    assert changed != original
    web.serve(ukri.url, web.rewrite(changed), "application/rss+xml")
    before = store_facts(baseline)
    assert len(before["user"]) >= 10  # type: ignore[arg-type]

    rng = random.Random(5)
    moments = [(n, None) for n in AFTER_REQUESTS] + [
        (None, rng.uniform(0, 1.2)) for _ in range(AFTER_SECONDS)
    ]
    kills, resumed, trace = 0, 0, []
    for number, (requests, pause) in enumerate(moments):
        db = tmp_path / f"kill-{number}" / "tracker.sqlite3"  # each kill interrupts a whole fetch
        db.parent.mkdir()
        shutil.copy(baseline, db)
        printed = _kill_when(web, db, local_sources, tmp_path, requests, pause)
        assert "Traceback" not in printed, printed
        kills += 1
        after = store_facts(db)
        where = f"killed after {requests} requests" if requests else f"killed after {pause:.2f} s"
        assert after["problems"] == [], (where, after["problems"])
        assert after["duplicates"] == 0, where
        assert after["urls"] >= before["urls"], where  # type: ignore[operator]  # no record lost
        assert after["user"] == before["user"], where  # every note, tag, star, status, byte for byte
        assert after["fts_rows"] == len(after["urls"]), where  # type: ignore[arg-type]
        for source_id, count in after["per_source"].items():  # type: ignore[attr-defined]
            # A batch is one transaction: a source has what it had, or all of its new batch.
            assert count in (before["per_source"].get(source_id, 0), full[source_id]), (where, source_id)  # type: ignore[attr-defined, index]
        trace.append(sum(after["per_source"].values()))  # type: ignore[attr-defined]

        # The next fetch, not killed, completes: everything, once, user data untouched (after
        # every third kill, to keep the test short; the killed stores differ only in timing).
        if number % 3 != 2 and number != len(moments) - 1:
            continue
        resumed += 1
        again = cli("--db", db, "fetch", "--sources", local_sources, "--delay", "0", home=tmp_path)
        assert again.returncode == 0, (where, again.stdout + again.stderr)
        end = store_facts(db)
        assert end["problems"] == [] and end["duplicates"] == 0, where
        assert end["per_source"] == full and end["urls"] == complete["urls"], where
        assert end["user"] == before["user"], where
        with Store.open(db) as store:
            assert (
                store.db.conn.execute(
                    "SELECT count(*) FROM records WHERE title = ?", (CHANGED_TITLE,)
                ).fetchone()[0]
                == 1
            )
    assert len(set(trace)) >= 3, f"the kills all landed at the same point: {trace}"
    figures["kill -9 of `policy-tracker fetch` survived"] += kills
    figures["fetches resumed after a kill, no duplicate"] += resumed
    print(
        f"kill -9 of fetch: {kills} kills survived ({requests_per_fetch} requests per fetch), "
        f"{len(before['user'])} annotated records intact; source links after each kill: {trace}"
    )  # type: ignore[arg-type]
