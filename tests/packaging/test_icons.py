"""The icon files each platform installs: made from resources/icon.svg, at the usual sizes."""

from __future__ import annotations

import struct
from pathlib import Path

from desktop.paths import APP_ID

from .conftest import PACKAGING, ROOT

ICONS = PACKAGING / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
STALE = "run `python packaging/make_icons.py` after changing resources/icon.svg"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_scalable_icon_is_the_apps_icon() -> None:
    svg = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (ROOT / "resources" / "icon.svg").read_bytes(), STALE


def test_a_png_at_each_usual_size() -> None:
    for size in SIZES:
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(path.read_bytes()) == (size, size), path


def test_the_windows_icon_holds_16_to_256() -> None:
    data = (ICONS / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        side = png_size(data[offset : offset + length])
        assert side == (width or 256, height or 256)
        sizes.append(side[0])
    assert {16, 32, 48, 256} <= set(sizes)


def test_the_macos_icon_holds_16_to_1024() -> None:
    data = (ICONS / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    position, sizes = 8, {}
    while position < len(data):
        kind = data[position : position + 4].decode()
        (length,) = struct.unpack(">I", data[position + 4 : position + 8])
        sizes[kind] = png_size(data[position + 8 : position + length])[0]
        position += length
    assert sizes["ic07"] == 128 and sizes["ic10"] == 1024 and sizes["icp4"] == 16


def test_the_icon_files_are_the_ones_make_icons_writes() -> None:
    expected = {f"hicolor/scalable/apps/{APP_ID}.svg", f"{APP_ID}.ico", f"{APP_ID}.icns"}
    expected |= {f"hicolor/{s}x{s}/apps/{APP_ID}.png" for s in SIZES}
    assert {p.relative_to(ICONS).as_posix() for p in ICONS.rglob("*") if p.is_file()} == expected


def test_make_icons_renders_the_svg(tmp_path: Path, qapp) -> None:
    """The renderer itself (QtSvg from PySide6-Essentials) draws a non-empty, square image."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    png = module.render_png(ROOT / "resources" / "icon.svg", 48)
    assert png_size(png) == (48, 48)
    assert len(png) > 500  # something was drawn, not a blank square
