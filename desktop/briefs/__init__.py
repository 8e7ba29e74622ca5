"""Briefs: the records a user picked, written as the document policy staff send on.

`model` turns store rows into a `Brief` (sections, groups, entries, every value already
formatted as the window shows it); `docx`, `html` and `markdown` write it with no Qt; `pdf`
renders the HTML with Qt's own PDF writer, in a process of its own (docs/ARCHITECTURE.md).
"""

# How the frozen app (packaging/launcher.py), which has no `python -m`, is asked to be the PDF
# child process: `policy-tracker --render-brief-pdf IN.html OUT.pdf TITLE`.
PDF_CHILD_ARG = "--render-brief-pdf"

# What each format is called in a message ("choose another name for the Word brief").
BRIEF_KINDS = {"docx": "Word brief", "pdf": "PDF brief", "html": "HTML brief", "md": "Markdown brief"}
