"""The option checks several kinds share: a wrong value is a ScrapeError naming the source and
the key; a right one comes back as the kind uses it."""

from __future__ import annotations

from typing import Any

import pytest

from scrapers.model import ScrapeError, Source
from scrapers.options import (
    http_parts,
    list_option,
    site_root,
    split_query,
    text_list_option,
    user_agent_option,
    web_address_option,
    whole_option,
)


def source(**options: Any) -> Source:
    return Source(id="s1", name="S", kind="govuk_search", url="https://example.org/", options=options)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  ", ""),
        (" https://a.example/{id} ", "https://a.example/{id}"),
        ("http://a.example", "http://a.example"),
    ],
)
def test_web_address_option_keeps_http_addresses(value: Any, expected: str) -> None:
    assert web_address_option("s1", "site_url", value, {"id": "X1"}) == expected


@pytest.mark.parametrize("value", ["file:///etc/passwd", "javascript:alert(1)", "{id}", "https://", 3])
def test_web_address_option_refuses_anything_else(value: Any) -> None:
    with pytest.raises(ScrapeError, match=r"'s1'.*'site_url'"):
        web_address_option("s1", "site_url", value, {"id": "X1"})


def test_user_agent_option() -> None:
    assert user_agent_option(source()) is None
    assert user_agent_option(source(user_agent=" Mozilla/5.0 ")) == "Mozilla/5.0"
    for bad in ["", "two\r\nlines", "x" * 501, 5]:
        with pytest.raises(ScrapeError, match="'user_agent'"):
            user_agent_option(source(user_agent=bad))


def test_whole_option() -> None:
    assert whole_option(source(), "count", 100, 1, 1500) == 100
    assert whole_option(source(count=1500), "count", 100, 1, 1500) == 1500
    for bad in [0, 1501, True, "10", 2.0]:
        with pytest.raises(ScrapeError, match="'count' must be a whole number from 1 to 1500"):
            whole_option(source(count=bad), "count", 100, 1, 1500)


def test_text_list_option() -> None:
    assert text_list_option(source(), "organisations") == ()
    assert text_list_option(source(organisations=" dsit "), "organisations") == ("dsit",)
    assert text_list_option(source(organisations=["a", " ", "b "]), "organisations") == ("a", "b")
    for bad in [3, ["a", 2], {"a": 1}]:
        with pytest.raises(ScrapeError, match="'organisations' must be a text or a list of texts"):
            text_list_option(source(organisations=bad), "organisations")


def test_list_option() -> None:
    assert list_option(source(), "types", ("1", "2")) == ("1", "2")
    assert list_option(source(types=8), "types", ()) == (8,)
    assert list_option(source(types="open"), "types", ()) == ("open",)
    for bad in [True, {"a": 1}, 2.5]:
        with pytest.raises(ScrapeError, match="'types' must be a list"):
            list_option(source(types=bad), "types", ())


@pytest.mark.parametrize(
    ("url", "root"),
    [
        (" HTTPS://www.gov.uk/search?x=1 ", "https://www.gov.uk"),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080"),
        ("ftp://example.org", ""),
        ("/relative", ""),
        ("http://[::1", ""),
        (None, ""),
    ],
)
def test_site_root(url: Any, root: str) -> None:
    assert site_root(url) == root


def test_http_parts_gives_the_parts_of_web_addresses_only() -> None:
    parts = http_parts(" https://ec.europa.eu/commission/presscorner/api/search ")
    assert parts is not None and parts.path == "/commission/presscorner/api/search"
    for bad in ["ftp://example.org", "https://", "http://[::1", None, 3]:
        assert http_parts(bad) is None


def test_split_query_keeps_the_users_keys_and_drops_the_paging_ones() -> None:
    endpoint, fixed = split_query(
        "https://api.example/search?apiKey=K&pageSize=5&text=ai", ("pageSize", "pageNumber")
    )
    assert endpoint == "https://api.example/search"
    assert fixed == {"apiKey": "K", "text": "ai"}
