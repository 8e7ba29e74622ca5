"""How long the window's event loop stalls while the user works: a heartbeat in the real window.

A precise QTimer beats every few milliseconds on the GUI thread; anything that blocks that
thread (a count, a page read, a bulk change) delays the next beat, so the longest gap between
two beats is the longest time the window could not repaint or take a key. Keys are typed at
the times a person would press them (a key due while the window is blocked waits, as a real
key waits in the queue), so the figures include what the user feels: the stall, how late
letters appeared, and when the first page of the result was painted after the last key.

Used by benchmarks/suite.py (the stall rows) and tests/desktop/ui/test_no_stall.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BEAT_MS = 5
SETTLE_MS = 300  # after the work seems done, keep beating: a count landing late may still stall


class Heartbeat:
    """Beats every `interval_ms` on the GUI thread while started; `longest_gap_ms` is the
    longest time between two beats (the event loop's longest stall, the interval included)."""

    def __init__(self, interval_ms: int = BEAT_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)
        self.beats: list[float] = []

    def _beat(self) -> None:
        self.beats.append(time.perf_counter())

    def start(self) -> None:
        self.beats = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._beat()

    @property
    def longest_gap_ms(self) -> float:
        gaps = [b - a for a, b in zip(self.beats, self.beats[1:], strict=False)]
        return 1000 * max(gaps, default=0.0)


def run_until(done: Callable[[], bool], timeout_s: float, poll: Callable[[], None] | None = None) -> bool:
    """Run the Qt event loop (exec, as the app does) until `done()`; False on timeout.
    `poll` runs at every turn of a 1 ms timer (the typist)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    finished = [False]

    def check() -> None:
        if poll is not None:
            poll()
        if done():
            finished[0] = True
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(1)
    ticker.timeout.connect(check)
    ticker.start()
    loop.exec()
    ticker.stop()
    return finished[0]


def idle() -> bool:
    from desktop.ui.worker import running_tasks

    return running_tasks() == 0


@dataclass
class Stall:
    """What one interaction cost the window: its longest stall, and for typing how late the
    letters appeared and when the result's first page was painted after the last key."""

    longest_ms: float
    seconds: float
    late_letter_ms: float = 0.0
    first_page_after_last_key_ms: float | None = None


def settle(heart: Heartbeat, timeout_s: float) -> None:
    """Beat on until background work has ended and SETTLE_MS have passed with none."""
    calm_since = [time.perf_counter()]

    def calm() -> bool:
        if not idle():
            calm_since[0] = time.perf_counter()
        return time.perf_counter() - calm_since[0] > SETTLE_MS / 1000

    run_until(calm, timeout_s)


def while_doing(action: Callable[[], None], timeout_s: float = 120.0) -> Stall:
    """The longest stall from `action` (run from the event loop) until the window is idle."""
    from PySide6.QtCore import QTimer

    heart = Heartbeat()
    heart.start()
    began = time.perf_counter()
    QTimer.singleShot(0, action)
    settle(heart, timeout_s)
    heart.stop()
    return Stall(heart.longest_gap_ms, time.perf_counter() - began)


class Painted:
    """Notes when the table's viewport paints (an event filter on it)."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self, outer: Painted) -> None:
                super().__init__()
                self.outer = outer

            def eventFilter(self, _watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.outer.times.append(time.perf_counter())
                return False

        self.times: list[float] = []
        self.viewport = viewport
        self.filter = Filter(self)
        viewport.installEventFilter(self.filter)

    def remove(self) -> None:
        self.viewport.removeEventFilter(self.filter)


def typing(window: Any, text: str, key_ms: float, timeout_s: float = 60.0) -> Stall:
    """Type `text` into the search box of `window` (benchmarks.window.OpenWindow) one key every
    `key_ms`, as a person would, and wait until its first page is painted and work has ended."""
    from PySide6.QtTest import QTest

    box = window.window.filter_bar.search
    box.setFocus()
    painted = Painted(window.table.viewport())
    heart = Heartbeat()
    heart.start()
    began = time.perf_counter()
    due = [began + i * key_ms / 1000 for i in range(len(text))]
    typed: list[float] = []

    def typist() -> None:
        while len(typed) < len(text) and time.perf_counter() >= due[len(typed)]:
            QTest.keyClicks(box, text[len(typed)])
            typed.append(time.perf_counter())

    reset: list[float] = []  # when the model was first reset to the typed search's rows

    def on_reset() -> None:
        if not reset and len(typed) == len(text) and window.model.query.search == text:
            reset.append(time.perf_counter())

    window.model.modelReset.connect(on_reset)

    def first_paint() -> float | None:
        """When the first paint after that reset had ended (the table reads the rows it paints
        while painting): the first heartbeat after the paint began."""
        if not reset:
            return None
        began_paint = next((t for t in painted.times if t >= reset[0]), None)
        if began_paint is None and window.model.rowCount() == 0:
            began_paint = reset[0]  # no rows: the empty list may not paint the table at all
        if began_paint is None:
            return None
        return next((b for b in heart.beats if b > began_paint), None)

    try:
        run_until(lambda: first_paint() is not None, timeout_s, poll=typist)
        paint = first_paint()
        first_page = None if paint is None else 1000 * (paint - typed[-1])
        settle(heart, timeout_s)
        heart.stop()
    finally:
        window.model.modelReset.disconnect(on_reset)
        painted.remove()
    late = max((1000 * (t - d) for t, d in zip(typed, due, strict=False)), default=0.0)
    return Stall(heart.longest_gap_ms, time.perf_counter() - began, late, first_page)
