"""Fixtures for the trust tests: the default sources served by local servers, the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.store import Store

# The default sources pointed at one local server per real host, serving captured payloads: the
# set-up of the end-to-end fetch test, shared.
from tests.default_web import LISTINGS, serve_default_sources
from tests.fakeweb import FakeWeb

__all__ = ["LISTINGS", "ROOT", "cli", "cli_command", "cli_env", "serve_default_sources", "store_facts"]

ROOT = Path(__file__).resolve().parents[2]

# The trust checks' closing figures (kills survived, faults injected, fuzz examples run), added up
# by the tests that passed and printed at the end of the run.
FIGURES: Counter[str] = Counter()


@pytest.fixture
def figures() -> Iterator[Counter[str]]:
    """Counts a test reports. Tests add to it after their last assertion, so a figure counts
    only what passed every check."""
    mine: Counter[str] = Counter()
    yield mine
    FIGURES.update(mine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("trust figures (every check passed: nothing lost)")
        for name, number in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {number}")


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    fake = FakeWeb()
    yield fake
    fake.stop()


@pytest.fixture
def local_sources(web: FakeWeb, tmp_path: Path) -> Path:
    return serve_default_sources(web, tmp_path)


def cli_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "desktop.cli", *map(str, args)]


def cli_env(home: Path) -> dict[str, str]:
    return {
        "POLICY_TRACKER_HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def cli(*args: str | Path, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `policy-tracker ARGS` as a user would (a separate process, its own data folder)."""
    return subprocess.run(
        cli_command(*args), capture_output=True, text=True, env=cli_env(home), timeout=timeout, cwd=ROOT
    )


def store_facts(path: Path) -> dict[str, object]:
    """What must never be lost or doubled, read through a fresh Store after checking it."""
    with Store.open(path) as store:
        problems = store.check_integrity()
        conn = store.db.conn
        urls = [r[0] for r in conn.execute("SELECT url FROM records")]
        return {
            "problems": problems,
            "urls": set(urls),
            "duplicates": len(urls) - len(set(urls)),
            "per_source": dict(
                conn.execute("SELECT source_id, count(*) FROM record_sources GROUP BY source_id").fetchall()
            ),
            "user": conn.execute(
                "SELECT url, note, status, starred, tags_text FROM records"
                " WHERE note IS NOT NULL OR starred OR tags_text != '' OR status != 'new' ORDER BY url"
            ).fetchall(),
            "fts_rows": conn.execute("SELECT count(*) FROM records_fts").fetchone()[0],
        }
