"""Scraped HTML as plain text with its paragraphs, scripts and styles dropped and nothing
executed; titles on one line; only absolute http(s) links kept. (Linear time on hostile shapes:
tests/scrapers/test_linear_parsers.py.)"""

from __future__ import annotations

import pytest

from scrapers.model import ParseError
from scrapers.text import MAX_DEPTH, clean_line, html_to_text, nesting_depth, safe_link


def test_each_block_is_a_paragraph_and_what_runs_or_styles_is_dropped() -> None:
    html = (
        "<p>The call opens on <b>14 January</b>.</p><script>alert(1)</script>"
        "<style>p{color:red}</style><ul><li>Lot 1</li><li>Lot 2</li></ul><!-- a comment -->"
        "<iframe src='https://x.example/'>framed</iframe><p>Deadline:   29   April</p>"
    )
    assert html_to_text(html) == "The call opens on 14 January.\n\nLot 1\n\nLot 2\n\nDeadline: 29 April"


def test_entities_are_text_and_blank_lines_fold_to_one() -> None:
    assert html_to_text("<p>R&amp;D &lt;b&gt;</p><br><br><br><br><p>next</p>") == "R&D <b>\n\nnext"
    assert html_to_text(None) == html_to_text("") == ""


def test_a_fragment_nested_past_the_limit_is_refused_with_the_reason() -> None:
    assert nesting_depth("<div>" * 3 + "x" + "</div>" * 3) == 3
    assert nesting_depth("<p>a<p>b<br><img src=x><li>c") == 0  # flat elements never nest
    with pytest.raises(ParseError, match=f"more than {MAX_DEPTH} deep"):
        html_to_text("<div>" * (MAX_DEPTH + 1) + "x")
    assert html_to_text("<div>" * MAX_DEPTH + "deep but allowed") == "deep but allowed"


def test_a_title_is_one_line() -> None:
    assert clean_line("  AI\tAct:\n  the\u00a0timeline ") == "AI Act: the timeline"
    assert clean_line(None) == ""


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("/news/ai", "https://www.gov.uk/search", "https://www.gov.uk/news/ai"),
        (" https://ec.europa.eu/x ", "", "https://ec.europa.eu/x"),
        ("HTTP://ukri.org/", "", "HTTP://ukri.org/"),
        ("javascript:alert(1)", "https://www.gov.uk/", None),
        ("file:///etc/passwd", "", None),
        ("data:text/html,<b>x</b>", "", None),
        ("mailto:press@ec.europa.eu", "", None),
        ("/relative/without/base", "", None),
        ("http://[::1", "", None),
        ("", "https://www.gov.uk/", None),
    ],
)
def test_only_absolute_web_links_are_kept(href: str, base: str, expected: str | None) -> None:
    assert safe_link(href, base) == expected
