"""A file is written all at once or not at all: a write that fails leaves the file that was
there, and no temporary file beside it; permissions are kept; a symbolic link keeps pointing
at the file it named, whose content is replaced."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

import pytest

from db.atomic_file import write_atomically


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def test_the_new_content_replaces_the_old_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, lambda handle: handle.write(b"new"))
    assert target.read_text(encoding="utf-8") == "new"
    assert _leftovers(tmp_path) == []


def test_a_write_that_fails_leaves_the_old_file_and_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("the user's good export", encoding="utf-8")

    def half_then_fail(handle: IO[bytes]) -> None:
        handle.write(b"half a fi")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "the user's good export"
    assert _leftovers(tmp_path) == []


def test_a_file_keeps_its_permissions_and_a_new_one_gets_the_umask_s(tmp_path: Path) -> None:
    kept = tmp_path / "sources.toml"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o600)
    write_atomically(kept, lambda handle: handle.write(b"y"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "brief.md"
        write_atomically(fresh, lambda handle: handle.write(b"z"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not mkstemp's private 0600


def test_a_symbolic_link_still_points_at_its_file_which_gets_the_content(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomically(link, lambda handle: handle.write(b"new"))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
