"""Where the app keeps its files: one app id, the user's data and log directories (appdirs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import appdirs

APP_ID = "eu.policytracker.PolicyTracker"
APP_NAME = "Policy Tracker"
ORGANISATION = "policytracker.eu"


def data_dir() -> Path:
    """`POLICY_TRACKER_HOME` wins, so tests and portable installs never touch the real home."""
    override = os.environ.get("POLICY_TRACKER_HOME")
    if override:
        return Path(override)
    return Path(appdirs.user_data_dir(APP_ID, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "policy-tracker.sqlite3"


def settings_path() -> Path:
    """The Settings file the window writes (QSettings, INI format, in the data folder), which
    the command line reads without Qt for the settings it shares (desktop/cli.py)."""
    return data_dir() / ORGANISATION / f"{APP_NAME}.ini"


def user_sources_path() -> Path:
    """The user's own sources file; when it exists it replaces the bundled defaults."""
    return data_dir() / "sources.toml"


def log_dir() -> Path:
    override = os.environ.get("POLICY_TRACKER_HOME")
    if override:
        return Path(override) / "logs"
    return Path(appdirs.user_log_dir(APP_ID, appauthor=False))


def resource_path(name: str) -> Path:
    """A file in `resources/`, from a source checkout, an installed wheel or a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources" / name
    return Path(__file__).resolve().parent.parent / "resources" / name


def shown_path(path: Path) -> str:
    """A path as the window writes it: under the user's home folder as "~/…", which is shorter
    in a narrow label and does not put the user's account name in a screenshot they share."""
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) and path != home else str(path)
