"""Nothing clipped at 200 %: the window on a 1920×1080 screen scaled to 960×540 (WCAG 1.4.4).

QT_SCALE_FACTOR must be set before Qt starts, so the window runs in its own process
(tests/desktop/scaling_window.py) and reports what does not fit: a label or button whose text
needs more room than it has, filter controls overlapping each other, a minimum size beyond the
screen, a keyboard shortcuts dialog taller than the screen or with a row cut. 150 % and the
other sizes are looked at in screenshots (docs/ACCESSIBILITY.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCREEN = (1920, 1080)


@pytest.mark.parametrize("scale", [2.0])
def test_nothing_is_clipped_at_200_percent(tmp_path: Path, scale: float) -> None:
    width, height = (round(side / scale) for side in SCREEN)
    env = {**os.environ, "QT_SCALE_FACTOR": str(scale), "POLICY_TRACKER_HOME": str(tmp_path / "home")}
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
    assert found["shortcuts"] == {"cut_rows": [], "fits": True}  # its Close button on the screen
