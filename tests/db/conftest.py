"""Fixtures for the store's tests: real SQLite files in tmp_path, a clock that stands still."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.store import Store
from tests.db.helpers import open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh store at helpers.NOW; closed after the test."""
    opened = open_store(db_path)
    yield opened
    opened.close()
