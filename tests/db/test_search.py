"""The search box: any text at all is a valid search, and words match title, text or note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db.search import fts_terms
from db.store import Query, Store
from tests.db.helpers import item, open_store

NASTY = [
    '"', "'", "*", "-", ":", "^", "(", ")", "+", "NEAR", "NEAR(", "AND", "OR", "NOT", "{", "}",
    "\x00", " ", "\t", "\n", ".", ",", "title:", "body:", "AI", "act", "😀", "مرحبا", "שלום",
    "\u202e", "\u200f", "é", "ß", "\ud800", "\\", "%", "_", "$", "0", "NEAR/2",
]  # fmt: skip
search_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(NASTY), max_size=40).map("".join),
    st.builds(
        lambda part, times: (part * times)[:10240], st.text(min_size=1, max_size=12), st.integers(1, 2000)
    ),
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(Path(tmp_path_factory.mktemp("search")) / "search.sqlite")
    store.save_announcements(
        "src",
        [
            item(1, title="The AI Act enters into force", summary="Régulation of artificial intelligence"),
            item(2, title="Compute strategy", body="Sovereign compute for European research"),
            item(3, title="Horizon Europe call: HORIZON-CL4-2026-01", summary="Deadline moved"),
            item(4, title="Consultation on data (use and access)", summary="Don't miss it"),
        ],
    )
    store.set_note(2, "for Friday's brief: the AI angle")
    yield store
    store.close()


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=search_texts)
@example(text='"unbalanced')
@example(text="NEAR(a b, 3)")
@example(text="-AI")
@example(text="title:AI")
@example(text="a" * 10240)
@example(text="\x00")
@example(text="*")
def test_any_text_is_a_valid_search(corpus: Store, text: str) -> None:
    total = corpus.count(Query())
    found = corpus.count(Query(search=text))
    assert 0 <= found <= total
    assert len(corpus.page(Query(search=text, sort="title"), 0, 10)) == min(found, 10)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", [1, 2, 3, 4]),
        ("   ", [1, 2, 3, 4]),
        ("---", [1, 2, 3, 4]),  # nothing searchable: no filter rather than nothing
        ("AI Act", [1]),
        ("ai-act", [1]),  # a phrase, not "ai NOT act"
        ("regulation", [1]),  # accents folded
        ("compu", [2]),  # the last word is a prefix while typing
        ("compu ", []),  # a finished word is a whole word
        ("sovereign", [2]),  # the full text of the detail page
        ("friday", [2]),  # the note
        ("AI compute", [2]),  # one word in the note, one in the title
        ("HORIZON-CL4-2026-01", [3]),
        ("don't", [4]),
        ('"use and', [4]),
        ("NOT", []),
    ],
)
def test_what_a_search_finds(corpus: Store, text: str, ids: list[int]) -> None:
    rows = corpus.page(Query(search=text, sort="title", descending=False), 0, 100)
    assert sorted(row["id"] for row in rows) == ids


def test_terms_are_quoted_and_capped() -> None:
    assert fts_terms('say "hi" NEAR') == ['"say"', '"hi"', '"NEAR"*']
    assert len(fts_terms("word " * 1000)) == 16


def test_short_words_are_whole_words_and_only_a_long_last_word_is_a_prefix(store: Store) -> None:
    store.save_announcements(
        "src",
        [
            item(1, title="The AI Act enters into force"),
            item(2, title="State aid for regional airports"),
            item(3, title="EU opens DSA proceedings"),
            item(4, title="Funding for fundamental research"),
            item(5, title="Eurostat publishes figures"),
        ],
    )

    def found(text: str) -> list[int]:
        return sorted(row["id"] for row in store.page(Query(search=text), 0, 100))

    assert found("AI") == [1]  # not "aid", not "airports"
    assert found("EU") == [3]  # not "Eurostat"
    assert found("DSA") == [3]
    assert found("f") == []  # one letter: the word "f", not every word starting with f
    assert found("fun") == []  # three letters: still a whole word
    assert found("fund") == [4]  # four letters while typing: a prefix
    assert found("fund ") == []  # a finished word is a whole word
    assert found("regional airp") == [2]
    assert found("Euro") == [5]
    assert store.count(Query(search="AI")) == 1
