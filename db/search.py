"""The search box's text as FTS5 queries that can never be a syntax error.

FTS5 has its own query language (`NEAR`, `AND`, `-`, `:`, `^`, `*`, quotes, parentheses), so
ordinary text such as `AI-Act` or `don't` raises an error when passed as is. Each
word of the user's text becomes a quoted string, which FTS5 treats as a phrase of literal
tokens whatever it contains.

Short words are whole words: "AI" finds "AI", never "aid" or "airports", and a one- or
two-letter prefix ("f", "co") never makes FTS5 merge the posting lists of thousands of words.
Only a last word of at least MIN_PREFIX_CHARS is a prefix while it is being typed
(docs/SEARCH.md).
"""

from __future__ import annotations

import logging
import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

logger = logging.getLogger(__name__)

MAX_TERMS = 16  # a pasted paragraph still searches quickly
MAX_TERM_CHARS = 200
MIN_PREFIX_CHARS = 4  # "DSA", "EU", "AI" stay whole words; "fund" already finds "funding"
_LAST_TOKEN = re.compile(r"[^\W_]+$")
# "Sort: Relevance" ranks text matches by FTS5's bm25 over (title, summary, body), a hit in
# the title counting most: a call named after the words beats one that mentions them once.
RELEVANCE_WEIGHTS = (10.0, 3.0, 1.0)
RELEVANCE_SQL = f"bm25(records_fts, {', '.join(str(w) for w in RELEVANCE_WEIGHTS)})"


def _has_token_char(chunk: str) -> bool:
    """True when FTS5's unicode61 tokenizer finds a token in `chunk` (letters, digits, Co)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" for ch in chunk)


def _clean(text: str) -> str:
    # NUL ends an FTS5 string early ("unterminated string"); lone surrogates cannot be encoded;
    # other control characters are never part of a word.
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)


_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')  # a "quoted phrase" (to the end if unclosed), or a word
_OR = "OR"


def _phrase(chunk: str) -> str:
    return '"' + chunk.replace('"', '""') + '"'


def fts_terms(text: str | None, prefix_last: bool = True) -> list[str]:
    """One FTS5 query per term of `text`; an empty list means "no search" (match everything).

    A record matches the search when it matches every term (in its text or its note). A term
    is a word, a "quoted phrase" (its words side by side), or terms joined by OR (either one:
    `DeepSeek OR "open model"`; OR binds tighter than the space between terms, as in a web
    search). An OR with nothing on one side is the word "or". The last word is a prefix
    (`"regul"*`) while the user is still typing it, that is when the text does not end with a
    space, and only when its last token has MIN_PREFIX_CHARS or more: shorter words are the
    acronyms this app's users search for ("AI", "EU", "DSA"), and a short prefix matches too
    many words to be useful or quick. A phrase or an OR group is never a prefix.
    """
    if not text:
        return []
    cleaned = _clean(text)
    chunks: list[tuple[str, bool]] = []  # (text, quoted)
    for match in _CHUNK.finditer(cleaned):
        quoted = match.group(1) is not None
        chunk = (match.group(1) if quoted else match.group(2))[:MAX_TERM_CHARS]
        if _has_token_char(chunk):
            chunks.append((chunk, quoted))
    groups: list[list[str]] = []
    joining = False
    words = 0
    for number, (chunk, quoted) in enumerate(chunks):
        is_operator = not quoted and chunk == _OR and bool(groups) and number + 1 < len(chunks)
        if is_operator and not joining:
            joining = True
            continue
        if words == MAX_TERMS:
            break
        words += 1
        if joining:
            groups[-1].append(_phrase(chunk))
        else:
            groups.append([_phrase(chunk)])
        joining = False
    terms = [group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups]
    last_is_word = bool(groups) and len(groups[-1]) == 1 and not chunks[-1][1]
    if (
        terms
        and prefix_last
        and last_is_word
        and not cleaned[-1:].isspace()
        and _long_last_token(chunks[-1][0])
    ):
        terms[-1] += "*"
    return terms


def _long_last_token(chunk: str) -> bool:
    match = _LAST_TOKEN.search(chunk)
    return match is not None and len(match.group()) >= MIN_PREFIX_CHARS


# -- prefix expansion -----------------------------------------------------------------------------
#
# A prefix query (`"fund"*`) makes FTS5 merge the posting lists of every word that starts with
# it, each time it runs. Run once, to list the matches, that is fine; run as a test of one
# record (`... MATCH ? AND rowid = ?`, how a page is found by walking a sort index), it costs
# the whole merge per record: seconds per page at a million records. So the prefix is looked
# up in the index's vocabulary and replaced by the few whole words it stands for, which FTS5
# can test one record at a time with a seek.

MAX_EXPANSION = 32  # more words than this and the prefix stays a prefix
_WORD = re.compile(r"[a-z0-9]+")
_VOCABULARY = "temp.records_fts_words"
# Per open store (its sqlite_utils Database: a connection itself cannot be weakly referenced).
_expansions: weakref.WeakKeyDictionary[Database, dict[tuple[Any, ...], str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class SearchTerms:
    """The search box's words as FTS5 queries: `words` as typed (for the notes' index, which is
    small), and `text` for the records' index, where a prefix may have been expanded."""

    words: tuple[str, ...]
    text: tuple[str, ...]

    @property
    def exact(self) -> bool:
        """True when no term of `text` is a prefix query (each can test one record cheaply)."""
        return not any(term.endswith("*") for term in self.text)


def search_terms(text: str | None) -> SearchTerms:
    words = tuple(fts_terms(text))
    return SearchTerms(words, words)


def expanded(db: Database, terms: SearchTerms) -> SearchTerms:
    """`terms` with a final prefix replaced by the whole words of the records' index it stands
    for (at most MAX_EXPANSION of them), remembered until the store changes."""
    if terms.exact:
        return terms
    *head, last = terms.text
    return SearchTerms(terms.words, (*head, _expand(db, last)))


def _expand(db: Database, term: str) -> str:
    stem = term[1:-2]  # '"stem"*'
    # Only a plain ASCII word is folded here exactly as the unicode61 tokenizer folds it.
    if not _WORD.fullmatch(stem.lower()):
        return term
    stem = stem.lower()
    conn = db.conn
    version = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    cache = _expansions.setdefault(db, {})
    key = (stem, *version)
    if key in cache:
        return cache[key]
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCABULARY} USING fts5vocab(main, records_fts, row)")
    after = stem[:-1] + chr(ord(stem[-1]) + 1)
    words = [
        row[0]
        for row in conn.execute(
            f"SELECT term FROM {_VOCABULARY} WHERE term >= ? AND term < ? LIMIT ?",
            (stem, after, MAX_EXPANSION + 1),
        )
    ]
    if not words or len(words) > MAX_EXPANSION:
        result = term  # nothing to find (the prefix finds nothing quickly) or too many words
    else:
        result = "(" + " OR ".join(f'"{word}"' for word in words) + ")"
    if len(cache) > 256:
        cache.clear()
    cache[key] = result
    return result


# -- snippets -------------------------------------------------------------------------------------

_HIT_START, _HIT_END = "\x02", "\x03"  # FTS5 marks the hits with these; they never reach a widget
SNIPPET_TOKENS = 24


def snippet(db: Database, record_id: int, terms: SearchTerms) -> list[tuple[str, bool]]:
    """The words around the search's hits in the record's text, else in its note, as
    (text, is a hit) pieces in reading order; empty when neither matches.

    The pieces are raw text from a site or the user: the caller escapes them for its widget.
    """
    if not terms.words:
        return []
    lookups = (
        ("records_fts", " AND ".join(terms.text)),
        ("notes_fts", " OR ".join(terms.words)),
    )
    for table, match in lookups:
        row = db.conn.execute(
            f"SELECT snippet({table}, -1, ?, ?, '…', ?) FROM {table} WHERE {table} MATCH ? AND rowid = ?",
            (_HIT_START, _HIT_END, SNIPPET_TOKENS, match, record_id),
        ).fetchone()
        if row is not None and row[0]:
            return _pieces(str(row[0]))
    return []


def _pieces(marked: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    hit = False
    for part in re.split(f"([{_HIT_START}{_HIT_END}])", marked):
        if part in (_HIT_START, _HIT_END):
            hit = part == _HIT_START
        elif part:
            pieces.append((part, hit))
    return pieces
