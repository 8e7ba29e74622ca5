"""The in-process writer queue: first come, first served, and a wait that can end."""

from __future__ import annotations

import threading
import time

from db.locks import FairLock, writer_lock
from tests.db.helpers import open_store


def test_waiters_are_served_in_arrival_order() -> None:
    lock = FairLock()
    assert lock.acquire(1)
    order: list[int] = []

    def wait_then_record(number: int) -> None:
        assert lock.acquire(5)
        order.append(number)
        lock.release()

    threads = []
    for number in range(5):
        thread = threading.Thread(target=wait_then_record, args=(number,))
        thread.start()
        threads.append(thread)
        while len(lock._waiters) < number + 1:  # queued in this order
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_wait_times_out_and_leaves_the_queue() -> None:
    lock = FairLock()
    assert lock.acquire(1)
    assert not lock.acquire(0.01)
    lock.release()
    assert lock.acquire(0.01)


def test_stores_of_one_file_share_the_queue(tmp_path) -> None:
    first, second = open_store(tmp_path / "a.sqlite"), open_store(tmp_path / "." / "a.sqlite")
    assert first._writers is second._writers is writer_lock(tmp_path / "a.sqlite")
    first.close()
    second.close()
