"""JSON answers of the search APIs read with a plain reason when they are not JSON, and their
string values read without trusting their type."""

from __future__ import annotations

import codecs
import json
from typing import Any

from scrapers.model import ParseError


def load_json(payload: bytes, encoding: str | None, who: str) -> Any:
    """JSON from bytes; an empty answer, an HTML page or broken JSON is a ParseError naming `who`."""
    text = decode_json(payload, encoding) if payload else ""
    if not text.strip("\ufeff \t\r\n"):
        raise ParseError(f"{who} sent an empty answer")
    if text.lstrip("\ufeff \t\r\n")[:1] == "<":
        raise ParseError(
            f"{who} sent a web page where JSON was expected (an error page, or the address is wrong)"
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"{who} sent something that is not valid JSON ({_first_line(exc)})") from exc


def decode_json(payload: bytes, encoding: str | None) -> str:
    if payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return payload.decode("utf-16", errors="replace")
    try:  # JSON is UTF-8 (RFC 8259) whatever a header claims
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if encoding:
        try:
            return payload.decode(encoding, errors="replace")
        except LookupError:
            pass
    return payload.decode("utf-8", errors="replace")


def json_text(value: Any) -> str:
    """A JSON value that should be a string: itself, or "" when the payload put anything else there."""
    return value if isinstance(value, str) else ""


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return text[:150]
