"""Save a brief in one of its formats, atomically (the file appears whole or not at all).

No Qt here: a PDF is made by a child process running desktop/ui/brief_pdf.py (why: see there).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from db.atomic_file import replace_with, temporary_beside, write_atomically
from db.safe_text import shown
from desktop.briefs import PDF_CHILD_ARG
from desktop.briefs.docx import write_docx
from desktop.briefs.html import render_html
from desktop.briefs.markdown import render_markdown
from desktop.briefs.model import Brief

PDF_TIME_LIMIT_S = 300


class BriefWriteError(Exception):
    """The brief could not be written; the message is one plain line."""


def save_brief(brief: Brief, fmt: str, target: Path) -> None:
    """Write `brief` as `fmt` to `target`. Raises BriefWriteError (and OSError for the disk)."""
    if fmt == "docx":
        write_atomically(target, lambda handle: write_docx(brief, handle))
    elif fmt == "html":
        text = render_html(brief).encode("utf-8")
        write_atomically(target, lambda handle: handle.write(text))
    elif fmt == "md":
        text = render_markdown(brief).encode("utf-8")
        write_atomically(target, lambda handle: handle.write(text))
    elif fmt == "pdf":
        _save_pdf(brief, target)
    else:
        raise ValueError(f"unknown brief format {fmt!r}")


def _save_pdf(brief: Brief, target: Path) -> None:
    with temporary_beside(target, ".html") as html, temporary_beside(target) as pdf:
        html.write_text(render_html(brief), encoding="utf-8")
        command = [*_pdf_child(), str(html), str(pdf), brief.heading]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIME_LIMIT_S)
        except subprocess.TimeoutExpired:
            raise BriefWriteError(f"making the PDF took over {PDF_TIME_LIMIT_S} s and was stopped") from None
        if done.returncode != 0 or pdf.stat().st_size == 0:
            lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
            reason = shown(lines[-1], 200) if lines else f"exit status {done.returncode}"
            raise BriefWriteError(f"Qt could not make the PDF: {reason}")
        replace_with(pdf, target)


def _pdf_child() -> list[str]:
    """This interpreter running desktop/ui/brief_pdf.py, or the frozen app asked to be it."""
    if getattr(sys, "frozen", False):
        return [sys.executable, PDF_CHILD_ARG]
    return [sys.executable, "-m", "desktop.ui.brief_pdf"]
