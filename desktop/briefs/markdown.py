"""A brief as Markdown: user and site text escaped so that it stays text in any renderer.

CommonMark lets a backslash escape any ASCII punctuation. Inline-active characters are
escaped everywhere; characters that only act at the start of a line (a list marker, a
heading, a quote, a numbered item, a setext underline) are escaped there, on every line, since
a multi-line note keeps its line breaks as hard breaks.
"""

from __future__ import annotations

import re

from desktop.briefs.model import Brief, Entry

_INLINE = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
_LINE_START = re.compile(r"^(\s*)([-+=>:]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """`text` (one line or several) as literal Markdown; line breaks become hard breaks."""
    lines = [_escape_line(line) for line in text.split("\n")]
    return "  \n".join(line for line in lines)


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", line.strip())
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), escaped)


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _link_target(url: str) -> str:
    """An address inside <…>: spaces, angle brackets and parentheses percent-encoded."""
    for char, code in ((" ", "%20"), ("<", "%3C"), (">", "%3E"), ("(", "%28"), (")", "%29")):
        url = url.replace(char, code)
    return url


def render_markdown(brief: Brief) -> str:
    out = [f"# {escape_markdown(brief.heading)}", ""]
    if brief.period:
        out += [f"*{escape_markdown(brief.period)}*", ""]
    out += [f"*{escape_markdown(brief.generated)}*", ""]
    if brief.intro:
        out += [_block(p) for p in brief.intro.split("\n\n") if p.strip()]
        out.append("")
    for section in brief.sections:
        out += [f"## {escape_markdown(section.title)}", ""]
        for group in section.groups:
            if group.title:
                out += [f"### {escape_markdown(group.title)}", ""]
            for entry in group.entries:
                out += _entry(entry)
    if not brief.sections:
        out += ["No records matched.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _block(text: str) -> str:
    return escape_markdown(text.strip()) + "\n"


def _entry(entry: Entry) -> list[str]:
    title = escape_markdown(entry.title)
    if entry.link:
        title = f"[{title}](<{_link_target(entry.link)}>)"
    lines = [f"#### {title}", ""]
    if entry.facts:
        lines += [" · ".join(f"**{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in entry.facts), ""]
    if entry.note:
        lines += ["> **Note:** " + escape_markdown(entry.note).replace("  \n", "  \n> "), ""]
    if entry.summary:
        lines += [_block(p) for p in entry.summary.split("\n\n") if p.strip()]
    return lines
