"""The one polite HTTP client every source uses: timeouts, retries, robots.txt, caps, delays."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import InvalidHeader
from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeout
from urllib3.util.retry import Retry

from scrapers.model import ParseError, ScrapeError, Validators

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")


def app_version() -> str:
    try:
        return metadata.version("policy-tracker")
    except metadata.PackageNotFoundError:
        return "0+source"


def default_user_agent() -> str:
    return f"PolicyTracker/{app_version()} (desktop policy tracker; polite, honours robots.txt)"


class _CappedRetry(Retry):
    """urllib3's Retry, but a Retry-After of a day must not freeze a refresh for a day."""

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
        return self.content.decode(self.encoding or "utf-8", errors="replace")

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
    robots_error: str | None = None


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
        deadline: float = 120.0,
        max_bytes: int = 20 * 1024 * 1024,
        per_host_delay: float = 1.0,
        retries: int = 3,
        backoff_factor: float = 1.0,
        max_retry_after: float = 60.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
    ) -> None:
        self.user_agent = user_agent or default_user_agent()
        self.timeout = (connect_timeout, read_timeout)
        self.deadline = deadline
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
        self._session.max_redirects = max_redirects
        self._session.headers["User-Agent"] = self.user_agent
        self._session.headers["Accept-Encoding"] = "gzip, deflate"
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._session.close()

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
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.netloc:
            raise ScrapeError(f"refused to fetch {url!r}: only http and https addresses are allowed")
        host = self._host(url)
        with host.lock:
            if self.respect_robots:
                self._check_robots(url, host)
            self._wait_turn(host)
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
        if pause > 0:
            time.sleep(pause)

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        started = time.monotonic()
        try:
            with self._session.request(
                method, url, timeout=self.timeout, stream=True, allow_redirects=True, **kwargs
            ) as raw:
                final = urlsplit(raw.url)
                if final.scheme.lower() not in ALLOWED_SCHEMES:
                    raise ScrapeError(f"{url} redirected to a non-web address ({final.scheme}:)")
                if raw.status_code >= 400:
                    raise HttpStatusError(_status_reason(raw), raw.status_code, self._retry_after(raw))
                content = b"" if raw.status_code == 304 else self._read_capped(raw, started)
                return Response(
                    url=raw.url,
                    status=raw.status_code,
                    headers=CaseInsensitiveDict(raw.headers),  # `etag` and `ETag` alike
                    content=content,
                    encoding=_declared_charset(raw.headers.get("Content-Type", "")),
                )
        except ScrapeError:
            raise
        except requests.exceptions.SSLError as exc:
            raise ScrapeError(f"the secure connection to {_host_of(url)} failed: {exc}") from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise ScrapeError(f"timed out connecting to {_host_of(url)}") from exc
        except (requests.exceptions.ReadTimeout, Urllib3ReadTimeout, TimeoutError) as exc:
            raise ScrapeError(
                f"{_host_of(url)} stopped answering (no data for {self.timeout[1]:g} s)"
            ) from exc
        except requests.exceptions.TooManyRedirects as exc:
            raise ScrapeError(f"{url} redirects in a loop") from exc
        except requests.exceptions.RetryError as exc:
            raise ScrapeError(f"{_host_of(url)} kept failing after retries: {exc}") from exc
        except requests.exceptions.InvalidSchema as exc:
            raise ScrapeError(f"{url} led to an address that is not http or https") from exc
        except requests.exceptions.ConnectionError as exc:
            raise ScrapeError(f"could not connect to {_host_of(url)}: {_short(exc)}") from exc
        except requests.exceptions.RequestException as exc:
            raise ScrapeError(f"request to {url} failed: {_short(exc)}") from exc
        except (Urllib3Error, OSError) as exc:  # the body is read from urllib3 directly
            raise ScrapeError(f"the connection to {_host_of(url)} broke off: {_short(exc)}") from exc

    def _retry_after(self, raw: requests.Response) -> float | None:
        value = raw.headers.get("Retry-After")
        if raw.status_code not in (429, 503) or not value:
            return None
        return self._retry.parse_retry_after(value)

    def _read_capped(self, raw: requests.Response, started: float) -> bytes:
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
            if time.monotonic() - started > self.deadline:
                raise ScrapeError(
                    f"{_host_of(raw.url)} took longer than {self.deadline:g} s to send its answer"
                )
            chunk = stream.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise ScrapeError(_too_large(raw.url, self.max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_robots(self, url: str, host: _HostState) -> None:
        if host.robots is None and host.robots_error is None:
            self._load_robots(url, host)
        if host.robots_error is not None:
            raise ScrapeError(host.robots_error)
        assert host.robots is not None
        if not host.robots.can_fetch(self.user_agent, url):
            raise ScrapeError(f"the site's robots.txt does not allow fetching {url}")

    def _load_robots(self, url: str, host: _HostState) -> None:
        """Fetched with our own client (robotparser's own fetch has no timeout, DESIGN §8)."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            response = self._send("GET", robots_url)
        except HttpStatusError as exc:
            if 400 <= exc.status < 500:  # no robots.txt: everything is allowed
                parser.parse([])
                host.robots = parser
            else:  # a failing robots.txt may hide a ban: stay out until it answers
                host.robots_error = f"robots.txt of {parts.netloc} could not be read: {exc}"
            return
        except ScrapeError as exc:
            host.robots_error = f"robots.txt of {parts.netloc} could not be read: {exc}"
            return
        finally:
            host.next_allowed = time.monotonic() + self.per_host_delay
            self._wait_turn(host)
        parser.parse(response.text().splitlines())
        host.robots = parser


def _host_of(url: str) -> str:
    return urlsplit(url).netloc or url


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
