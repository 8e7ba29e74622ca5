"""Where the repo and its fixtures are, for every test whatever its folder's depth (tests mirror
the modules they test, so a test file moves when its module does)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
