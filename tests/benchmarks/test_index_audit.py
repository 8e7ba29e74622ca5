"""The index audit names, for every index, the app's statements whose plan uses it."""

from __future__ import annotations

from pathlib import Path

from benchmarks.index_audit import audit, summary
from tests.db.helpers import item, open_store


def test_every_index_is_listed_with_the_statements_that_use_it(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = open_store(path)
    store.save_announcements("src", [item(n, category="funding") for n in range(1, 6)])
    store.add_tag([1, 2], "AI Act")
    names = {row[0] for row in store.db.conn.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
    store.close()
    used = audit(path)
    assert set(used) == names
    assert summary([]) == "used by no query the app runs"
    assert any("page by title" in label for label in used["records_by_title"])
    assert any(label.startswith("tag: count") for label in used["record_tags_by_tag"])
    assert any("new since the last look" in label for label in used["records_by_first_seen"])
    assert summary(used["records_by_title"]).startswith(
        f"used by {len(used['records_by_title']):,} statements"
    )
