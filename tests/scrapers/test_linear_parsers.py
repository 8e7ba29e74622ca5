"""Parsers are linear in their input: hostile shapes at ten times the sizes that froze the app.

A bare `&` followed by 400,000 unclosed `<!--` (the reference repair once rescanned the rest
of the feed from each one), and a description of 1,000,000 nested `<div>`s (turning HTML into
text once walked the ancestors of every tag) are each answered at once: read, or refused with
a reason. Each test is a correctness test at a size where a quadratic algorithm would take
hours; none asserts on time (docs/TRUST.md).
"""

from __future__ import annotations

import pytest

from scrapers.kinds import feed
from scrapers.model import ParseError, Source
from scrapers.text import MAX_DEPTH, html_to_text, nesting_depth

SOURCE = Source(id="hostile", name="Hostile", kind="feed", url="http://127.0.0.1/feed.xml")
GOOD_ITEM = "<item><title>Good item</title><link>http://127.0.0.1/good</link></item>"


def rss(body: str) -> bytes:
    return f'<rss version="2.0"><channel><title>t</title>{GOOD_ITEM}{body}</channel></rss>'.encode()


def test_a_bare_ampersand_before_400k_unclosed_comments_is_repaired_in_one_pass() -> None:
    document = "<title>R&D</title>" + "<!--" * 400_000
    repaired = feed._repair_references(document)
    assert repaired == "<title>R&amp;D</title>" + "<!--" * 400_000  # the unclosed comment is left as is


def test_the_feed_with_400k_unclosed_comments_keeps_its_closed_items() -> None:
    payload = rss("<item><title>R&D</title>" + "<!--" * 400_000)
    announcements = feed.parse(payload, SOURCE, base_url=SOURCE.url)
    assert [a.title for a in announcements] == ["Good item"]


def test_references_around_closed_comments_and_cdata_are_still_repaired() -> None:
    document = "a&b <!-- c&d --> e&nbsp; <![CDATA[ f&g ]]> h&eacute; <!-- open &"
    assert feed._repair_references(document) == (
        "a&amp;b <!-- c&d --> e&#160; <![CDATA[ f&g ]]> h&#233; <!-- open &"
    )


def test_a_million_nested_divs_are_refused_with_a_reason() -> None:
    deep = "<div>" * 1_000_000 + "text" + "</div>" * 1_000_000
    with pytest.raises(ParseError, match=f"nests its elements more than {MAX_DEPTH} deep: refused"):
        html_to_text(deep)


def test_a_feed_whose_description_nests_a_million_divs_fails_with_that_reason() -> None:
    deep = "<div>" * 1_000_000 + "text" + "</div>" * 1_000_000
    item = f"<item><title>Deep</title><link>http://127.0.0.1/deep</link><description><![CDATA[{deep}]]></description></item>"
    with pytest.raises(ParseError, match="nests its elements more than"):
        feed.parse(rss(item), SOURCE, base_url=SOURCE.url)


def test_nesting_up_to_the_limit_is_read_with_its_text() -> None:
    inner = MAX_DEPTH - 1  # the <b> inside is the last level allowed
    html = "<div>" * inner + "deep <b>text</b>" + "</div>" * inner + "<p>after</p>"
    assert html_to_text(html) == "deep text\n\nafter"


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<p>one<p>two<p>three", 0),  # the parser closes an unclosed <p>: no nesting
        ("<ul>" + "<li>item" * 1000 + "</ul>", 1),
        ("<div><span>a</span><span>b</span></div>", 2),
        ("<div><section><b>x</div><div>y</div>", 3),  # </div> closes what it contains
        ("</div></div><div>x", 1),  # end tags without a start tag are ignored
        ("<br/><img src=x><hr>", 0),
    ],
)
def test_nesting_depth_reads_tags_as_the_parser_does(html: str, depth: int) -> None:
    assert nesting_depth(html) == depth


def test_many_unclosed_tags_at_one_level_stay_linear() -> None:
    """Half a million `<` without a `>`: a tag pattern that scanned to the end from each one
    would be quadratic; text keeps them as text."""
    html = "<b" * 500_000
    assert nesting_depth(html) == 0


def test_text_of_blocks_scripts_and_comments_is_unchanged() -> None:
    html = "<h2>Title</h2><p>One <i>two</i></p><script>alert(1)</script><!-- hidden --><div>Three</div>tail"
    assert html_to_text(html) == "Title\n\nOne two\n\nThree\ntail"
