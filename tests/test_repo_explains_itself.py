"""The repo explains itself: no code, test or document cites a text a reader of this repo does
not have (a design document, a trust-test list, a style guide kept elsewhere, an issue number).
What such a citation pointed to is written into docs/ (docs/ARCHITECTURE.md, docs/SOURCES.md,
docs/TRUST.md), and that is what is cited."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What is ours to write: code, tests, docs, build and CI files. Captured payloads under
# tests/fixtures/*/captured/ are the sites' words, not ours, and are not read.
SUFFIXES = {".py", ".md", ".toml", ".sh", ".spec", ".qss", ".iss", ".txt", ".desktop", ".cfg", ".ini"}
EXTRA_FILES = {".ci/run"}
# The names are spelled in pieces so that this file, the one that looks for such citations,
# reads as none itself and is scanned like every other file.
DESIGN_DOC, TRUST_LIST, STYLE_GUIDE, SHARED = (
    "DES" + "IGN",
    "TRUST" + "-TESTS",
    "STYLE" + ".md",
    "../" + "shared",
)
SECTION_SIGN = "\N{SECTION SIGN}"
OUTSIDE = re.compile(
    "|".join(
        [
            rf"\b{DESIGN_DOC}\b",
            *(re.escape(name) for name in (SECTION_SIGN, TRUST_LIST, SHARED, STYLE_GUIDE)),
            r"\b[Ii]ssues? #?\d+",
        ]
    )
)


def _our_files() -> list[Path]:
    found = [ROOT / name for name in EXTRA_FILES if (ROOT / name).is_file()]
    for folder, subfolders, files in os.walk(ROOT):
        # Hidden folders (.git, .venv, caches), build output and captured payloads are not ours.
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".") and name not in {"__pycache__", "build", "dist", "captured"}
        ]
        found.extend(Path(folder, name) for name in files if Path(name).suffix in SUFFIXES)
    return found


def test_no_file_cites_a_document_outside_the_repo() -> None:
    citations = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in _our_files()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if (match := OUTSIDE.search(line))
    ]
    assert citations == []


def test_the_check_sees_a_citation() -> None:
    """The pattern catches each way such a citation was written before."""
    number = 4
    for cited in (
        f"see {DESIGN_DOC} {SECTION_SIGN}{number}",
        f"{TRUST_LIST} {number}",
        f"(issue {number})",
        f"Issue {number} item",
        f"{SHARED}/{STYLE_GUIDE}",
    ):
        assert OUTSIDE.search(cited), cited
    for ours in ("docs/TRUST.md", "a design choice", "the issue is the lock", "section 4"):
        assert not OUTSIDE.search(ours), ours
