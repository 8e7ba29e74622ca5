"""The import rule of docs/ARCHITECTURE.md: db/ and scrapers/ know neither Qt nor each other,
and in desktop/ only desktop/ui/ imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update((str(path.relative_to(ROOT)), a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("db", ("PySide6", "scrapers", "desktop")), ("scrapers", ("PySide6", "db", "desktop"))],
)
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    offending = sorted(
        f"{where} imports {module}"
        for where, module in _imports(package)
        if module.split(".")[0] in forbidden
    )
    assert offending == []


def test_only_desktop_ui_imports_qt() -> None:
    offending = sorted(
        f"{where} imports {module}"
        for where, module in _imports("desktop")
        if module.split(".")[0] == "PySide6" and not where.startswith("desktop/ui/")
    )
    assert offending == []


def test_importing_desktop_ui_loads_no_qt() -> None:
    """The launcher reaches desktop.ui.fatal_error before it knows Qt can start."""
    code = (
        "import sys, desktop.ui, desktop.ui.fatal_error;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_command_line_runs_without_qt() -> None:
    code = (
        "import sys, desktop.cli, desktop.refresh;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_qt_import_in_db_would_be_caught(tmp_path: Path) -> None:
    """The rule's check itself must be able to fail."""
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "bad.py").write_text("from PySide6 import QtCore\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert ("db/bad.py", "PySide6") in _imports("db")
        (tmp_path / "desktop").mkdir()
        (tmp_path / "desktop" / "view.py").write_text("import PySide6.QtWidgets\n", encoding="utf-8")
        assert ("desktop/view.py", "PySide6.QtWidgets") in _imports("desktop")
    finally:
        ROOT = saved


def test_the_store_saves_every_field_an_announcement_carries() -> None:
    """db/ reads announcements by shape (it may not import scrapers/): the names must agree."""
    from dataclasses import fields

    from db.schema import SCRAPED_FIELDS
    from scrapers.model import Announcement

    carried = {f.name for f in fields(Announcement)} - {"url", "detail_url"}
    assert carried == set(SCRAPED_FIELDS)


def test_no_controller_imports_another() -> None:
    """Each controller of desktop/ui/controllers/ owns one concern and talks through signals;
    only tracker.py, which builds and wires them, imports the others (docs/ARCHITECTURE.md)."""
    prefix = "desktop.ui.controllers"
    parts = {("desktop/ui/controllers/alerts.py", f"{prefix}.schedule")}  # the schedule is the alerts'
    offending = sorted(
        f"{where} imports {module}"
        for where, module in _imports("desktop/ui/controllers") - parts
        if (module == prefix or module.startswith(prefix + ".")) and not where.endswith("/tracker.py")
    )
    assert offending == []
    wired = {module for where, module in _imports("desktop/ui/controllers") if where.endswith("/tracker.py")}
    assert f"{prefix}.triage" in wired  # the check sees the imports it is meant to forbid
