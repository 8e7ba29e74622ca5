"""The window's one way to meet a store failure: one escaped line, the block ended, no raise."""

from __future__ import annotations

import pytest

from db.store import StoreError
from desktop.ui.store_guard import StoreGuard, failure_text


def test_a_store_failure_ends_the_block_and_is_said_once_with_its_reason_escaped() -> None:
    said: list[str] = []
    guard = StoreGuard(said.append)
    reached: list[str] = []
    with guard("Not saved") as attempt:
        raise StoreError("disk full\x1b[2J in /data")
        reached.append("after")  # never: the block ends at the failure
    assert attempt.failed and reached == []
    assert said == ["Not saved: disk full\\x1b[2J in /data"] == [attempt.message]


def test_a_block_that_works_says_nothing() -> None:
    said: list[str] = []
    with StoreGuard(said.append)("Not saved") as attempt:
        pass
    assert not attempt.failed and said == []


def test_input_errors_named_with_also_are_said_the_same_way_and_bugs_still_raise() -> None:
    said: list[str] = []
    guard = StoreGuard(said.append)
    with guard("Tag not added", also=(ValueError,)) as attempt:
        raise ValueError("a tag cannot be empty")
    assert attempt.failed and said == ["Tag not added: a tag cannot be empty"]
    with pytest.raises(KeyError), guard("Not saved"):  # a bug is not the user's environment
        raise KeyError("id")
    assert len(said) == 1


def test_a_long_reason_is_cut() -> None:
    assert len(failure_text("Not saved", "x" * 10_000)) < 400
