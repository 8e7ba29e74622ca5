"""The one way the window opens a link: http and https only, in the system browser."""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

logger = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")


def is_web_link(url: QUrl | str | None) -> bool:
    if url is None:
        return False
    qurl = url if isinstance(url, QUrl) else QUrl(url)
    return qurl.isValid() and qurl.scheme().lower() in WEB_SCHEMES and bool(qurl.host())


def open_in_browser(url: QUrl | str | None) -> bool:
    """Open `url` in the system browser when it is an http(s) link; refuse anything else."""
    if not is_web_link(url):
        logger.info("refused to open a link that is not http or https: %r", _text(url))
        return False
    qurl = url if isinstance(url, QUrl) else QUrl(url)
    return bool(QDesktopServices.openUrl(qurl))


def _text(url: QUrl | str | None) -> str:
    if isinstance(url, QUrl):
        return url.toString()[:200]
    return str(url)[:200]
