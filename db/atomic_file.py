"""Write a file all at once or not at all: a half-written export, brief, spreadsheet, sources file
or note recovery file never replaces a good one (docs/TRUST.md, "Messages, files and secrets").

The bytes go to a temporary file in the target's own folder (so the rename stays on one file
system and is atomic), are flushed to disk, then renamed over the target. On any failure the
temporary file is removed and the target is as it was. A target that is a symbolic link has the
file it points to replaced, never the link. It lives in db/ so that the store's CSV export and
every writer in desktop/ share it.
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
    target = _real(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix + ".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def replace_with(temporary: Path, target: Path) -> None:
    """Flush `temporary` to disk and rename it over `target` (keeping `target`'s permissions;
    a new file gets those any editor's would, by the umask: mkstemp's are private)."""
    target = _real(target)
    os.chmod(temporary, _mode_for(target))
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def _real(target: Path) -> Path:
    return target.resolve() if target.is_symlink() else target


def _mode_for(path: Path) -> int:
    """The permissions the file has, or those a newly created file would get."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call `write` with a binary file whose content becomes `target` only if it returns."""
    with temporary_beside(target) as temporary:
        with open(temporary, "wb") as handle:
            write(handle)
        replace_with(temporary, target)
