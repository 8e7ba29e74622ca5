"""Before Qt starts on Linux: name the missing system package instead of Qt's xcb abort."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Qt's xcb platform plugin needs these; a fresh Debian/Ubuntu machine may lack them (packaging/README.md).
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_qt_packages() -> list[str]:
    """Debian package names Qt will need but cannot find; empty when unknowable or all there."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return []
    if not os.environ.get("DISPLAY") and os.environ.get("WAYLAND_DISPLAY"):
        return []  # Qt will use Wayland
    return [package for lib, package in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def explain_missing(packages: list[str]) -> str:
    return (
        "Policy Tracker cannot open its window: Qt needs system libraries that are not installed.\n"
        f"Install them with:\n    sudo apt install {' '.join(packages)}\n"
        "(or run with QT_QPA_PLATFORM=wayland on a Wayland desktop)."
    )
