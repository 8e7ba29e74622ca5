"""Nothing clipped at 100 %, 125 %, 150 % and 200 % (WCAG 1.4.4): the window fills a 1366×768
laptop's or a 1920×1080 screen's logical size at that scale (at 200 % a 1920×1080 screen is
960×540).

QT_SCALE_FACTOR must be set before Qt starts, so the window runs in its own process
(tests/desktop/scaling_window.py) on an offscreen screen of that size and reports what does not
fit: a label or button whose text needs more room than it has, filter controls overlapping each
other, a minimum size beyond the screen, a keyboard shortcuts dialog taller than the screen,
with a row cut or its last row out of reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LAPTOP, DESKTOP = (1366, 768), (1920, 1080)


def offscreen_screen(folder: Path, size: tuple[int, int]) -> str:
    """The QT_QPA_PLATFORM value for an offscreen screen of `size` pixels at 96 dpi."""
    screen = {"name": "Screen", "x": 0, "y": 0, "width": size[0], "height": size[1],
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


@pytest.mark.parametrize(
    ("scale", "screen"),
    [(1.0, LAPTOP), (1.25, DESKTOP), (1.5, LAPTOP), (1.5, DESKTOP), (2.0, DESKTOP)],
    ids=["100%-1366x768", "125%-1920x1080", "150%-1366x768", "150%-1920x1080", "200%-1920x1080"],
)
def test_nothing_is_clipped_at_any_scale(tmp_path: Path, scale: float, screen: tuple[int, int]) -> None:
    width, height = (int(side / scale) for side in screen)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": offscreen_screen(tmp_path, screen),
        "QT_SCALE_FACTOR": str(scale),
        "POLICY_TRACKER_HOME": str(tmp_path / "home"),
    }
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "scaling_window.py"),
            str(tmp_path / "store.sqlite3"),
            str(width),
            str(height),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["shown"], "no record was shown"
    assert found["clipped"] == []
    assert found["overlapping"] == []
    assert found["minimum"][0] <= width and found["minimum"][1] <= height  # the window fits
    assert found["size"] == [width, height]
    assert found["shortcuts"] == {"cut_rows": [], "fits": True, "last_row_reachable": True}
