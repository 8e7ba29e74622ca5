"""The window opens http(s) links with a host in the system browser, and nothing else: not
`javascript:`, `file:`, `data:`, a bare path or an address without a host."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from desktop.ui import links


@pytest.mark.parametrize(
    "url", ["https://ec.europa.eu/info", "HTTP://www.gov.uk/x", QUrl("https://ukri.org/")]
)
def test_a_web_link_opens_in_the_browser(monkeypatch: pytest.MonkeyPatch, url: str | QUrl) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        links.QDesktopServices, "openUrl", lambda qurl: opened.append(qurl.toString()) or True
    )
    assert links.open_in_browser(url) is True
    assert len(opened) == 1


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "/etc/passwd",
        "https://",
    ],
)
def test_anything_else_is_refused_and_nothing_opens(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        links.QDesktopServices, "openUrl", lambda qurl: opened.append(qurl.toString()) or True
    )
    assert links.open_in_browser(url) is False
    assert opened == []
