"""How the window writes a path: the home folder as "~" (user files' locations are tested with
the packaging, tests/packaging/test_user_files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.paths import shown_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "ana"))
    return tmp_path / "ana"


def test_a_path_under_home_is_written_from_tilde(home: Path) -> None:
    assert shown_path(home / ".config" / "policy-tracker" / "sources.toml") == (
        "~/.config/policy-tracker/sources.toml"
    )


def test_other_paths_and_home_itself_are_written_in_full(home: Path, tmp_path: Path) -> None:
    assert shown_path(tmp_path / "shared" / "sources.toml") == str(tmp_path / "shared" / "sources.toml")
    assert shown_path(home) == str(home)
    assert shown_path(home.parent / "ana-other" / "x") == str(home.parent / "ana-other" / "x")
