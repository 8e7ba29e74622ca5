"""Shared fixtures of the scraper tests: a fast, polite client for a local test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers.http import HttpClient


@pytest.fixture
def client() -> Iterator[HttpClient]:
    """No sleeps (no delay, no backoff), one retry, short timeouts; robots.txt still checked."""
    http = HttpClient(
        per_host_delay=0,
        retries=1,
        backoff_factor=0,
        respect_robots=True,
        read_timeout=2,
        deadline=5,
    )
    yield http
    http.close()
