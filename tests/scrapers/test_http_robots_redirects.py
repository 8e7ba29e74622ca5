"""robots.txt a server mislabels, and redirects to another host: real servers on 127.0.0.1.

A robots.txt served as `charset=base64` (or any charset Python cannot decode text with) is
still plain UTF-8 rules, read once per host; a redirect to another host is a request to that
host, so it obeys that host's robots.txt and waits for that host's delay (docs/TRUST.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scrapers.http import HttpClient
from scrapers.model import ScrapeError


@pytest.fixture
def other_host() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def client(**overrides: float | bool) -> HttpClient:
    settings: dict[str, float | bool] = {"per_host_delay": 0, "retries": 0, "deadline": 5}
    settings.update(overrides)
    return HttpClient(**settings)  # type: ignore[arg-type]


@pytest.mark.parametrize("charset", ["base64", "x-no-such-charset", "rot13"])
def test_robots_with_a_charset_that_is_not_text_is_read_as_utf8_once(
    httpserver: HTTPServer, charset: str
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type=f"text/plain; charset={charset}"
    )
    httpserver.expect_request("/page").respond_with_data("ok")
    http = client()
    for _ in range(3):
        assert http.get(httpserver.url_for("/page")).content == b"ok"
    with pytest.raises(ScrapeError, match=r"robots\.txt does not allow"):
        http.get(httpserver.url_for("/private/x"))
    paths = [request.path for request, _ in httpserver.log]
    assert paths == ["/robots.txt", "/page", "/page", "/page"]  # asked for once, rules obeyed


def test_a_page_with_a_charset_that_is_not_text_is_read_as_utf8(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "caf\u00e9".encode(), content_type="text/plain; charset=base64"
    )
    assert client(respect_robots=False).get(httpserver.url_for("/page")).text() == "caf\u00e9"


def test_a_redirect_to_another_host_obeys_that_hosts_robots(
    httpserver: HTTPServer, other_host: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    httpserver.expect_request("/feed").respond_with_response(
        Response(status=302, headers={"Location": other_host.url_for("/banned/feed")})
    )
    other_host.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /banned/\n")
    other_host.expect_request("/banned/feed").respond_with_data("should never be asked for")
    with pytest.raises(ScrapeError, match=r"robots\.txt does not allow fetching .*/banned/feed"):
        client().get(httpserver.url_for("/feed"))
    assert [request.path for request, _ in other_host.log] == ["/robots.txt"]


def test_a_redirect_to_another_host_waits_for_that_hosts_delay(
    httpserver: HTTPServer, other_host: HTTPServer
) -> None:
    times: list[float] = []

    def answer(request: Request) -> Response:
        times.append(time.monotonic())
        return Response("other")

    httpserver.expect_request("/jump").respond_with_response(
        Response(status=301, headers={"Location": other_host.url_for("/page")})
    )
    other_host.expect_request("/page").respond_with_handler(answer)
    http = client(per_host_delay=0.6, respect_robots=False)
    assert http.get(other_host.url_for("/page")).content == b"other"
    response = http.get(httpserver.url_for("/jump"))  # its hop to the other host must wait its turn
    assert response.content == b"other" and response.url == other_host.url_for("/page")
    assert len(times) == 2 and times[1] - times[0] >= 0.55
