"""Untrusted text made safe to show: control characters escaped, credentials in addresses hidden.

Every message, label, log line and stored error that quotes a file, a page, a server or a
source goes through `shown`: an escape sequence in a file's first line or a server's status
line must never reach a terminal or a widget as a control character, and a password typed into
a source URL must never be echoed back (docs/TRUST.md). It lives in db/ so that the store's own
messages (a CSV file's first line, an export target) and every message in desktop/ share it.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, lone surrogates and the bidirectional overrides that can reorder a
# line on screen. Tab and newline are escaped too: a quoted value stays on one line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# scheme://user:password@host or scheme://user@host: the userinfo part of any web address.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def redact(text: str) -> str:
    """The text with the user-and-password part of every address replaced by `***@`."""
    return _USERINFO.sub(r"\1***@", text)


def shown(text: object, limit: int = 500) -> str:
    """Untrusted text as one printable line: credentials hidden, controls escaped, cut at `limit`."""
    value = redact(str(text))
    if len(value) > limit:
        value = value[:limit] + "…"
    return _UNSAFE.sub(_escape, value)
