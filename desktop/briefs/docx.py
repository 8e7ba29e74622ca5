"""A brief as a Word document (python-docx): real heading styles, real hyperlinks.

Headings use Word's built-in "Title" and "Heading 1-3" styles, so the navigation pane, an
outline and a table of contents work in Word and LibreOffice. python-docx has no call for a
hyperlink: `add_hyperlink` relates the address to the part and wraps a run in `w:hyperlink`,
as Word itself writes one. Text is set through python-docx, which escapes it for XML.
"""

from __future__ import annotations

from typing import IO

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from desktop.briefs.model import Brief, Entry

LINK_COLOUR = RGBColor(0x0B, 0x5C, 0xAD)
MUTED = RGBColor(0x57, 0x60, 0x6A)


def write_docx(brief: Brief, target: IO[bytes]) -> None:
    document = Document()
    document.core_properties.title = brief.heading
    document.core_properties.author = "Policy Tracker"
    document.core_properties.comments = brief.generated
    normal = document.styles["Normal"].font
    normal.name, normal.size = "Calibri", Pt(10.5)  # the template's Cambria reads as a letter
    document.add_heading(brief.heading, level=0)
    if brief.period:
        _muted(document.add_paragraph(), brief.period)
    _muted(document.add_paragraph(), brief.generated)
    for paragraph in brief.intro.split("\n\n"):
        if paragraph.strip():
            _text_with_breaks(document.add_paragraph(), paragraph.strip())
    for section in brief.sections:
        document.add_heading(section.title, level=1)
        for group in section.groups:
            if group.title:
                document.add_heading(group.title, level=2)
            for entry in group.entries:
                _entry(document, entry)
    if not brief.sections:
        document.add_paragraph("No records matched.")
    document.save(target)


def _entry(document: WordDocument, entry: Entry) -> None:
    heading = document.add_heading(level=3)
    if entry.link:
        add_hyperlink(heading, entry.link, entry.title)
    else:
        heading.add_run(entry.title)
    if entry.facts:
        facts = document.add_paragraph()
        for i, (label, value) in enumerate(entry.facts):
            if i:
                _small(facts.add_run("   ·   "))
            _small(facts.add_run(f"{label}: ")).bold = True
            _small(facts.add_run(value.replace(" ", "\u00a0")))  # a fact never breaks inside
    if entry.note:
        note = document.add_paragraph()
        note.paragraph_format.left_indent = Cm(0.6)
        note.add_run("Note: ").bold = True
        _text_with_breaks(note, entry.note)
    for paragraph in entry.summary.split("\n\n"):
        if paragraph.strip():
            _text_with_breaks(document.add_paragraph(), paragraph.strip())


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """Append `text` to `paragraph` as a link to `url` (an external relationship of the part)."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = paragraph.add_run(text)
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    link.append(run._r)  # moves the run inside the hyperlink element
    paragraph._p.append(link)


def _muted(paragraph: Paragraph, text: str) -> None:
    _small(paragraph.add_run(text))


def _small(run: Run) -> Run:
    run.font.color.rgb = MUTED
    run.font.size = Pt(9.5)
    return run


def _text_with_breaks(paragraph: Paragraph, text: str) -> None:
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)
