"""What every command of `policy-tracker` shares: its exit codes and the user's-mistake error."""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in what the user asked for: one line, exit 2."""
