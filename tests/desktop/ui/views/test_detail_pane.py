"""The detail pane shows scraped text literally, loads nothing, and opens only http(s) links."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop.formatting import change_text
from desktop.ui import links
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.record_text import text_to_html
from scrapers.model import Announcement

HOSTILE_TITLE = "<b>Bold</b> <img src='file:///etc/passwd'> & co"
HOSTILE_BODY = """<script>alert(1)</script><img src="file:///etc/passwd">
<img src="http://127.0.0.1:9/tracker.png"> <link rel=stylesheet href="http://127.0.0.1:9/x.css">
<a href="javascript:alert(1)">click</a> <a href="file:///etc/passwd">local</a>
<div style="background:url(http://127.0.0.1:9/bg.png)">styled</div>
<img src="data:image/png;base64,AAAA">

Read more at https://digital-strategy.ec.europa.eu/en/policies/ai-act. Thanks."""


def test_hostile_html_loads_nothing_and_shows_literally(
    qtbot, monkeypatch, make_window, empty_db, open_store
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    store = open_store(empty_db)
    store.save_announcements(
        "hostile",
        [
            Announcement(
                url="https://example.org/x", title=HOSTILE_TITLE, summary="<i>s</i>", body=HOSTILE_BODY
            )
        ],
    )
    window, controller = make_window(empty_db)
    controller.place.select_row(0)
    detail = window.detail
    assert detail.title.text() == HOSTILE_TITLE
    browser = detail.text
    assert browser.resource_requests == []  # nothing in the stored text became a resource
    plain = browser.toPlainText()
    assert "<script>alert(1)</script>" in plain and '<img src="file:///etc/passwd">' in plain
    anchors = _anchors(browser.document())  # addresses in the text are links, web ones only
    assert "https://digital-strategy.ec.europa.eu/en/policies/ai-act" in anchors
    assert all(a.startswith(("http://", "https://")) for a in anchors)

    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://example.org/"):
        browser.anchorClicked.emit(QUrl(bad))
    assert opened == []
    assert browser.resource_requests == []  # links are not loaded, only opened on click
    browser.anchorClicked.emit(QUrl(anchors[-1]))
    assert opened == [anchors[-1]]


def test_even_real_markup_loads_nothing(qtbot) -> None:
    pane = DetailPane()
    qtbot.addWidget(pane)
    html = (
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/a.png">'
        '<img src="data:image/png;base64,iVBORw0KGgo="><p style="background:url(qrc:/x.png)">x</p>'
    )
    pane.text.setHtml(html)
    pane.text.resize(400, 300)
    pane.text.document().adjustSize()
    for request in list(pane.text.resource_requests):
        assert pane.text.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl(request)) is None
    assert any("passwd" in r for r in pane.text.resource_requests)
    assert pane.text.openLinks() is False and pane.text.openExternalLinks() is False


def test_open_original_only_opens_web_links(monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(links.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    assert not links.open_in_browser("javascript:alert(1)")
    assert not links.open_in_browser("file:///etc/passwd")
    assert not links.open_in_browser(None)
    assert links.open_in_browser("https://www.ukri.org/opportunity/x/")
    assert opened == ["https://www.ukri.org/opportunity/x/"]


def test_text_to_html_escapes_and_links() -> None:
    html = text_to_html("A <b>summary</b>", "Para one http://a.example/x?y=1&z=2.\n\nPara <two>")
    assert "&lt;b&gt;summary&lt;/b&gt;" in html
    assert '<a href="http://a.example/x?y=1&amp;z=2">' in html
    assert "&lt;two&gt;" in html


def test_versions_read_as_changes(make_window, empty_db, open_store) -> None:
    store = open_store(empty_db)
    item = Announcement(
        url="https://example.org/call",
        title="Call",
        category="funding",
        deadline_at="2027-01-21T16:00:00Z",
        budget_amount=10_000_000.0,
        budget_currency="EUR",
    )
    store.save_announcements("eu", [item])
    store.save_announcements(
        "eu",
        [
            Announcement(
                **{**item.__dict__, "deadline_at": "2027-02-18T16:00:00Z", "budget_amount": 12_000_000.0}
            )
        ],
    )
    window, controller = make_window(empty_db)
    controller.place.select_row(0)
    text = window.detail.versions.text()
    assert "deadline 21 Jan → 18 Feb 2027" in text
    assert "budget €10,000,000 → €12,000,000" in text
    assert window.detail.versions.isVisible()


def test_change_text_reads_naturally() -> None:
    assert change_text("deadline_at", "2027-01-21", "2027-02-18") == "deadline 21 Jan → 18 Feb 2027"
    assert change_text("deadline_at", "2026-12-21", "2027-02-18") == "deadline 21 Dec 2026 → 18 Feb 2027"
    assert change_text("call_status", "Forthcoming", "Open") == "call status Forthcoming → Open"
    assert change_text("body", "a", "b") == "text edited"


def _anchors(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isAnchor():
                found.append(fragment.charFormat().anchorHref())
            iterator += 1
        block = block.next()
    return found


def test_a_call_shows_its_programme_and_type_of_action(qtbot, make_window, empty_db, open_store) -> None:
    store = open_store(empty_db)
    store.save_announcements(
        "ec",
        [
            Announcement(
                url="https://example.org/call",
                title="Call",
                category="funding",
                programme="Horizon Europe · Cluster 4: Digital, Industry and Space",
                action_type="HORIZON Research and Innovation Actions",
            ),
            Announcement(url="https://example.org/news", title="News", category="press"),
        ],
    )
    window, controller = make_window(empty_db)
    detail = window.detail
    qtbot.waitUntil(lambda: controller.model.rowCount() == 2)
    rows = {controller.model.row(r)["title"]: r for r in range(2)}
    controller.place.select_row(rows["Call"])
    qtbot.waitUntil(lambda: detail.title.text() == "Call")
    assert detail._fields["programme"].text() == "Horizon Europe · Cluster 4: Digital, Industry and Space"
    assert detail._fields["action_type"].text() == "HORIZON Research and Innovation Actions"
    controller.place.select_row(rows["News"])
    qtbot.waitUntil(lambda: detail.title.text() == "News")
    assert not detail._fields["programme"].isVisible()  # a record that has none shows no empty row
