"""Canonical URLs: the identity of a record, so one announcement is one row whoever links it."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Query parameters added by newsletters, ads and analytics; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "hsctatracking",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt.mc_id",
    }
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    key = unquote_plus(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The form of `url` records are keyed by.

    Lowercases scheme and host, drops default ports, tracking parameters and in-page anchors,
    and keeps every other parameter byte for byte and in order (re-encoding could change what
    a server sees). A fragment that is a client-side route (`#/...`, `#!...`) names a
    different page on single-page sites, so it is kept.
    """
    text = (url or "").strip()
    if not text:
        raise ValueError("a record needs a URL")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # an unparseable host or port: keep the text as its own identity
        return text
    scheme = parts.scheme.lower()
    if not parts.netloc:
        return urlunsplit((scheme, "", parts.path, parts.query, parts.fragment))
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not is_tracking_param(pair.split("=")[0])
    )
    fragment = parts.fragment if parts.fragment.startswith(("/", "!")) else ""
    return urlunsplit((scheme, netloc, parts.path or "/", query, fragment))
