"""The search box's text as FTS5 queries that can never be a syntax error.

FTS5 has its own query language (`NEAR`, `AND`, `-`, `:`, `^`, `*`, quotes, parentheses), so
ordinary text such as `AI-Act` or `don't` raises an error when passed as is (DESIGN §8). Each
word of the user's text becomes a quoted string, which FTS5 treats as a phrase of literal
tokens whatever it contains.
"""

from __future__ import annotations

import logging
import unicodedata

logger = logging.getLogger(__name__)

MAX_TERMS = 16  # a pasted paragraph still searches quickly
MAX_TERM_CHARS = 200


def _has_token_char(chunk: str) -> bool:
    """True when FTS5's unicode61 tokenizer finds a token in `chunk` (letters, digits, Co)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" for ch in chunk)


def _clean(text: str) -> str:
    # NUL ends an FTS5 string early ("unterminated string"); lone surrogates cannot be encoded;
    # other control characters are never part of a word.
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)


def fts_terms(text: str | None, prefix_last: bool = True) -> list[str]:
    """One FTS5 query per word of `text`; an empty list means "no search" (match everything).

    A record matches the search when it matches every term (in its text or its note). The last
    word is a prefix (`"regul"*`) while the user is still typing it, that is when the text does
    not end with a space.
    """
    if not text:
        return []
    cleaned = _clean(text)
    chunks = [c[:MAX_TERM_CHARS] for c in cleaned.split() if _has_token_char(c)][:MAX_TERMS]
    terms = ['"' + chunk.replace('"', '""') + '"' for chunk in chunks]
    if terms and prefix_last and not cleaned[-1:].isspace():
        terms[-1] += "*"
    return terms
