"""Tests mirror modules: the tests of `<package>/<path>/<module>.py` are in
`tests/<package>/<path>/test_<module>.py` (or `test_<module>_<aspect>.py` when one file would
be too long), so that a newcomer finds them, and a new module comes with its test file.

Tests that cross many modules (the real command against local servers, the window under
faults, accessibility) stay in their own files beside these; docs/ARCHITECTURE.md, "Where do I
put X", says where.
"""

from __future__ import annotations

from pathlib import Path

from tests.repo_paths import REPO_ROOT

PACKAGES = ("db", "scrapers", "desktop")

# Modules with nothing of their own to test: each reason says why.
NEED_NONE = {
    "db/rows.py": "small helpers (rows as dicts, ids in chunks, the timestamp format) all of db/ uses",
    "scrapers/model.py": "the dataclasses and error types kinds return; every kind's test builds them",
    "desktop/commands/errors.py": "exit-code constants and the UsageError type",
}

# Modules whose tests still live in files that cross several modules (paths under tests/), until
# each gets a file of its own. This list only shrinks: a module that gains its file leaves it.
TESTED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "db/errors.py": ("db/test_disk_full.py", "db/test_readonly.py", "db/test_corrupt.py"),
    "db/connection.py": ("db/test_concurrency.py", "db/test_locks.py", "db/test_degraded_open.py"),
    "db/open_lock.py": ("db/test_restore_safety.py",),
    "db/profiles.py": ("desktop/test_site_change.py", "desktop/test_site_change_kinds.py"),
    "db/schema_check.py": ("db/test_foreign_files.py",),
    "desktop/briefs/docx.py": ("desktop/commands/test_brief.py",),
    "desktop/briefs/html.py": ("desktop/commands/test_brief.py",),
    "desktop/briefs/markdown.py": ("desktop/commands/test_brief.py",),
    "desktop/briefs/model.py": ("desktop/commands/test_brief.py", "desktop/ui/dialogs/test_brief_dialog.py"),
    "desktop/briefs/output.py": ("desktop/commands/test_brief.py",),
    "desktop/briefs/selection.py": ("desktop/commands/test_brief.py",),
    "desktop/change_report.py": ("desktop/commands/test_fetch_report.py",),
    "desktop/commands/import_csv.py": ("desktop/test_cli_files.py",),
    "desktop/commands/sources.py": (
        "desktop/test_cli_default_sources.py",
        "desktop/commands/test_backups.py",
    ),
    "desktop/fetch_process.py": ("desktop/test_refresh_process.py", "trust/test_hostile_parse.py"),
    "desktop/friendly_csv.py": ("desktop/test_spreadsheet_export.py",),
    "desktop/logging_setup.py": ("packaging/test_user_files.py", "desktop/ui/test_fatal_error.py"),
    "desktop/shortcuts.py": ("desktop/test_keys.py",),
    "desktop/sources_writer.py": ("desktop/ui/dialogs/test_sources_dialog.py",),
    "desktop/spreadsheet_rows.py": ("desktop/test_spreadsheet_export.py",),
    "desktop/ui/announce.py": ("desktop/test_accessibility.py",),
    "desktop/ui/brief_pdf.py": ("desktop/commands/test_brief.py",),
    "desktop/bulk_changes.py": ("desktop/ui/controllers/test_triage_bulk.py",),
    "desktop/ui/controllers/brief.py": ("desktop/ui/dialogs/test_brief_dialog.py",),
    "desktop/ui/controllers/notes.py": ("desktop/ui/test_note_saver.py", "desktop/test_keys.py"),
    "desktop/ui/controllers/tracker.py": (
        "desktop/ui/views/test_main_window.py",
        "desktop/test_trust_window.py",
    ),
    "desktop/ui/dialogs/about_dialog.py": (
        "desktop/ui/dialogs/test_sources_dialog.py",
        "desktop/test_accessibility.py",
    ),
    "desktop/ui/dialogs/changes_dialog.py": ("desktop/ui/controllers/test_alerts.py",),
    "desktop/ui/dialogs/add_source_dialog.py": ("desktop/ui/dialogs/test_sources_dialog.py",),
    "desktop/ui/dialogs/settings_dialog.py": (
        "desktop/ui/dialogs/test_sources_dialog.py",
        "desktop/ui/controllers/test_schedule.py",
    ),
    "desktop/ui/dialogs/watchlist_dialog.py": ("desktop/ui/controllers/test_watchlists.py",),
    "desktop/ui/message_box.py": ("desktop/test_plain_messages.py",),
    "desktop/ui/refresh_runner.py": (
        "desktop/ui/controllers/test_refreshing.py",
        "desktop/test_refresh_process.py",
    ),
    "desktop/ui/settings.py": ("desktop/ui/dialogs/test_sources_dialog.py", "desktop/test_small_bugs.py"),
    "desktop/ui/table_selection.py": ("desktop/ui/controllers/test_triage.py", "desktop/test_undo_window.py"),
    "desktop/ui/views/flow_layout.py": ("desktop/test_small_bugs.py",),
    "desktop/ui/views/record_text.py": (
        "desktop/ui/views/test_detail_pane.py",
        "desktop/ui/test_note_saver.py",
    ),
    "desktop/ui/views/status_bar.py": ("desktop/test_undo_window.py", "desktop/test_accessibility.py"),
    "desktop/ui/views/tag_editor.py": ("desktop/ui/controllers/test_triage.py", "desktop/test_small_bugs.py"),
    "desktop/xlsx_export.py": ("desktop/test_spreadsheet_export.py",),
}


def _modules() -> set[str]:
    return {
        str(path.relative_to(REPO_ROOT))
        for package in PACKAGES
        for path in (REPO_ROOT / package).rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    }


def _has_test_file(module: str) -> bool:
    path = Path(module)
    folder = REPO_ROOT / "tests" / path.parent
    return (folder / f"test_{path.stem}.py").is_file() or any(folder.glob(f"test_{path.stem}_*.py"))


def test_every_module_with_logic_has_its_test_file() -> None:
    without = {module for module in _modules() if not _has_test_file(module)}
    unexplained = sorted(without - NEED_NONE.keys() - TESTED_ELSEWHERE.keys())
    assert unexplained == [], "modules with no tests/<package>/.../test_<module>.py and no entry here"


def test_the_lists_name_only_modules_that_exist_and_lack_a_file() -> None:
    listed = NEED_NONE.keys() | TESTED_ELSEWHERE.keys()
    gone = sorted(listed - _modules())
    now_tested = sorted(module for module in listed if _has_test_file(module))
    assert (gone, now_tested) == ([], [])


def test_the_tests_named_for_a_module_are_there() -> None:
    missing = sorted(
        f"{module}: tests/{where}"
        for module, places in TESTED_ELSEWHERE.items()
        for where in places
        if not (REPO_ROOT / "tests" / where).exists()
    )
    assert missing == []
