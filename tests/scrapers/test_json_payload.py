"""A search API's answer that is not JSON fails with a reason naming the source; JSON is read
as UTF-8 whatever a header claims, and a value that should be text is text or nothing."""

from __future__ import annotations

import codecs

import pytest

from scrapers.json_payload import decode_json, json_text, load_json
from scrapers.model import ParseError


def test_json_is_read_with_or_without_a_byte_order_mark() -> None:
    assert load_json(b'{"a": "\xc3\xa9"}', None, "the API") == {"a": "é"}
    assert load_json(codecs.BOM_UTF8 + b'{"a": 1}', None, "the API") == {"a": 1}
    assert load_json('{"a": "é"}'.encode("utf-16"), None, "the API") == {"a": "é"}


def test_utf8_wins_over_a_header_that_says_otherwise() -> None:
    assert decode_json("é".encode(), "latin-1") == "é"
    assert decode_json("é".encode("latin-1"), "latin-1") == "é"  # not UTF-8: the header is used
    assert decode_json(b"\xff", "no-such-codec") == "\ufffd"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "GOV.UK search sent an empty answer"),
        (b" \r\n", "GOV.UK search sent an empty answer"),
        (b"<!DOCTYPE html><title>503</title>", "GOV.UK search sent a web page where JSON was expected"),
        (b'{"results": [', "GOV.UK search sent something that is not valid JSON"),
        (b"[" * 100_000, "GOV.UK search sent something that is not valid JSON"),  # too deep
    ],
)
def test_what_is_not_json_fails_with_a_reason_naming_the_source(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as failure:
        load_json(payload, "utf-8", "GOV.UK search")
    assert str(failure.value).startswith(reason)


def test_a_value_that_should_be_text_is_text_or_nothing() -> None:
    assert json_text("AI Act") == "AI Act"
    assert [json_text(value) for value in (None, 3, ["a"], {"b": 1})] == ["", "", "", ""]
