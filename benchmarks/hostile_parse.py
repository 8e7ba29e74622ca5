"""Hostile payloads that once took minutes, parsed now: each shape at the size that froze the
app and at ten times it, with the time each takes and what came out (docs/TRUST.md).

    .venv/bin/python benchmarks/hostile_parse.py

Prints one line per payload. A linear parser shows about ten times the small figure for the
large one (or less, when the payload is refused early); a quadratic one would show a hundred.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from scrapers.kinds import feed
from scrapers.model import ParseError, Source
from scrapers.text import html_to_text

SOURCE = Source(id="hostile", name="Hostile", kind="feed", url="http://127.0.0.1/feed.xml")
ITEM = "<item><title>Good item</title><link>http://127.0.0.1/good</link></item>"


def comments_after_ampersand(repeats: int) -> bytes:
    body = f"{ITEM}<item><title>R&D</title>" + "<!--" * repeats
    return f'<rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def nested_divs_in_description(depth: int) -> bytes:
    deep = "<div>" * depth + "text" + "</div>" * depth
    item = f"<item><title>Deep</title><link>http://127.0.0.1/deep</link><description><![CDATA[{deep}]]></description></item>"
    return f'<rss version="2.0"><channel><title>t</title>{ITEM}{item}</channel></rss>'.encode()


def outcome(parse: Callable[[], object]) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        result = parse()
    except ParseError as exc:
        said = f"refused: {exc}"
    else:
        said = f"read: {len(result)} items" if isinstance(result, list) else f"read: {result!r}"
    return time.perf_counter() - started, said


def main() -> None:
    for repeats in (40_000, 400_000):
        payload = comments_after_ampersand(repeats)
        seconds, said = outcome(lambda p=payload: feed.parse(p, SOURCE, base_url=SOURCE.url))  # type: ignore[misc]
        print(
            f"feed, bare & then {repeats:>9,} x '<!--' ({len(payload) / 1e6:5.1f} MB): "
            f"{seconds:6.3f} s, {said}"
        )
    for depth in (100_000, 1_000_000):
        payload = nested_divs_in_description(depth)
        seconds, said = outcome(lambda p=payload: feed.parse(p, SOURCE, base_url=SOURCE.url))  # type: ignore[misc]
        print(
            f"feed, description of {depth:>9,} nested <div> ({len(payload) / 1e6:5.1f} MB): "
            f"{seconds:6.3f} s, {said}"
        )
    for depth in (50, 499):
        html = "<div>" * depth + "text" + "</div>" * depth
        seconds, said = outcome(lambda h=html: html_to_text(h))  # type: ignore[misc]
        print(f"html_to_text, {depth:>9,} nested <div> (below the limit): {seconds:6.3f} s, {said}")


if __name__ == "__main__":
    main()
