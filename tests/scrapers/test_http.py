"""Tests of scrapers/http.py: HttpClient against real servers on 127.0.0.1.

pytest-httpserver answers the well-behaved cases; a raw socket server (`RawServer`) plays the
faulty ones a real HTTP server would never produce: hangs, trickles, endless bodies, bombs.
Every limit is set small so that each test takes well under two seconds.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scrapers.http import DeadlineExceeded, HttpClient, HttpStatusError
from scrapers.model import ScrapeError, Validators

KB = 1024


def make_client(**overrides: Any) -> HttpClient:
    """A client with every limit small: no delay, no retry, no robots unless asked."""
    settings: dict[str, Any] = {
        "per_host_delay": 0,
        "retries": 0,
        "backoff_factor": 0,
        "connect_timeout": 1,
        "read_timeout": 1,
        "deadline": 3,
        "respect_robots": False,
        "max_retry_after": 5,
    }
    settings.update(overrides)
    return HttpClient(**settings)


@pytest.fixture
def fast() -> Iterator[Callable[..., HttpClient]]:
    made: list[HttpClient] = []

    def factory(**overrides: Any) -> HttpClient:
        made.append(make_client(**overrides))
        return made[-1]

    yield factory
    for http in made:
        http.close()


class RawServer:
    """A TCP server on 127.0.0.1 whose handler writes whatever bytes a test wants.

    `handler(conn, request_head)` runs in its own thread per connection; `requests` records
    each request head and when it arrived.
    """

    def __init__(self, handler: Callable[[socket.socket, bytes], None]) -> None:
        self.handler = handler
        self.requests: list[tuple[float, bytes]] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connections.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        head = b""
        try:
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            self.requests.append((time.monotonic(), head))
            self.handler(conn, head)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for conn in self._connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._thread.join(timeout=2)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, bytes], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, bytes], None]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def wait_until_stopped(server: RawServer, seconds: float) -> None:
    """Hold a connection open (a hanging server) until the test ends or `seconds` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not server.stopped:
        time.sleep(0.05)


def timed(call: Callable[[], Any]) -> tuple[float, BaseException | None, Any]:
    started = time.monotonic()
    try:
        result = call()
    except BaseException as exc:  # the caller asserts on the kind
        return time.monotonic() - started, exc, None
    return time.monotonic() - started, None, result


def robots(httpserver: HTTPServer, body: str = "User-agent: *\nDisallow:\n") -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(body, content_type="text/plain")


def record(httpserver: HTTPServer, path: str, responses: list[Response]) -> list[float]:
    """Answer `path` with `responses` in turn (the last one repeats); return the arrival times."""
    arrivals: list[float] = []
    queue = list(responses)

    def handler(request: Request) -> Response:
        arrivals.append(time.monotonic())
        return queue.pop(0) if len(queue) > 1 else queue[0]

    httpserver.expect_request(path).respond_with_handler(handler)
    return arrivals


# --- identity, conditional GET -------------------------------------------------------------


def test_user_agent_names_the_app(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    robots(httpserver)
    httpserver.expect_request("/page").respond_with_data("ok")
    fast(respect_robots=True).get(httpserver.url_for("/page"))
    agents = {request.headers.get("User-Agent") for request, _ in httpserver.log}
    assert len(agents) == 1  # robots.txt and the page alike
    assert agents.pop().startswith("PolicyTracker/")


def test_conditional_get_sends_validators_and_304_means_not_modified(
    httpserver: HTTPServer, fast: Callable[..., HttpClient]
) -> None:
    etag, modified = '"v1-abc"', "Wed, 21 Oct 2025 07:28:00 GMT"
    httpserver.expect_request(
        "/feed", headers={"If-None-Match": etag, "If-Modified-Since": modified}
    ).respond_with_response(Response(status=304, headers={"ETag": etag}))
    response = fast().get(httpserver.url_for("/feed"), validators=Validators(etag, modified))
    assert response.not_modified
    assert response.content == b""
    assert response.validators == Validators(etag, None)


def test_first_request_carries_no_validators(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        "<rss/>", headers={"ETag": '"v2"', "Last-Modified": "Thu, 22 Oct 2025 08:00:00 GMT"}
    )
    response = fast().get(httpserver.url_for("/feed"), validators=Validators())
    request = httpserver.log[0][0]
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers
    assert response.validators == Validators('"v2"', "Thu, 22 Oct 2025 08:00:00 GMT")


def test_validators_are_read_whatever_the_header_case(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml; charset=ISO-8859-1\r\n"
            b'etag: "lower"\r\nlast-modified: Thu, 22 Oct 2025 08:00:00 GMT\r\n'
            b"content-length: 2\r\nconnection: close\r\n\r\nok"
        )

    server = raw_server(handler)
    response = fast().get(server.url("/feed"))
    assert response.validators == Validators('"lower"', "Thu, 22 Oct 2025 08:00:00 GMT")
    assert response.content_type == "application/rss+xml"
    assert response.encoding == "iso-8859-1"


# --- retries and Retry-After ----------------------------------------------------------------


def test_503_then_200_is_retried(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    arrivals = record(httpserver, "/flaky", [Response("busy", status=503), Response("fine")])
    response = fast(retries=2).get(httpserver.url_for("/flaky"))
    assert response.content == b"fine"
    assert len(arrivals) == 2


def test_503_that_never_recovers_is_a_status_error(
    httpserver: HTTPServer, fast: Callable[..., HttpClient]
) -> None:
    arrivals = record(httpserver, "/down", [Response("busy", status=503)])
    with pytest.raises(HttpStatusError) as caught:
        fast(retries=2).get(httpserver.url_for("/down"))
    assert caught.value.status == 503
    assert "503" in str(caught.value)
    assert len(arrivals) == 3


def retry_gap(httpserver: HTTPServer, retry_after: str, **client: Any) -> float:
    arrivals = record(
        httpserver,
        "/limited",
        [Response("slow down", status=429, headers={"Retry-After": retry_after}), Response("ok")],
    )
    http = make_client(retries=1, **client)
    try:
        assert http.get(httpserver.url_for("/limited")).content == b"ok"
    finally:
        http.close()
    first, second = arrivals
    return second - first


def test_retry_after_in_seconds_is_honoured(httpserver: HTTPServer) -> None:
    gap = retry_gap(httpserver, "1", max_retry_after=5)
    assert 0.9 <= gap < 2.5


def test_absurd_retry_after_is_capped(httpserver: HTTPServer) -> None:
    gap = retry_gap(httpserver, "86400", max_retry_after=0.3)
    assert 0.25 <= gap < 1.5


def test_retry_after_as_http_date_is_honoured_and_capped(httpserver: HTTPServer) -> None:
    an_hour_ahead = formatdate(time.time() + 3600, usegmt=True)
    gap = retry_gap(httpserver, an_hour_ahead, max_retry_after=0.3)
    assert 0.25 <= gap < 1.5


def test_retry_after_as_a_past_http_date_retries_at_once(httpserver: HTTPServer) -> None:
    gap = retry_gap(httpserver, "Wed, 21 Oct 2015 07:28:00 GMT", max_retry_after=3)
    assert gap < 1.0


def test_unreadable_retry_after_still_retries(httpserver: HTTPServer) -> None:
    gap = retry_gap(httpserver, "soon, please", max_retry_after=3)
    assert gap < 1.0


def test_after_giving_up_on_429_the_next_request_to_that_host_waits(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/limited").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "30"})
    )
    arrivals = record(httpserver, "/other", [Response("ok")])
    http = make_client(retries=0, max_retry_after=0.5)
    try:
        with pytest.raises(HttpStatusError):
            http.get(httpserver.url_for("/limited"))
        refused_at = time.monotonic()
        http.get(httpserver.url_for("/other"))
    finally:
        http.close()
    (arrived,) = arrivals
    assert 0.4 <= arrived - refused_at < 2.0


def test_post_is_not_retried_on_503(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    arrivals = record(httpserver, "/search", [Response("busy", status=503), Response("ok")])
    with pytest.raises(HttpStatusError) as caught:
        fast(retries=3).post(httpserver.url_for("/search"), data=b"query")
    assert caught.value.status == 503
    assert len(arrivals) == 1


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_disallow_is_refused_before_any_request(
    httpserver: HTTPServer, fast: Callable[..., HttpClient]
) -> None:
    robots(httpserver, "User-agent: *\nDisallow: /private/\nAllow: /private/open$\n")
    httpserver.expect_request("/public").respond_with_data("ok")
    httpserver.expect_request("/private/open").respond_with_data("ok")
    http = fast(respect_robots=True)
    with pytest.raises(ScrapeError, match=r"robots\.txt"):
        http.get(httpserver.url_for("/private/page"))
    assert http.get(httpserver.url_for("/public")).content == b"ok"
    paths = [request.path for request, _ in httpserver.log]
    assert paths == ["/robots.txt", "/public"]  # read once, and nothing disallowed was asked for


def test_robots_rules_for_our_agent_apply(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    robots(httpserver, "User-agent: PolicyTracker\nDisallow: /\n\nUser-agent: *\nDisallow:\n")
    with pytest.raises(ScrapeError, match=r"robots\.txt"):
        fast(respect_robots=True).get(httpserver.url_for("/anything"))


def test_missing_robots_allows_everything(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/page").respond_with_data("ok")
    assert fast(respect_robots=True).get(httpserver.url_for("/page")).content == b"ok"


def test_failing_robots_refuses_the_host(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=500)
    httpserver.expect_request("/page").respond_with_data("ok")
    http = fast(respect_robots=True)
    for _ in range(2):  # the verdict is kept: robots.txt is asked for once
        with pytest.raises(ScrapeError, match=r"robots\.txt .*could not be read"):
            http.get(httpserver.url_for("/page"))
    assert [request.path for request, _ in httpserver.log] == ["/robots.txt"]


def test_hanging_robots_times_out(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    server: RawServer = raw_server(lambda conn, head: wait_until_stopped(server, 10))
    elapsed, error, _ = timed(lambda: fast(respect_robots=True, read_timeout=0.5).get(server.url("/page")))
    assert isinstance(error, ScrapeError)
    assert "robots.txt" in str(error)
    assert elapsed < 2.0
    assert all(b"GET /robots.txt" in head for _, head in server.requests)


# --- size caps -------------------------------------------------------------------------------


def test_declared_length_over_the_cap_is_refused_before_reading(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n" + b"x" * KB)
        wait_until_stopped(server, 10)

    server = raw_server(handler)
    elapsed, error, _ = timed(lambda: fast(max_bytes=64 * KB).get(server.url("/big")))
    assert isinstance(error, ScrapeError)
    assert "larger than" in str(error)
    assert elapsed < 1.0


def test_endless_chunked_body_stops_at_the_cap(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    sent = [0]

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * (16 * KB)
        while not server.stopped:
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent[0] += len(chunk)

    server = raw_server(handler)
    elapsed, error, _ = timed(lambda: fast(max_bytes=256 * KB).get(server.url("/endless")))
    assert isinstance(error, ScrapeError)
    assert "larger than" in str(error)
    assert elapsed < 2.0


def test_gzip_bomb_stops_at_the_cap_with_little_memory(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    block = b"\0" * (1024 * KB)
    bomb = b"".join(compressor.compress(block) for _ in range(200)) + compressor.flush()
    assert len(bomb) < 400 * KB  # 200 MB once inflated

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb
        )

    server = raw_server(handler)
    http = fast(max_bytes=1024 * KB)
    tracemalloc.start()
    try:
        elapsed, error, _ = timed(lambda: http.get(server.url("/bomb")))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, ScrapeError)
    assert "larger than" in str(error)
    assert elapsed < 4.0  # tracemalloc slows it; without, well under a second
    assert peak < 16 * 1024 * KB  # far below the 200 MB the bomb would inflate to


def test_stacked_encodings_are_capped_on_decoded_size(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    body = gzip.compress(gzip.compress(b"A" * (8 * 1024 * KB)))

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip, gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
            + body
        )

    server = raw_server(handler)
    with pytest.raises(ScrapeError, match="larger than"):
        fast(max_bytes=1024 * KB).get(server.url("/stacked"))


def test_gzip_body_under_the_cap_is_decoded(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    body = gzip.compress("Ψηφιακή Ευρώπη".encode())

    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        )

    server = raw_server(handler)
    assert fast().get(server.url("/small")).content.decode() == "Ψηφιακή Ευρώπη"


# --- hangs -----------------------------------------------------------------------------------


def test_server_that_accepts_and_never_answers_times_out(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    server: RawServer = raw_server(lambda conn, head: wait_until_stopped(server, 10))
    http = fast(read_timeout=0.4, retries=2, deadline=3)
    elapsed, error, _ = timed(lambda: http.get(server.url("/hang")))
    assert isinstance(error, ScrapeError)
    assert elapsed < 3.0  # within the deadline, retries included
    assert len(server.requests) == 3


def test_headers_then_silence_times_out(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
        wait_until_stopped(server, 10)

    server = raw_server(handler)
    elapsed, error, _ = timed(lambda: fast(read_timeout=0.4).get(server.url("/silent")))
    assert isinstance(error, ScrapeError)
    assert "stopped answering" in str(error)
    assert elapsed < 1.5


def test_connection_cut_mid_body_is_a_scrape_error(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly part of it")

    server = raw_server(handler)
    with pytest.raises(ScrapeError):
        fast().get(server.url("/cut"))


def test_trickling_server_is_stopped_at_the_deadline(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not server.stopped:
            conn.sendall(b"x")
            time.sleep(0.2)

    server = raw_server(handler)
    http = fast(read_timeout=0.5, deadline=1.0)
    elapsed, error, _ = timed(lambda: http.get(server.url("/trickle")))
    assert isinstance(error, ScrapeError)
    assert "longer than 1 s" in str(error)
    assert 0.9 <= elapsed < 2.0


# --- redirects and schemes -------------------------------------------------------------------


def test_redirect_loop_is_stopped(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    httpserver.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(ScrapeError, match="loop"):
        fast(max_redirects=4).get(httpserver.url_for("/a"))
    assert len(httpserver.log) <= 6


def test_redirect_is_followed(httpserver: HTTPServer, fast: Callable[..., HttpClient]) -> None:
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": "/new"})
    )
    httpserver.expect_request("/new").respond_with_data("moved")
    response = fast().get(httpserver.url_for("/old"))
    assert response.content == b"moved"
    assert response.url.endswith("/new")


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/file", "javascript:alert(1)", "gopher://x/"]
)
def test_redirect_to_another_scheme_is_refused(
    httpserver: HTTPServer, fast: Callable[..., HttpClient], target: str
) -> None:
    httpserver.expect_request("/jump").respond_with_response(
        Response(status=302, headers={"Location": target})
    )
    with pytest.raises(ScrapeError, match=r"not http or https|non-web address"):
        fast().get(httpserver.url_for("/jump"))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "data:text/plain,hi", "http:///x", ""],
)
def test_non_web_addresses_are_refused_without_a_request(url: str) -> None:
    with pytest.raises(ScrapeError, match="only http and https"):
        make_client().get(url)


# --- politeness ------------------------------------------------------------------------------


class _SlowHandler(BaseHTTPRequestHandler):
    """Takes 0.15 s per request and notes when each one started and ended."""

    spans: ClassVar[list[tuple[float, float]]] = []
    lock = threading.Lock()

    def do_GET(self) -> None:
        started = time.monotonic()
        time.sleep(0.15)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.lock:
            self.spans.append((started, time.monotonic()))

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


def test_one_request_at_a_time_per_host_with_a_delay_between() -> None:
    _SlowHandler.spans = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)  # could serve in parallel
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    http = make_client(per_host_delay=0.1)
    url = f"http://127.0.0.1:{server.server_address[1]}/page"
    try:
        workers = [threading.Thread(target=lambda: [http.get(url) for _ in range(2)]) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        http.close()
    spans = sorted(_SlowHandler.spans)
    assert len(spans) == 4
    for (_, ended), (started, _) in itertools.pairwise(spans):
        assert started >= ended  # never two at once
        assert started - ended >= 0.08  # and the per-host delay between them


# --- one deadline per request, retries included; the caller's stop -------------------------


def test_retries_of_a_silent_host_share_one_deadline(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    """The read timeout is long and there are retries: the deadline still ends it all."""
    server: RawServer = raw_server(lambda conn, head: wait_until_stopped(server, 10))
    http = fast(read_timeout=30, retries=3, backoff_factor=0.1, deadline=1.0)
    elapsed, error, _ = timed(lambda: http.get(server.url("/hang")))
    assert isinstance(error, DeadlineExceeded)
    assert "did not answer within 1 s (retries included)" in str(error)
    assert 0.9 <= elapsed < 1.6


def test_stop_at_ends_a_request_in_flight_and_refuses_new_ones(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    server: RawServer = raw_server(lambda conn, head: wait_until_stopped(server, 10))
    http = fast(read_timeout=30, retries=3, deadline=60)
    http.stop_at(time.monotonic() + 0.5, "the refresh ran out of time")
    elapsed, error, _ = timed(lambda: http.get(server.url("/hang")))
    assert isinstance(error, DeadlineExceeded) and str(error) == "the refresh ran out of time"
    assert elapsed < 1.0
    elapsed, error, _ = timed(lambda: http.get(server.url("/next")))
    assert isinstance(error, DeadlineExceeded) and elapsed < 0.1
    assert len(server.requests) == 1  # the second request never left
    http.stop_at(None)
    with pytest.raises(ScrapeError):  # lifted: requests go out again (and time out as usual)
        fast(read_timeout=0.2).get(server.url("/again"))


def test_no_time_left_for_a_retry_reports_the_status(
    httpserver: HTTPServer, fast: Callable[..., HttpClient]
) -> None:
    """A 503 whose next retry would pass the deadline is reported as the 503 it is, at once."""
    arrivals = record(httpserver, "/busy", [Response("busy", status=503, headers={"Retry-After": "5"})])
    http = fast(retries=3, deadline=2, max_retry_after=5)
    elapsed, error, _ = timed(lambda: http.get(httpserver.url_for("/busy")))
    assert isinstance(error, HttpStatusError) and error.status == 503
    assert "answered 503" in str(error)
    assert len(arrivals) == 1 and elapsed < 0.5


def test_connection_failures_are_said_in_plain_words(
    raw_server: Callable[..., RawServer], fast: Callable[..., HttpClient]
) -> None:
    def reset(conn: socket.socket, head: bytes) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    server = raw_server(reset)
    with pytest.raises(ScrapeError, match=r"cut the connection \(connection reset\)$"):
        fast(retries=1).get(server.url("/reset"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ScrapeError, match="connection refused") as refused:
        fast(retries=1).get(f"http://127.0.0.1:{port}/")
    assert "Errno" not in str(refused.value) and "HTTPConnectionPool" not in str(refused.value)
