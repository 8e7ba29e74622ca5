"""A brief's HTML as PDF, by Qt's own rich-text engine and PDF writer (no other dependency).

The only module of desktop/briefs that imports Qt. The window calls `html_to_pdf` in its own
process. The command line never imports Qt (docs/ARCHITECTURE.md): it runs this module as a
child process (`python -m desktop.ui.brief_pdf IN.html OUT.pdf`, see desktop/briefs/output.py),
with the offscreen platform, so that the missing display of a server or a cron job is no
matter, and a Qt failure that aborts a process (a missing system library) ends the child, not
the command, which then reports it in one line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

# Qt's print adds 2 cm margins of its own to a document without a page size (the usual A4
# letter margins); the writer adds none, so that they are not counted twice.
MARGIN_MM = 0.0
RESOLUTION_DPI = 300


def html_to_pdf(html: str, path: Path, title: str = "") -> None:
    """Lay `html` out on A4 pages and write them to `path` (needs a QGuiApplication)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(title)
    writer.setCreator("Policy Tracker")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.print_(writer)  # no page size set: Qt lays out on the printable area, points true


def main(argv: list[str]) -> int:
    """`IN.html OUT.pdf [TITLE]`: what the command line's child process runs."""
    if len(argv) not in (2, 3):
        print("usage: python -m desktop.ui.brief_pdf IN.html OUT.pdf [TITLE]", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication.instance() or QGuiApplication(["policy-tracker-pdf"])
    html = Path(argv[0]).read_text(encoding="utf-8")
    html_to_pdf(html, Path(argv[1]), title=argv[2] if len(argv) == 3 else "")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
