"""A refresh writing in one thread while the window saves notes in another: nobody is refused."""

from __future__ import annotations

import threading
from pathlib import Path

from db.store import Query
from tests.db.helpers import item, open_store

RECORDS = 300
ROUNDS = 12


def test_refresh_and_notes_at_the_same_time(db_path: Path) -> None:
    writer = open_store(db_path)
    writer.save_announcements("src", [item(n) for n in range(RECORDS)])
    errors: list[BaseException] = []

    def refresh() -> None:
        # Each thread has its own Store (its own connection), as the app does.
        store = open_store(db_path)
        try:
            for number in range(ROUNDS):
                store.save_announcements(
                    "src", [item(n, title=f"Round {number} item {n}") for n in range(RECORDS)]
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    thread = threading.Thread(target=refresh)
    window = open_store(db_path)
    expected: dict[int, str] = {}
    thread.start()
    saved = during_refresh = 0
    while thread.is_alive() or saved < 50:
        during_refresh += thread.is_alive()
        record_id = saved % RECORDS + 1
        expected[record_id] = f"note {saved}"
        window.set_note(record_id, expected[record_id])  # must never raise "database is locked"
        window.set_starred([record_id], saved % 2 == 0)
        assert len(window.page(Query(), 0, 50)) == 50
        saved += 1
    thread.join()
    writer.close()
    assert errors == []
    # Writers of one process take turns: the notes were not starved until the refresh ended.
    assert during_refresh >= 3
    notes = dict(window.db.conn.execute("SELECT id, note FROM records WHERE note IS NOT NULL").fetchall())
    assert notes == expected
    assert window.count(Query(search=f"round {ROUNDS - 1}")) == RECORDS
    assert window.check_integrity() == []
    window.close()
