"""A fatal error at start is a dialog naming the log file, or plain text when Qt cannot start."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.ui import fatal_error


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("POLICY_TRACKER_HOME", str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    yield tmp_path
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's own limitation
def test_the_dialog_says_what_happened_and_where_the_log_is(qtbot, home: Path) -> None:
    seen: dict[str, str] = {}

    def inspect_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText(),
                    details=box.detailedText())  # fmt: skip
        box.done(0)

    QTimer.singleShot(100, inspect_and_close)
    fatal_error.show_fatal_error("The store is locked.", details="Traceback: ...")
    log = home / "logs" / "policy-tracker.log"
    assert seen["title"] == "Policy Tracker cannot start"
    assert seen["text"] == "The store is locked."
    assert str(log) in seen["info"]
    assert seen["details"] == "Traceback: ..."
    assert "The store is locked." in log.read_text(encoding="utf-8")


def test_an_exception_at_start_becomes_the_dialog(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    shown: list[tuple[str, str, Path]] = []
    monkeypatch.setattr(fatal_error, "_qt_dialog", lambda *args: shown.append(args))

    def start() -> int:
        raise OSError("disk I/O error")

    assert fatal_error.run_guarded(start) == fatal_error.EXIT_FATAL
    ((message, details, log_path),) = shown
    assert "disk I/O error" in message
    assert "Traceback" in details and "OSError" in details
    assert log_path == home / "logs" / "policy-tracker.log"


def test_a_clean_start_passes_its_exit_code_through() -> None:
    assert fatal_error.run_guarded(lambda: 0) == 0
    assert fatal_error.run_guarded(lambda: 3) == 3


def test_when_qt_cannot_start_the_message_goes_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    monkeypatch.setattr(fatal_error, "qt_unavailable_reason", lambda: "no display")
    monkeypatch.setattr(fatal_error, "_qt_dialog", lambda *args: pytest.fail("Qt was used"))
    fatal_error.show_fatal_error("The store is locked.")
    err = capsys.readouterr().err
    assert "Policy Tracker cannot start" in err and "The store is locked." in err
    assert str(home / "logs" / "policy-tracker.log") in err


def test_when_the_dialog_itself_fails_the_message_still_gets_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("no Qt today")

    monkeypatch.setattr(fatal_error, "_qt_dialog", broken)
    fatal_error.show_fatal_error("The store is locked.")
    assert "The store is locked." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "explained"),
    [({"DISPLAY": ":0"}, False), ({"WAYLAND_DISPLAY": "wayland-0"}, False), ({}, True)],
)
def test_no_display_on_linux_is_explained(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], explained: bool
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("desktop.platform_check.missing_qt_packages", lambda: [])
    reason = fatal_error.qt_unavailable_reason()
    assert (reason is not None and "no graphical display" in reason) is explained


def test_missing_xcb_libraries_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("desktop.platform_check.missing_qt_packages", lambda: ["libxcb-cursor0"])
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert "sudo apt install libxcb-cursor0" in (fatal_error.qt_unavailable_reason() or "")


def test_xcb_libraries_inside_a_frozen_bundle_count_as_present(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PyInstaller bundles the build machine's xcb libraries; Qt loads those, not the system's."""
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(
        "desktop.platform_check.missing_qt_packages", lambda: ["libxcb-cursor0", "libxcb-icccm4"]
    )
    reason = fatal_error.qt_unavailable_reason() or ""
    assert "libxcb-icccm4" in reason
    assert "libxcb-cursor0" not in reason
