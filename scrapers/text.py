"""Scraped HTML to plain text and safe links: nothing a site sends is ever executed."""

from __future__ import annotations

import re
import warnings
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

# A summary that is only a link ("https://…") is text to us, not a file name to open: bs4's
# warning about it would only fill the log. (A global filter: catch_warnings is not thread-safe.)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

_BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article")


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment with paragraphs kept; scripts and styles dropped."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "iframe", "object", "embed", "noscript", "template"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_line(text: str | None) -> str:
    """One line of text with whitespace folded (titles, names)."""
    return " ".join((text or "").split())


def safe_link(href: str | None, base: str = "") -> str | None:
    """The absolute http(s) URL of `href`, or None for `javascript:`, `file:` and the like."""
    if not href:
        return None
    try:
        absolute = urljoin(base, href.strip())
        parts = urlsplit(absolute)
    except ValueError:  # "http://[::1" and other unparseable hosts
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute
