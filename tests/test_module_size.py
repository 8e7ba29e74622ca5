"""One room per concern: no module in desktop/ is over 400 lines (docs/ARCHITECTURE.md, "Where
do I put X"). A module that grows past it holds two concerns; split it along them."""

from __future__ import annotations

from tests.repo_paths import REPO_ROOT

MAX_LINES = 400


def test_no_desktop_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(REPO_ROOT)): lines
        for path in sorted((REPO_ROOT / "desktop").rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
