"""Every message box and label that can quote a file, a site or the user shows its text literally:
a sources-file URL with `<img src="FIFO">` must not make the window open that FIFO (it would
block the window forever) nor render as markup (docs/TRUST.md, "Messages, files and secrets")."""

from __future__ import annotations

import errno
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desktop.ui.controllers.transfer import ExportResult

ROOT_DIR = Path(__file__).resolve().parents[2]

DESKTOP = ROOT_DIR / "desktop"
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's limit


class FifoWatch:
    """Notices whether anyone opens a FIFO for reading, and unblocks that reader at once."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.opened = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                assert exc.errno == errno.ENXIO  # no reader: the normal case
                time.sleep(0.01)
                continue
            self.opened = True  # a reader is blocked in open(): let it go with an empty file
            os.close(fd)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[FifoWatch]:
    watch = FifoWatch(tmp_path / "fifo")
    yield watch
    watch.stop()


def _labels_of_next_dialog(qtbot) -> list[tuple[str, Qt.TextFormat]]:  # type: ignore[no-untyped-def]
    """Close the next modal dialog as soon as it shows; return its labels' texts and formats."""
    seen: list[tuple[str, Qt.TextFormat]] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, close_it)
            return
        seen.extend((label.text(), label.textFormat()) for label in box.findChildren(QLabel) if label.text())
        box.done(0)

    QTimer.singleShot(0, close_it)
    return seen


@OFFSCREEN_DIALOG
def test_refresh_did_not_run_shows_a_hostile_url_literally_and_loads_nothing(
    make_window, small_db: Path, fifo: FifoWatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _window, controller = make_window(small_db)
    message = f'sources.toml line 3: bad url "<img src="{fifo.path}"><b>bold</b>"'
    seen = _labels_of_next_dialog(qtbot)
    controller.refreshing._on_failed(message)
    time.sleep(0.1)  # give the watcher a moment to see a reader that is already gone
    assert not fifo.opened, "the dialog opened the file named in the message"
    assert any(f'<img src="{fifo.path}">' in text for text, _ in seen), seen
    assert all(fmt == Qt.TextFormat.PlainText for _, fmt in seen), seen


@OFFSCREEN_DIALOG
def test_export_failure_quotes_path_and_error_as_plain_text(
    make_window, small_db: Path, fifo: FifoWatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _window, controller = make_window(small_db)
    seen = _labels_of_next_dialog(qtbot)
    controller.transfer._on_exported(
        ExportResult(f"<img src='{fifo.path}'>.csv", error="disk <i>full</i>\x1b[2J")
    )
    assert not fifo.opened
    texts = " ".join(text for text, _ in seen)
    assert f"<img src='{fifo.path}'>.csv" in texts and "disk <i>full</i>\\x1b[2J" in texts
    assert all(fmt == Qt.TextFormat.PlainText for _, fmt in seen), seen


def test_every_label_of_the_window_is_plain_text(make_window, small_db: Path) -> None:  # type: ignore[no-untyped-def]
    window, controller = make_window(small_db)
    controller.place.select_row(0)
    labels = [label for label in window.findChildren(QLabel) if label.pixmap().isNull()]
    assert labels
    rich = [
        label.objectName() or label.text()[:40]
        for label in labels
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert rich == []


def test_no_message_box_is_built_outside_the_plain_text_helper() -> None:
    """Qt's static helpers guess rich text; the one helper never does."""
    pattern = re.compile(r"QMessageBox\.(warning|information|critical|question|about)\(|QMessageBox\(")
    offenders = [
        f"{path.relative_to(ROOT_DIR)}:{number}"
        for path in DESKTOP.rglob("*.py")
        if path.name != "message_box.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
