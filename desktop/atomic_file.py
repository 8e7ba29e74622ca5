"""Write a file all at once or not at all: a half-written brief or spreadsheet never replaces one.

The bytes go to a temporary file in the target's own folder (so the rename stays on one file
system and is atomic), are flushed to disk, then renamed over the target. On any failure the
temporary file is removed and the target is as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def temporary_beside(target: Path, suffix: str = "") -> Iterator[Path]:
    """A fresh, empty path in `target`'s folder, removed afterwards unless it was renamed."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix + ".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def replace_with(temporary: Path, target: Path) -> None:
    """Flush `temporary` to disk and rename it over `target` (keeping `target`'s permissions;
    a new file is readable by others, as one written by any editor: mkstemp's are private)."""
    os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def write_atomically(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call `write` with a binary file whose content becomes `target` only if it returns."""
    with temporary_beside(target) as temporary:
        with open(temporary, "wb") as handle:
            write(handle)
        replace_with(temporary, target)
