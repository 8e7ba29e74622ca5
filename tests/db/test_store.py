"""The Store API contract: what desktop/ may call is what docs/ARCHITECTURE.md ("The Store API")
lists, and every call that reaches SQLite reports an environment failure (disk full, read-only,
damaged file, a held lock) as one StoreError with a plain message, never a raw sqlite3 error:
the window and the command line each have one place that shows it."""

from __future__ import annotations

import re
from pathlib import Path

from db.store import Store
from tests.db.helpers import item
from tests.repo_paths import REPO_ROOT

# Public methods that do not go through `translate_errors`, and why they need not.
NOT_TRANSLATED = {
    "open": "raises StoreError itself for every reason a file cannot be opened (tests/db/test_corrupt.py)",
    "close": "closes the connection; a close never fails the user's work",
    "backups": "lists files beside the store; no SQL",
    "remember_count": "keeps a count; db/kept_counts.keep swallows a failure to keep it (counted again)",
    "watchlist_query": "builds a Query from a watchlist; no SQL",
}
# Set on each Store when it opens, not methods of the class.
INSTANCE_ATTRIBUTES = {"path", "readonly", "clock"}


def _public_methods() -> set[str]:
    return {name for name in vars(Store) if not name.startswith("_")}


def _documented() -> set[str]:
    text = (REPO_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text[text.index("## The Store API") :]
    section = section[: section.index("\n## ", 1)]
    return set(re.findall(r"(?<![/\w])[Ss]tore\.(\w+)", section))


def test_every_public_call_turns_a_sqlite_failure_into_a_store_error() -> None:
    untranslated = set()
    for name in _public_methods():
        attribute = vars(Store)[name]
        function = getattr(attribute, "__func__", attribute)
        if callable(function) and not hasattr(function, "__wrapped__"):
            untranslated.add(name)
    assert sorted(untranslated) == sorted(NOT_TRANSLATED)


def test_the_documented_api_is_the_store_s_public_api(tmp_path: Path) -> None:
    documented = _documented()
    with Store.open(tmp_path / "s.sqlite3") as store:
        attributes = {name for name in INSTANCE_ATTRIBUTES if hasattr(store, name)}
    assert attributes == INSTANCE_ATTRIBUTES
    undocumented = sorted(_public_methods() - documented)
    not_there = sorted(documented - _public_methods() - INSTANCE_ATTRIBUTES)
    assert (undocumented, not_there) == ([], [])


def test_has_records_counts_archived_records_and_nothing_else(store: Store) -> None:
    assert not store.has_records()
    store.save_announcements("src", [item(1)])
    store.set_status(1, "archived")
    assert store.has_records()  # archived: the store is not new, though All shows nothing
