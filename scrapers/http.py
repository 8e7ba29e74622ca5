"""The one polite HTTP client every source uses: timeouts, retries, robots.txt, caps, delays.

Every request has one overall deadline that covers its connection, its retries, the pauses
between them and the reading of the body, so a host that accepts and never answers costs one
deadline, not one read timeout per retry. A caller can also set a moment after which no request
starts and those in flight give up (`stop_at`: a refresh's time budget, or its cancellation).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.client import RemoteDisconnected
from importlib import metadata
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ResponseError,
)
from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeout
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from scrapers.model import NetworkError, ParseError, ScrapeError, Validators

ALLOWED_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)


def app_version() -> str:
    try:
        return metadata.version("policy-tracker")
    except metadata.PackageNotFoundError:
        return "0+source"


def default_user_agent() -> str:
    return f"PolicyTracker/{app_version()} (desktop policy tracker; polite, honours robots.txt)"


class DeadlineExceeded(ScrapeError):
    """A request ran out of time: its own deadline, or the caller's `stop_at` moment."""


class _Stop:
    """A caller's moment to stop (`HttpClient.stop_at`) and what to say then."""

    def __init__(self, until: float, reason: str) -> None:
        self.until = until
        self.reason = reason

    def remaining(self) -> float:
        return self.until - time.monotonic()


class _Limit:
    """When one request must be over: its own deadline, or the client's stop if that comes
    first (read each time, so a Cancel pressed while the request runs counts at once)."""

    def __init__(self, client: HttpClient, until: float, reason: str) -> None:
        self.client = client
        self.own_until = until
        self.own_reason = reason

    def _stop(self) -> _Stop | None:
        stop = self.client._stop
        return stop if stop is not None and stop.until <= self.own_until else None

    @property
    def until(self) -> float:
        stop = self._stop()
        return stop.until if stop is not None else self.own_until

    @property
    def reason(self) -> str:
        stop = self._stop()
        return stop.reason if stop is not None else self.own_reason

    def remaining(self) -> float:
        return self.until - time.monotonic()


# urllib3 runs its retries (and their pauses) inside one call in the calling thread; the retry
# policy object is shared by every thread, so each thread's current limit is kept here.
_current = threading.local()


def _limit() -> _Limit | None:
    return getattr(_current, "limit", None)


class _DeadlineTimeout(Timeout):
    """Connect and read timeouts that never reach past the request's deadline.

    urllib3 clones the timeout for every attempt; the clone keeps the same deadline, so a
    retry gets only the time that is left.
    """

    def __init__(self, connect: float, read: float, limit: _Limit) -> None:
        super().__init__(connect=connect, read=read)
        self.limit = limit

    def clone(self) -> _DeadlineTimeout:
        return _DeadlineTimeout(self._connect, self._read, self.limit)  # type: ignore[arg-type]

    def _left(self, value: float) -> float:
        # A timeout must be positive: at the deadline, fail the next socket call at once.
        return max(0.001, min(value, self.limit.remaining()))

    @property
    def connect_timeout(self) -> float:
        return self._left(float(self._connect))  # type: ignore[arg-type]

    @property
    def read_timeout(self) -> float:
        return self._left(float(self._read))  # type: ignore[arg-type]


class _TrackedHTTPConnection(HTTPConnection):
    """Registers its socket with the client whose request opened it, so that `stop_at(now)`
    can end a read that is blocked waiting for a silent server."""

    def connect(self) -> None:
        super().connect()
        limit = _limit()
        if limit is not None and self.sock is not None:
            limit.client._sockets.add(self.sock)


class _TrackedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        limit = _limit()
        if limit is not None and self.sock is not None:
            limit.client._sockets.add(self.sock)


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class _CappedRetry(Retry):
    """urllib3's Retry, but a Retry-After of a day must not freeze a refresh for a day, and no
    retry or pause reaches past the request's deadline."""

    max_retry_after: float = 60.0

    def parse_retry_after(self, retry_after: str) -> float:
        try:
            seconds = super().parse_retry_after(retry_after)
        except InvalidHeader:  # "soon": no usable pause, so the usual backoff applies
            return 0.0
        return min(seconds, self.max_retry_after)

    def new(self, **kw: Any) -> _CappedRetry:
        new = super().new(**kw)
        new.max_retry_after = self.max_retry_after
        return new

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kw: Any) -> Any:
        new = super().increment(method, url, *args, **kw)
        limit = _limit()
        if limit is None:
            return new
        response = kw["response"] if "response" in kw else (args[0] if args else None)
        error = kw["error"] if "error" in kw else (args[1] if len(args) > 1 else None)
        pause = (new.get_retry_after(response) if response is not None else None) or new.get_backoff_time()
        if limit.remaining() - pause > 0:
            return new
        if response is None and limit.remaining() <= 0:  # the time itself ran out (or Cancel)
            raise DeadlineExceeded(limit.reason)
        # No time left for another try: report what the last one gave.
        if response is not None:  # urllib3 then hands back this answer (a 503, say)
            raise MaxRetryError(kw.get("_pool"), url or "", ResponseError("no time left to retry"))  # type: ignore[arg-type]
        # (urllib3's NewConnectionError, a refused connection, is a TimeoutError by descent.)
        timed_out = isinstance(error, TimeoutError | Urllib3TimeoutError) and not isinstance(
            error, NewConnectionError
        )
        if error is None or timed_out:
            raise DeadlineExceeded(limit.reason)
        raise MaxRetryError(kw.get("_pool"), url or "", error)  # type: ignore[arg-type]

    def sleep(self, response: Any = None) -> None:
        limit = _limit()
        if limit is None:
            super().sleep(response)
            return
        pause = 0.0
        if self.respect_retry_after_header and response is not None:
            pause = self.get_retry_after(response) or 0.0
        if not pause:
            pause = self.get_backoff_time()
        pause = min(pause, limit.remaining())
        if pause > 0:
            time.sleep(pause)


class HttpStatusError(ScrapeError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        # The pause the server asked for (Retry-After, capped) before the next request to it.
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    """A fully read, size-capped response; `content` is empty for a 304."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    encoding: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("ETag"), self.headers.get("Last-Modified"))

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text; a charset Python cannot decode text with ("base64", "x-nonsense")
        is the server's mistake, so the body is read as UTF-8 instead."""
        try:
            return self.content.decode(self.encoding or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    @property
    def redirect_to(self) -> str | None:
        """The absolute address a 3xx answer points to, or None when it is not a redirect."""
        location = self.headers.get("Location")
        if self.status not in _REDIRECTS or not location:
            return None
        return urljoin(self.url, location.strip())

    def json(self) -> Any:
        if not self.content.strip():
            raise ParseError(f"the server sent an empty answer where JSON was expected ({self.url})")
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise ParseError(f"the answer is not valid JSON ({exc.__class__.__name__}: {exc})") from exc


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0
    robots: RobotFileParser | None = None
    robots_error: ScrapeError | None = None  # why robots.txt could not be read, as raised


class HttpClient:
    """Thread-safe: one request at a time per host, with a delay between them.

    Every limit is a constructor argument so that tests (and the Settings dialog) can tighten it.
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        deadline: float = 90.0,
        max_bytes: int = 20 * 1024 * 1024,
        per_host_delay: float = 1.0,
        retries: int = 3,
        backoff_factor: float = 1.0,
        max_retry_after: float = 60.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
    ) -> None:
        # What it was built with: a refresh builds the same client in its fetch process.
        self.settings: dict[str, Any] = {
            "user_agent": user_agent,
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
            "deadline": deadline,
            "max_bytes": max_bytes,
            "per_host_delay": per_host_delay,
            "retries": retries,
            "backoff_factor": backoff_factor,
            "max_retry_after": max_retry_after,
            "max_redirects": max_redirects,
            "respect_robots": respect_robots,
        }
        self.user_agent = user_agent or default_user_agent()
        self.timeout = (connect_timeout, read_timeout)
        # The longest one request may take: connecting, retries and their pauses, the body.
        self.deadline = deadline
        self._stop: _Stop | None = None
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self.max_bytes = max_bytes
        self.per_host_delay = per_host_delay
        self.respect_robots = respect_robots
        retry = _CappedRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            redirect=max_redirects,
            status_forcelist=(429, 500, 502, 503, 504),
            backoff_factor=backoff_factor,
            backoff_max=30,
            backoff_jitter=0.3,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=True,
        )
        retry.max_retry_after = max_retry_after
        self._retry = retry
        self._session = requests.Session()
        self.max_redirects = max_redirects
        self._session.headers["User-Agent"] = self.user_agent
        self._session.headers["Accept-Encoding"] = "gzip, deflate"
        adapter = _Adapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._session.close()

    def stop_at(self, moment: float | None, reason: str = "the refresh ran out of time") -> None:
        """From `moment` (time.monotonic()) on, no request starts and those in flight give up
        with `reason`; None lifts it. A refresh's time budget and its Cancel both use this."""
        self._stop = None if moment is None else _Stop(moment, reason)
        if moment is not None and moment <= time.monotonic():
            for sock in list(self._sockets):  # wake reads blocked on silent servers
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _limit_for(self, url: str) -> _Limit:
        return _Limit(
            self,
            time.monotonic() + self.deadline,
            f"{_host_of(url)} did not answer within {self.deadline:g} s (retries included)",
        )

    def _check_stop(self) -> None:
        stop = self._stop
        if stop is not None and stop.remaining() <= 0:
            raise DeadlineExceeded(stop.reason)

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        validators: Validators | None = None,
    ) -> Response:
        """GET `url`; a 304 comes back as a Response with `not_modified` set."""
        extra = dict(headers or {})
        if validators and validators.etag:
            extra["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            extra["If-Modified-Since"] = validators.last_modified
        return self._request("GET", url, params=params, headers=extra)

    def post(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self._request("POST", url, params=params, files=files, data=data, headers=headers)

    def _host(self, url: str) -> _HostState:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            return self._hosts.setdefault(key, _HostState())

    def _request(self, method: str, url: str, **kwargs: Any) -> Response:
        """Send, following redirects one hop at a time: every hop is a request to its own host,
        so it passes that host's robots.txt and waits for that host's turn and delay."""
        first = url
        for _hop in range(self.max_redirects + 1):
            response = self._request_once(method, url, **kwargs)
            target = response.redirect_to
            if target is None:
                return response
            if urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
                raise ScrapeError(f"{url} redirected to a non-web address ({urlsplit(target).scheme}:)")
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method = "GET"  # as browsers do: the form is not sent again to the new address
                kwargs = {k: v for k, v in kwargs.items() if k not in ("data", "files")}
            url = target
        raise ScrapeError(f"{first} redirects in a loop (more than {self.max_redirects} redirects)")

    def _request_once(self, method: str, url: str, **kwargs: Any) -> Response:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.netloc:
            raise ScrapeError(f"refused to fetch {url!r}: only http and https addresses are allowed")
        self._check_stop()
        host = self._host(url)
        with host.lock:
            if self.respect_robots:
                self._check_robots(url, host)
            self._wait_turn(host)
            self._check_stop()
            pause = self.per_host_delay
            try:
                return self._send(method, url, **kwargs)
            except HttpStatusError as exc:
                if exc.retry_after:  # still 429/503 after the retries: leave the host alone a while
                    pause = max(pause, exc.retry_after)
                raise
            finally:
                host.next_allowed = time.monotonic() + pause

    def _wait_turn(self, host: _HostState) -> None:
        pause = host.next_allowed - time.monotonic()
        stop = self._stop
        if stop is not None:
            pause = min(pause, stop.remaining())
        if pause > 0:
            time.sleep(pause)

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        limit = self._limit_for(url)
        saved, _current.limit = _limit(), limit
        try:
            return self._send_within(method, url, limit, **kwargs)
        finally:
            _current.limit = saved

    def _send_within(self, method: str, url: str, limit: _Limit, **kwargs: Any) -> Response:
        timeout = _DeadlineTimeout(self.timeout[0], self.timeout[1], limit)
        try:
            with self._session.request(
                method,
                url,
                timeout=timeout,  # type: ignore[arg-type]  # a urllib3 Timeout is passed through
                stream=True,
                allow_redirects=False,  # HttpClient._request follows them, host by host
                **kwargs,
            ) as raw:
                if raw.status_code >= 400:
                    raise HttpStatusError(_status_reason(raw), raw.status_code, self._retry_after(raw))
                skip_body = raw.status_code == 304 or (raw.is_redirect and raw.status_code in _REDIRECTS)
                content = b"" if skip_body else self._read_capped(raw, limit)
                return Response(
                    url=raw.url,
                    status=raw.status_code,
                    headers=CaseInsensitiveDict(raw.headers),  # `etag` and `ETag` alike
                    content=content,
                    encoding=_declared_charset(raw.headers.get("Content-Type", "")),
                )
        except ScrapeError:
            raise
        except Exception as exc:
            if limit.remaining() <= 0:  # whatever broke, it broke because the time was up
                raise DeadlineExceeded(limit.reason) from exc
            raise _plain_error(url, exc, self.timeout[1]) from exc

    def _retry_after(self, raw: requests.Response) -> float | None:
        value = raw.headers.get("Retry-After")
        if raw.status_code not in (429, 503) or not value:
            return None
        return self._retry.parse_retry_after(value)

    def _read_capped(self, raw: requests.Response, limit: _Limit) -> bytes:
        """Read the body as it arrives, stopping at the size cap and the overall deadline.

        `read1` returns what one socket read gives, so a server trickling a byte a second still
        meets the deadline check; decoded bytes are counted, so a gzip bomb stops at the cap.
        """
        declared = raw.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise ScrapeError(_too_large(raw.url, self.max_bytes))
        chunks: list[bytes] = []
        size = 0
        stream = raw.raw
        while True:
            if limit.remaining() <= 0:
                if limit.reason != limit.own_reason:
                    raise DeadlineExceeded(limit.reason)
                raise DeadlineExceeded(
                    f"{_host_of(raw.url)} took longer than {self.deadline:g} s to send its answer"
                )
            chunk = stream.read1(64 * 1024, decode_content=True)
            if not chunk:
                if limit.remaining() <= 0:  # the socket was shut by a Cancel: the body is cut
                    raise DeadlineExceeded(limit.reason)
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise ScrapeError(_too_large(raw.url, self.max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_robots(self, url: str, host: _HostState) -> None:
        if host.robots is None and host.robots_error is None:
            self._load_robots(url, host)
        if host.robots_error is not None:  # a fresh one each time: no traceback piles up
            raise type(host.robots_error)(str(host.robots_error))
        assert host.robots is not None
        if not host.robots.can_fetch(self.user_agent, url):
            raise ScrapeError(f"the site's robots.txt does not allow fetching {url}")

    def _load_robots(self, url: str, host: _HostState) -> None:
        """Fetched with our own client (robotparser's own fetch has no timeout); the verdict,
        rules or refusal, is kept for the client's life: asked for once per host."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        host_name = _host_of(url)
        parser = RobotFileParser(robots_url)
        try:
            response = self._robots_answer(robots_url)
        except HttpStatusError as exc:
            if 400 <= exc.status < 500:  # no robots.txt: everything is allowed
                parser.parse([])
                host.robots = parser
            else:  # a failing robots.txt may hide a ban: stay out until it answers
                host.robots_error = ScrapeError(f"robots.txt of {host_name} could not be read: {exc}")
            return
        except DeadlineExceeded as exc:
            stop = self._stop
            if stop is not None and stop.remaining() <= 0:
                raise  # the caller's time ran out: nothing to hold against this host
            host.robots_error = ScrapeError(f"robots.txt of {host_name} could not be read: {exc}")
            return
        except ScrapeError as exc:  # unreachable stays unreachable: the machine may be offline
            kind = NetworkError if isinstance(exc, NetworkError) else ScrapeError
            host.robots_error = kind(f"robots.txt of {host_name} could not be read: {exc}")
            return
        finally:
            host.next_allowed = time.monotonic() + self.per_host_delay
            self._wait_turn(host)
        # robots.txt is UTF-8 (RFC 9309) whatever charset the header names ("base64", say).
        parser.parse(response.content.decode("utf-8", errors="replace").splitlines())
        host.robots = parser

    def _robots_answer(self, robots_url: str) -> Response:
        """robots.txt, its redirects followed (RFC 9309 allows five) to wherever they lead."""
        url = robots_url
        for _hop in range(min(self.max_redirects, 5) + 1):
            response = self._send("GET", url)
            target = response.redirect_to
            if target is None:
                return response
            if urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
                raise ScrapeError(f"{url} redirected to a non-web address ({urlsplit(target).scheme}:)")
            url = target
        raise ScrapeError(f"{robots_url} redirects in a loop")


def _plain_error(url: str, exc: BaseException, read_timeout: float) -> ScrapeError:
    """A failure of requests or urllib3 as one plain sentence."""
    host = _host_of(url)
    if isinstance(exc, requests.exceptions.SSLError):
        return ScrapeError(f"the secure connection to {host} failed: {exc}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NetworkError(f"timed out connecting to {host}")
    if isinstance(exc, requests.exceptions.ReadTimeout | Urllib3ReadTimeout | TimeoutError):
        return NetworkError(f"{host} stopped answering (no data for {read_timeout:g} s)")
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return ScrapeError(f"{url} redirects in a loop")
    if isinstance(exc, requests.exceptions.RetryError):
        return ScrapeError(f"{host} kept failing after retries: {exc}")
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return ScrapeError(f"{url} led to an address that is not http or https")
    if isinstance(exc, requests.exceptions.ConnectionError):
        if _timed_out(exc):  # read timeouts on every retry
            return NetworkError(
                f"{host} stopped answering (no data for {read_timeout:g} s, retries included)"
            )
        return _connection_failure(url, exc)
    if isinstance(exc, requests.exceptions.RequestException):
        return ScrapeError(f"request to {url} failed: {_short(exc)}")
    if isinstance(exc, Urllib3Error | OSError):  # the body is read from urllib3 directly
        return ScrapeError(f"the connection to {host} broke off: {_short(exc)}")
    raise exc  # not a network failure: a bug, let it be seen


def _host_of(url: str) -> str:
    """The host (and port) as messages name it: never the user and password an address carries."""
    return urlsplit(url).netloc.rpartition("@")[2] or url


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests wraps urllib3 wraps the socket error)."""
    found: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending and len(found) < 20:
        current = pending.pop()
        found.append(current)
        pending.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            pending.append(reason)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)
    return found


def _timed_out(exc: BaseException) -> bool:
    return any(isinstance(e, Urllib3ReadTimeout | TimeoutError) for e in _causes(exc))


def _connection_failure(url: str, exc: BaseException) -> ScrapeError:
    """Why a connection failed, in words: the socket error buried under requests and urllib3.
    A server that cut the connection did answer; no server reached is a `NetworkError`."""
    host = _host_of(url)
    causes = _causes(exc)
    if any(isinstance(e, ConnectionResetError | BrokenPipeError) for e in causes):
        return ScrapeError(f"{host} cut the connection (connection reset)")
    if any(isinstance(e, ConnectionRefusedError) for e in causes):
        return NetworkError(f"could not connect to {host} (connection refused: no server is listening there)")
    if any(isinstance(e, NameResolutionError | socket.gaierror) for e in causes):
        return NetworkError(
            f"could not find {host} (its name does not resolve: check the address or the network)"
        )
    if any(isinstance(e, ProtocolError | RemoteDisconnected) for e in causes):
        return ScrapeError(f"{host} closed the connection without a proper answer")
    return NetworkError(f"could not connect to {host}: {_short(exc)}")


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"


def _too_large(url: str, cap: int) -> str:
    return f"the answer from {_host_of(url)} is larger than the {cap // (1024 * 1024)} MB limit"


def _status_reason(raw: requests.Response) -> str:
    reason = raw.reason or ""
    text = f"{_host_of(raw.url)} answered {raw.status_code} {reason}".rstrip()
    if raw.status_code in (429, 500, 502, 503, 504):
        text += " (still failing after retries)"
    return text


def _declared_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None
