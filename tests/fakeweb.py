"""A small stand-in for the web: one real HTTP server on 127.0.0.1 per real host.

Serves the fixtures' payloads at the paths the real sites use, honours ETags (so a second refresh
costs only 304s), and rewrites a sources file so that every `https://host` points at its
local server. Tests never reach a non-loopback address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass
class _Page:
    body: bytes
    content_type: str
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FakeWeb:
    def __init__(self) -> None:
        self.servers: dict[str, HTTPServer] = {}
        # Per (host, method, path): the pages, each with the query parameters it answers to.
        self.pages: dict[tuple[str, str, str], list[tuple[dict[str, str], _Page]]] = {}
        self.log: list[tuple[str, str, str, int]] = []  # host, method, path?query, status
        self.user_agents: dict[str, set[str]] = {}  # host: every User-Agent it was sent
        self._browsers_only: set[str] = set()

    def serve(
        self,
        url: str,
        body: bytes | str,
        content_type: str,
        method: str = "GET",
        when: dict[str, str] | None = None,
    ) -> None:
        """Serve `body` at the real `url`'s path on its host's local server.

        With `when`, only to requests carrying those query parameters; the first page served
        without `when` answers every other request to that path.
        """
        parts = urlsplit(url)
        host = self._real_host(parts.netloc)
        server = self._server(host)
        data = body.encode("utf-8") if isinstance(body, str) else body
        key = (host, method, parts.path or "/")
        first = key not in self.pages
        variants = [v for v in self.pages.get(key, []) if v[0] != (when or {})]
        self.pages[key] = variants
        variants.insert(0 if when else len(variants), (when or {}, _Page(data, content_type)))
        if first:
            server.expect_request(parts.path or "/", method=method).respond_with_handler(
                lambda request, key=key: self._respond(key, request)
            )

    def refuse_non_browsers(self, url: str) -> None:
        """Answer 403 on `url`'s host to a User-Agent that is not a browser's, as the European
        Parliament's feeds do."""
        self._browsers_only.add(self._real_host(urlsplit(url).netloc))

    def local(self, url: str) -> str:
        """The local address standing in for the real `url`."""
        parts = urlsplit(url)
        server = self._server(parts.netloc)
        rest = url.split(parts.netloc, 1)[1]
        return f"http://127.0.0.1:{server.port}{rest}"

    def rewrite(self, text: str) -> str:
        """Point every `https://host` (and `http://host`) in `text` at its local server."""
        for host, server in self.servers.items():
            for scheme in ("https", "http"):
                text = text.replace(f"{scheme}://{host}", f"http://127.0.0.1:{server.port}")
        return text

    def requests_to(self, host: str) -> list[tuple[str, str, int]]:
        return [(m, p, s) for h, m, p, s in self.log if h == host]

    def stop(self) -> None:
        for server in self.servers.values():
            server.clear()
            if server.is_running():
                server.stop()

    def _real_host(self, netloc: str) -> str:
        """Accept an address already rewritten to a local server as its real host's."""
        for host, server in self.servers.items():
            if netloc == f"127.0.0.1:{server.port}":
                return host
        return netloc

    def _server(self, host: str) -> HTTPServer:
        if host not in self.servers:
            server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
            server.no_handler_status_code = 404  # so a host without robots.txt allows everything
            server.start()
            self.servers[host] = server
        return self.servers[host]

    def _respond(self, key: tuple[str, str, str], request: Request) -> Response:
        args = request.args
        page = next(
            (page for when, page in self.pages[key] if all(args.get(k) == v for k, v in when.items())),
            None,
        )
        target = request.full_path.rstrip("?")
        agent = request.headers.get("User-Agent", "")
        self.user_agents.setdefault(key[0], set()).add(agent)
        if key[0] in self._browsers_only and not agent.startswith("Mozilla/5.0"):
            self.log.append((key[0], key[1], target, 403))
            return Response("Forbidden", status=403)
        if page is None:
            self.log.append((key[0], key[1], target, 404))
            return Response("not here", status=404)
        if request.headers.get("If-None-Match") == page.etag:
            self.log.append((key[0], key[1], target, 304))
            return Response(status=304, headers={"ETag": page.etag})
        self.log.append((key[0], key[1], target, 200))
        return Response(page.body, status=200, content_type=page.content_type, headers={"ETag": page.etag})
