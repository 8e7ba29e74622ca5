"""HTML and XML bytes as text and as a tree: the one decoding every kind that reads markup uses
(a feed, a listing page, a detail page), so that they all trust the same evidence the same way."""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup

from scrapers.model import ParseError

# Never part of the text we keep, wherever they appear in a page.
UNSAFE_TAGS = ("script", "style", "iframe", "frame", "object", "embed", "noscript", "template")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']?([A-Za-z0-9._:-]+)"""
    rb"""|<meta[^>]+?charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.I,
)
_UTF16_LE_START = re.compile(rb"(?:[ \t\r\n]\x00)*<\x00[^\x00]\x00")
_UTF16_BE_START = re.compile(rb"(?:\x00[ \t\r\n])*\x00<\x00[^\x00]")
# Labels that browsers read as windows-1252: bytes 0x80-0x9F are curly quotes and the euro
# sign on such pages, never C1 control characters.
_WINDOWS_1252_ALIASES = {"latin_1", "iso8859_1", "ascii", "cp1252"}


def decode_markup(payload: bytes, declared: str | None = None) -> str:
    """Decode an HTML or XML document to text, trusting the bytes over what anyone claims.

    Order: a byte-order mark; UTF-16 recognised by its `<` pattern; strict UTF-8 (a body that
    decodes as UTF-8 is UTF-8, whatever a header or a meta tag says); the document's own
    declaration (`<?xml encoding>`, `<meta charset>`); `declared` (the HTTP header's charset);
    windows-1252 (what an undeclared legacy page almost always is).
    """
    for bom, name in _BOMS:
        if payload.startswith(bom):
            return payload[len(bom) :].decode(name, errors="replace")
    utf16 = _utf16_without_bom(payload)
    if utf16:
        return payload.decode(utf16, errors="replace")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    match = _DECLARED.search(payload[:4096])
    if match:
        candidates.append((match.group(1) or match.group(2)).decode("ascii"))
    if declared:
        candidates.append(declared)
    for label in candidates:
        codec = _codec_name(label)
        if codec is None or codec.startswith(("utf_8", "utf_16", "utf_32")):
            continue  # UTF-8 already failed; UTF-16/32 without a BOM or `<` pattern is a lie
        if codec in _WINDOWS_1252_ALIASES:
            codec = "cp1252"
        try:
            return payload.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return payload.decode("cp1252", errors="replace")


def _utf16_without_bom(payload: bytes) -> str | None:
    """UTF-16 that starts with markup: `<` and the next character each followed (LE) or preceded
    (BE) by a NUL byte, as XML 1.0 appendix F describes."""
    if _UTF16_LE_START.match(payload):
        return "utf-16-le"
    if _UTF16_BE_START.match(payload):
        return "utf-16-be"
    return None


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except (LookupError, ValueError):
        return None


def soup_of(payload: bytes, encoding: str | None) -> BeautifulSoup:
    """The page as a tree, with scripts, frames and the like already removed."""
    if not payload.strip():
        raise ParseError("the page is empty")
    text = decode_markup(payload, encoding).replace("\x00", "")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml on hostile bytes: an unreadable page, never a crash
        raise ParseError(f"the page could not be read as HTML ({exc.__class__.__name__})") from exc
    for tag in soup(UNSAFE_TAGS):
        tag.decompose()
    return soup
