"""The one decoding of HTML and XML bytes every kind uses, and the tree it gives."""

from __future__ import annotations

import pytest

from scrapers.markup import decode_markup, soup_of
from scrapers.model import ParseError


@pytest.mark.parametrize(
    ("payload", "declared", "text"),
    [
        ("Łódź ώ".encode("utf-16"), None, "Łódź ώ"),
        ("<p>Łódź</p>".encode("utf-16-le"), None, "<p>Łódź</p>"),
        ("<p>Łódź</p>".encode("utf-16-be"), None, "<p>Łódź</p>"),
        ("\ufeff<p>café</p>".encode(), "iso-8859-1", "<p>café</p>"),
        ("<p>naïve – “x”</p>".encode("cp1252"), None, "<p>naïve – “x”</p>"),
        ("<p>naïve</p>".encode("cp1252"), "iso-8859-1", "<p>naïve</p>"),
        ("<p>Ελλάδα</p>".encode("iso-8859-7"), "iso-8859-7", "<p>Ελλάδα</p>"),
        (b'<meta charset="iso-8859-2"><p>\xb1</p>', None, '<meta charset="iso-8859-2"><p>ą</p>'),
        (b"<p>\x81 undefined in cp1252</p>", "no-such-charset", "<p>\ufffd undefined in cp1252</p>"),
    ],
)
def test_decode_markup(payload: bytes, declared: str | None, text: str) -> None:
    assert decode_markup(payload, declared) == text


def test_soup_of_drops_scripts_frames_and_the_like() -> None:
    soup = soup_of(b"<p>kept</p><script>alert(1)</script><iframe src=x></iframe><style>p{}</style>", None)
    assert soup.get_text() == "kept"
    assert soup.find(["script", "iframe", "style"]) is None


def test_soup_of_reads_the_header_charset() -> None:
    assert soup_of("<p>Ελλάδα</p>".encode("iso-8859-7"), "iso-8859-7").get_text() == "Ελλάδα"


@pytest.mark.parametrize("payload", [b"", b"  \r\n\t"])
def test_an_empty_page_is_a_parse_error(payload: bytes) -> None:
    with pytest.raises(ParseError, match="empty"):
        soup_of(payload, None)
