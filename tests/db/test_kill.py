"""SIGKILL at any moment: the store opens, passes its checks, and holds
every committed batch whole and every note whose save returned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.store import Query, Store

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 200
KILLS = 10

CHILD = f"""
import sys
from db.store import Store
store = Store.open(sys.argv[1])
round_number = int(sys.argv[2])
while True:
    batch = [{{"url": f"https://example.org/{{n}}", "title": f"round {{round_number}} item {{n}}",
              "body": "text " * (n % 50)}} for n in range({ITEMS})]
    store.save_announcements("src", batch)
    store.set_note(1, f"note {{round_number}}")
    store.add_tag([1 + round_number % {ITEMS}], "seen")
    print(round_number, flush=True)
    round_number += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_loop(db_path: Path) -> None:
    rng = random.Random(7)
    committed = -1
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), str(committed + 1)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for _ in range(rng.randint(0, 3)):  # let a few rounds commit, then kill mid-whatever
            line = child.stdout.readline()
            if line:
                committed = int(line)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        for line in child.stdout.read().split():  # printed before the kill landed
            committed = int(line)
        _check(db_path, committed)
    assert committed >= 0, "no round ever committed: the loop tested nothing"


def _check(path: Path, committed: int) -> None:
    with Store.open(path) as store:
        assert store.check_integrity() == []
        titles = {row[0].split(" item ")[0] for row in store.db.conn.execute("SELECT title FROM records")}
        if committed < 0:
            return
        assert store.count(Query()) == ITEMS
        assert len(titles) == 1  # each batch all or nothing
        assert int(titles.pop().split()[1]) >= committed
        note = store.record(1)["note"]  # type: ignore[index]
        assert int(note.split()[1]) >= committed  # a note whose save returned survives
