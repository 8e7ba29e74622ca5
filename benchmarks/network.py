"""The network side: a refresh of every default source against local servers that honour ETags.

The servers are the tests' FakeWeb (one real HTTP server on 127.0.0.1 per real host) serving the
captured or constructed payloads of tests/default_web.py. Measured:
  * a second refresh when nothing changed upstream: its requests, bytes and writes to the store;
  * a first refresh with a polite per-host delay and slow servers: that different hosts are
    fetched at the same time while each host's requests stay one at a time, spaced.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from desktop.paths import resource_path
from desktop.refresh import refresh
from desktop.sources_file import load_sources
from scrapers.http import HttpClient
from scrapers.model import Source
from tests.default_web import serve_source as _serve_source
from tests.fakeweb import FakeWeb

logger = logging.getLogger(__name__)
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise

POLITE_DELAY_S = 0.1
SERVER_LATENCY_S = 0.02
WORKERS = 4  # the refresh's default pool


class MeteredWeb(FakeWeb):
    """FakeWeb that also notes when each answer started and ended, and may answer slowly."""

    def __init__(self, latency_s: float = 0.0) -> None:
        super().__init__()
        self.latency_s = latency_s
        self.timeline: list[tuple[str, float, float, int]] = []  # host, start, end, status

    def _respond(self, key: tuple[str, str, str], request: Any) -> Any:
        started = time.monotonic()
        if self.latency_s:
            time.sleep(self.latency_s)
        response = super()._respond(key, request)
        self.timeline.append((key[0], started, time.monotonic(), response.status_code))
        return response

    def exchanges(self, since: dict[str, int] | None = None) -> list[tuple[Any, Any]]:
        """Every request any server answered (robots.txt and 404s included), with its answer;
        with `since` (from `marks`), only those answered after it."""
        since = since or {}
        return [pair for host, server in self.servers.items() for pair in server.log[since.get(host, 0) :]]

    def marks(self) -> dict[str, int]:
        return {host: len(server.log) for host, server in self.servers.items()}


def local_sources(web: FakeWeb, folder: Path) -> list[Source]:
    """The bundled sources file with every host pointed at its local server, all served."""
    for source in load_sources(resource_path("sources.toml")):
        web.local(source.url)
    path = folder / "sources.toml"
    path.write_text(web.rewrite(resource_path("sources.toml").read_text(encoding="utf-8")), encoding="utf-8")
    sources = load_sources(path)
    for source in sources:
        _serve_source(web, source)
    return sources


def _wire_bytes(pairs: list[tuple[Any, Any]]) -> dict[str, int]:
    """Bytes each way: bodies, and status lines plus headers as sent."""
    sent = received = received_body = 0
    for request, response in pairs:
        sent += len(f"{request.method} {request.full_path} HTTP/1.1\r\n")
        sent += sum(len(f"{k}: {v}\r\n") for k, v in request.headers.items()) + 2
        sent += len(request.get_data())
        body = len(response.get_data())
        received_body += body
        received += len(f"HTTP/1.1 {response.status}\r\n") + body
        received += sum(len(f"{k}: {v}\r\n") for k, v in response.headers.items()) + 2
    return {"sent": sent, "received": received, "received_body": received_body}


def _snapshot(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        return {
            "records": conn.execute(
                "SELECT id, last_seen_at, changed_at, content_hash, title FROM records ORDER BY id"
            ).fetchall(),
            "record_sources": conn.execute("SELECT * FROM record_sources ORDER BY 1, 2").fetchall(),
            "record_versions": conn.execute("SELECT count(*) FROM record_versions").fetchone()[0],
            "sources": conn.execute("SELECT * FROM sources ORDER BY id").fetchall(),
            "records_fts": conn.execute("SELECT id, block FROM records_fts_data ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def _changed_rows(before: list[Any], after: list[Any]) -> int:
    return len(set(after) - set(before)) + max(0, len(before) - len(after))


def unchanged_refresh(folder: Path) -> dict[str, Any]:
    """Refresh twice; the second time nothing changed upstream. What did the second cost?"""
    web = MeteredWeb()
    db = folder / "network.sqlite"
    try:
        sources = local_sources(web, folder)
        client = HttpClient(per_host_delay=0, retries=0)
        began = time.perf_counter()
        first = refresh(db, sources, client=client, workers=WORKERS)
        first_s = time.perf_counter() - began
        first_pairs = len(web.exchanges())
        first_bytes = _wire_bytes(web.exchanges())
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        before = _snapshot(db)
        mtime = db.stat().st_mtime_ns
        seen = web.marks()
        began = time.perf_counter()
        second = refresh(db, sources, client=client, workers=WORKERS)
        second_s = time.perf_counter() - began
        client.close()
        pairs = web.exchanges(since=seen)
        wal = Path(f"{db}-wal")
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        moved = conn.execute("PRAGMA data_version").fetchone()[0] != data_version
        frames = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        conn.close()
        after = _snapshot(db)
        statuses = Counter(f"{request.method} {response.status_code}" for request, response in pairs)
        return {
            "sources": len(sources),
            "first_refresh": {
                "seconds": round(first_s, 3),
                "requests": first_pairs,
                "bytes": first_bytes,
                "new": first.new,
                "failed": [o.line() for o in first.failed],
            },
            "second_refresh": {
                "seconds": round(second_s, 3),
                "requests": len(pairs),
                "by_status": dict(sorted(statuses.items())),
                "bytes": _wire_bytes(pairs),
                "new": second.new,
                "changed": second.changed,
                "failed": [o.line() for o in second.failed],
                "lines": [o.line() for o in second.outcomes],
                "store_written": moved,
                "wal_frames": frames,
                "wal_bytes": wal_bytes,
                "db_file_mtime_moved": db.stat().st_mtime_ns != mtime,
                "rows_written": {
                    "records": _changed_rows(before["records"], after["records"]),
                    "record_sources": _changed_rows(before["record_sources"], after["record_sources"]),
                    "record_versions": after["record_versions"] - before["record_versions"],
                    "records_fts_blocks": _changed_rows(before["records_fts"], after["records_fts"]),
                    "sources": _changed_rows(before["sources"], after["sources"]),
                },
            },
        }
    finally:
        web.stop()


def concurrency(folder: Path) -> dict[str, Any]:
    """A first refresh with slow servers and a polite delay: overlap across hosts, none within."""
    web = MeteredWeb(latency_s=SERVER_LATENCY_S)
    db = folder / "concurrency.sqlite"
    try:
        sources = local_sources(web, folder)
        client = HttpClient(per_host_delay=POLITE_DELAY_S, retries=0)
        began = time.perf_counter()
        summary = refresh(db, sources, client=client, workers=WORKERS)
        wall = time.perf_counter() - began
        client.close()
    finally:
        web.stop()
    timeline = sorted(web.timeline, key=lambda t: t[1])
    by_host: dict[str, list[tuple[float, float]]] = {}
    for host, start, end, _status in timeline:
        by_host.setdefault(host, []).append((start, end))
    overlaps_within = 0
    smallest_gap = None
    for spans in by_host.values():
        for (_s1, e1), (s2, _e2) in pairwise(spans):
            gap = s2 - e1
            if gap < 0:
                overlaps_within += 1
            smallest_gap = gap if smallest_gap is None else min(smallest_gap, gap)
    # Sweep: how many hosts had a request in flight at once.
    events = sorted([(s, 1, h) for h, s, _e, _st in timeline] + [(e, -1, h) for h, _s, e, _st in timeline])
    in_flight: Counter[str] = Counter()
    most = 0
    for _moment, step, host in events:
        in_flight[host] += step
        most = max(most, sum(1 for n in in_flight.values() if n > 0))
    busiest = max(by_host.items(), key=lambda kv: len(kv[1]))
    serial_s = sum(len(spans) * (SERVER_LATENCY_S + POLITE_DELAY_S) for spans in by_host.values())
    return {
        "hosts": len(by_host),
        "requests": len(timeline),
        "wall_s": round(wall, 3),
        "all_hosts_one_after_another_s": round(serial_s, 3),
        "busiest_host": {
            "requests": len(busiest[1]),
            "lower_bound_s": round(len(busiest[1]) * (SERVER_LATENCY_S + POLITE_DELAY_S) - POLITE_DELAY_S, 3),
        },
        "most_hosts_at_once": most,
        "pool": WORKERS,
        "overlapping_requests_to_one_host": overlaps_within,
        "smallest_gap_within_a_host_s": None if smallest_gap is None else round(smallest_gap, 4),
        "polite_delay_s": POLITE_DELAY_S,
        "server_latency_s": SERVER_LATENCY_S,
        "failed": [o.line() for o in summary.failed],
    }


def measure(folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    return {"unchanged": unchanged_refresh(folder), "concurrency": concurrency(folder)}
