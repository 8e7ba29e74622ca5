"""The one way tests run the real `policy-tracker` command: a child Python on this checkout, with a
bare environment (no user settings, no stray PYTHONPATH) so that what it prints is what a user sees."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli_env(home: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child's environment: `home` becomes POLICY_TRACKER_HOME when given."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["POLICY_TRACKER_HOME"] = str(home)
    env.update(extra or {})
    return env


def run_cli(
    *args: str | Path,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `policy-tracker ARGS` to its end and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=cli_env(home, env),
        timeout=timeout,
        cwd=ROOT,
    )
