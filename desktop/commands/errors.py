"""What every command of `policy-tracker` shares: its exit codes and the user's-mistake error."""

from __future__ import annotations

import errno

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# A file that cannot be written for one of these is the user's to fix (2); a full disk is not (1).
PATH_ERRORS = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM, errno.EROFS}


class UsageError(Exception):
    """A mistake in what the user asked for: one line, exit 2."""
