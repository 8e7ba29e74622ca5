"""The xcb check names packages only when it should."""

from __future__ import annotations

import pytest

from desktop import platform_check


def test_offscreen_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.missing_qt_packages() == []


def test_names_each_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    present = {"xcb-icccm", "xkbcommon-x11"}
    monkeypatch.setattr(
        platform_check.ctypes.util, "find_library", lambda name: f"lib{name}.so" if name in present else None
    )
    missing = platform_check.missing_qt_packages()
    assert missing == ["libxcb-cursor0", "libxcb-keysyms1"]
    assert "sudo apt install libxcb-cursor0 libxcb-keysyms1" in platform_check.explain_missing(missing)
