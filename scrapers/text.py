"""Scraped HTML to plain text and safe links: nothing a site sends is ever executed.

Every function here is linear in its input: the text is gathered in one walk of the tree
(never by editing the tree, which costs a walk of the ancestors per tag), and a fragment
nested deeper than any real page is refused before it is parsed (docs/TRUST.md).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import CData, NavigableString, Tag

from scrapers.model import ParseError

# A summary that is only a link ("https://…") is text to us, not a file name to open: bs4's
# warning about it would only fill the log. (A global filter: catch_warnings is not thread-safe.)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

_BLOCKS = frozenset(("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"))
_DROPPED = frozenset(("script", "style", "iframe", "object", "embed", "noscript", "template"))
# Real descriptions nest a few dozen elements at most; 100,000 nested <div>s are an attack
# that costs the parser minutes and memory, so anything past this depth is refused.
MAX_DEPTH = 500
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# Elements that never hold others (void), or that the parser closes by itself when the next
# one opens (an unclosed <p> or <li> is not nesting): they never add to the depth.
_FLAT = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "option",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
    ]
)


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment with paragraphs kept; scripts and styles dropped.

    Raises ParseError for a fragment nested more than MAX_DEPTH elements deep.
    """
    if not html:
        return ""
    if nesting_depth(html, MAX_DEPTH) > MAX_DEPTH:
        raise ParseError(f"an HTML text nests its elements more than {MAX_DEPTH} deep: refused")
    text = _plain_text(BeautifulSoup(html, "lxml"))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def nesting_depth(html: str, stop_past: int | None = None) -> int:
    """How deeply the fragment's elements nest, read from its tags in one pass (stopping as
    soon as it is past `stop_past`).

    An end tag closes everything opened since its start tag (as the parser does); an end tag
    with no open start tag is ignored. Each tag is pushed and popped at most once.
    """
    stack: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _FLAT or self_closing:
            continue
        if not closing:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            deepest = max(deepest, len(stack))
            if stop_past is not None and deepest > stop_past:
                break
        elif open_count.get(name):
            while stack:
                top = stack.pop()
                open_count[top] -= 1
                if top == name:
                    break
    return deepest


def _plain_text(soup: BeautifulSoup) -> str:
    """The text of the tree, a line break around each block element, in one walk (no recursion:
    a deep tree must not exhaust the stack)."""
    parts: list[str] = []
    stack: list[tuple[Iterator[object], bool]] = [(iter(soup.contents), False)]
    while stack:
        children, is_block = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if is_block:
                parts.append("\n")
        elif isinstance(node, Tag):
            if node.name in _DROPPED:
                continue
            block = node.name in _BLOCKS
            if block:
                parts.append("\n")
            stack.append((iter(node.contents), block))
        elif type(node) in (NavigableString, CData):  # not comments, doctypes, declarations
            parts.append(str(node))
    return "".join(parts)


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
