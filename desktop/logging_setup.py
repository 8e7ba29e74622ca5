"""Send the app's log to a rotating file in the user's log directory, never to a console."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop.paths import log_dir


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Returns the log file's path, or None when the log directory cannot be written."""
    directory = log_dir()
    path = directory / "policy-tracker.log"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return path
