"""Where the installed app writes: only the user's data directory (and never its own bundle)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

_SETTINGS_FILE = (
    "from desktop.ui.app import application\n"
    "from PySide6.QtCore import QSettings\n"
    "app = application()\n"
    "print(QSettings().fileName())\n"
)


def test_settings_are_kept_in_the_data_directory(tmp_path: Path) -> None:
    """POLICY_TRACKER_HOME moves everything the app writes, settings included."""
    env = {**os.environ, "POLICY_TRACKER_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", _SETTINGS_FILE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    settings_file = Path(result.stdout.strip().splitlines()[-1])
    assert settings_file.is_relative_to(tmp_path / "data")


def test_the_data_folder_is_named_by_the_app_id(monkeypatch) -> None:
    from desktop import paths

    monkeypatch.delenv("POLICY_TRACKER_HOME", raising=False)
    assert paths.data_dir().name == paths.APP_ID
    assert paths.APP_ID in paths.log_dir().parts
