"""A record's stored text, made safe to show: everything in it came from a website.

Labels showing it use `Qt.PlainText`; the browser gets the text escaped, with only the http(s)
addresses it contains turned into links, and loads no resource at all. Long values are cut,
saying so (the store keeps them whole).
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.ui import theme
from desktop.ui.links import is_web_link

logger = logging.getLogger(__name__)

_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”"
TITLE_CHARS = 600  # a title is a line or two; more is a page that put its text in the title
FIELD_CHARS = 300  # organisation, identifier, source name
SUMMARY_CHARS = 5_000
TEXT_CHARS = 100_000  # about 40 printed pages: laid out in well under a second


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that follows no link itself and loads nothing: no image, no stylesheet,
    no file. `anchorClicked` is still emitted; the owner decides what to open."""

    safe_link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.setUndoRedoEnabled(False)
        self.resource_requests: list[str] = []  # what a document asked for (and did not get)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, type: int, url: QUrl | str) -> Any:
        self.resource_requests.append(url.toString() if isinstance(url, QUrl) else str(url))
        logger.info("blocked a resource request from stored text: %s", self.resource_requests[-1][:200])
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if is_web_link(url):
            self.safe_link_clicked.emit(url)
        else:
            logger.info("ignored a link that is not http or https: %s", url.toString()[:200])


def capped(text: str, limit: int) -> str:
    """`text` cut at `limit` characters, saying so: a 1 MB title or text laid out in full froze
    the window for seconds when its record was selected (docs/TRUST.md, "Degraded cases")."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: the first {limit:,} of {len(text):,} characters are shown]"


def text_to_html(summary: str | None, body: str | None) -> str:
    """Stored plain text as escaped HTML paragraphs; http(s) addresses become links. At most
    TEXT_CHARS of the text are shown, with a line saying it is cut (the store keeps it all)."""
    parts: list[str] = []
    summary = (summary or "").strip()[:SUMMARY_CHARS]
    full = (body or "").strip()
    body = full[:TEXT_CHARS]
    if summary and summary not in body:
        parts.append(f"<p><i>{_linkify(summary)}</i></p>")
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.strip():
            lines = "<br>".join(_linkify(line) for line in paragraph.strip().splitlines())
            parts.append(f"<p>{lines}</p>")
    muted = theme.colour("muted").name()  # 4.5:1 on the text's ground in every theme
    if len(full) > TEXT_CHARS:
        parts.append(
            f"<p style='color:{muted}'>[The text is cut here: the first {TEXT_CHARS:,} of "
            f"{len(full):,} characters are shown. Open the original for the rest.]</p>"
        )
    if not parts:
        parts.append(f"<p style='color:{muted}'>No text was stored for this record.</p>")
    return "\n".join(parts)


def _linkify(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)
