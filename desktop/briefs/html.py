"""A brief as one self-contained HTML file: every text escaped, no script, nothing fetched.

The Content-Security-Policy forbids any remote resource even if a value slipped through; the
style sheet is inline. The same HTML feeds the PDF (desktop/ui/brief_pdf.py), so it keeps to
what Qt's rich-text engine lays out (no flexbox, no grid, no web fonts).
"""

from __future__ import annotations

from html import escape

from desktop.briefs.model import Brief, Entry

# Nothing may be loaded from anywhere (no image, font, script, frame); only the inline style.
POLICY = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; font-size: 10.5pt;
       color: #1f2328; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 20pt; font-weight: 600; margin: 0 0 0.2em 0; color: #0b2545; }
h2 { font-size: 14pt; font-weight: 600; margin: 1.4em 0 0.3em 0; padding-bottom: 0.15em;
     border-bottom: 1px solid #c8ced6; color: #0b2545; }
h3 { font-size: 11.5pt; font-weight: 600; margin: 1em 0 0.2em 0; color: #3d4b5c; }
.title { font-size: 10.5pt; font-weight: 600; margin: 0.9em 0 0.1em 0; }
a { color: #0b5cad; text-decoration: none; }
p { margin: 0.2em 0; }
.meta { color: #57606a; font-size: 9.5pt; margin: 0; }
.intro { margin: 0.8em 0 0.4em 0; }
.facts { color: #3d4b5c; font-size: 9.5pt; }
.note { margin: 0.3em 0 0.3em 0; padding: 0.2em 0.6em; border-left: 3px solid #d4a72c;
        background: #fbf6e6; }
.summary { color: #1f2328; }
"""


def render_html(brief: Brief) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(brief.heading)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(brief.heading)}</h1>",
    ]
    if brief.period:
        parts.append(f'<p class="meta">{escape(brief.period)}</p>')
    parts.append(f'<p class="meta">{escape(brief.generated)}</p>')
    if brief.intro:
        parts.extend(f'<p class="intro">{_lines(p)}</p>' for p in _paragraphs(brief.intro))
    for section in brief.sections:
        parts.append(f"<h2>{escape(section.title)}</h2>")
        for group in section.groups:
            if group.title:
                parts.append(f"<h3>{escape(group.title)}</h3>")
            parts.extend(_entry(e) for e in group.entries)
    if not brief.sections:
        parts.append("<p>No records matched.</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _entry(entry: Entry) -> str:
    title = escape(entry.title)
    if entry.link:
        title = f'<a href="{escape(entry.link, quote=True)}">{title}</a>'
    # A paragraph, not an <h4>: Qt's rich text (the PDF) gives headings sizes of its own.
    html = [f'<p class="title">{title}</p>']
    if entry.facts:
        facts = "&nbsp;&nbsp;·&nbsp; ".join(_fact(label, value) for label, value in entry.facts)
        html.append(f'<p class="facts">{facts}</p>')
    if entry.note:
        html.append(f'<p class="note"><b>Note:</b> {_lines(entry.note)}</p>')
    if entry.summary:
        html.extend(f'<p class="summary">{_lines(p)}</p>' for p in _paragraphs(entry.summary))
    return "\n".join(html)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _fact(label: str, value: str) -> str:
    """A fact kept on one line ("Deadline: 18 Feb 2027, 17:00 CET"): lines break between facts."""
    return f"<b>{escape(label)}:</b>&nbsp;{escape(value).replace(' ', '&nbsp;')}"
