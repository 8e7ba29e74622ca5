"""Sources (preview before saving, enable/disable), settings, about and shortcuts dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytest_httpserver import HTTPServer

from desktop.paths import user_sources_path
from desktop.shortcuts import SHORTCUTS
from desktop.sources_file import load_sources
from desktop.sources_writer import sources_toml, unique_id, write_sources
from desktop.ui import settings
from desktop.ui.dialogs.about_dialog import AboutDialog
from desktop.ui.dialogs.add_source_dialog import AddSourceDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop.ui.dialogs.sources_dialog import COL_HEALTH, COL_ON, SourcesDialog
from scrapers.model import Source

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.example/</link>
<description>d</description>
<item><title>AI Office opens consultation</title><link>https://x.example/1</link></item>
<item><title>Compute call results</title><link>https://x.example/2</link></item>
<item><title>Compute &amp; sovereignty paper</title><link>https://x.example/3</link></item>
</channel></rss>"""

LISTING = """<html><body><main>
<article class="ecl-content-item"><div class="ecl-content-block__primary-meta-item">3 February 2027</div>
<div class="ecl-content-block__title"><a href="/news/one">EuroHPC selects AI factories</a></div></article>
<article class="ecl-content-item"><div class="ecl-content-block__primary-meta-item">1 February 2027</div>
<div class="ecl-content-block__title"><a href="/news/two">New call for quantum pilots</a></div></article>
</main></body></html>"""


@pytest.fixture
def web(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, content_type="application/rss+xml")
    httpserver.expect_request("/news").respond_with_data(LISTING, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/missing.xml").respond_with_data("no", status=404)
    return httpserver


def preview(qtbot, dialog: AddSourceDialog) -> None:
    with qtbot.waitSignal(dialog.preview_finished, timeout=20_000):
        assert dialog.start_preview() is not None


def test_feed_preview_then_add(qtbot, web) -> None:
    dialog = AddSourceDialog({"taken"}, per_host_delay=0)
    qtbot.addWidget(dialog)
    dialog.name.setText("AI Office news")
    dialog.url.setText(web.url_for("/feed.xml"))
    dialog.add_button.click()  # no saving before a preview without saying so
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "not been previewed" in dialog.message.text()
    preview(qtbot, dialog)
    assert dialog.preview.rowCount() == 3
    assert dialog.preview.item(2, 1).text() == "Compute & sovereignty paper"
    assert "3 entries found" in dialog.message.text()
    assert dialog.add_button.isEnabled()
    source = dialog.previewed
    assert source is not None and source.id == "ai-office-news" and source.kind == "feed"
    dialog.url.setText(dialog.url.text() + "?changed")
    dialog.url.textEdited.emit(dialog.url.text())
    assert dialog.previewed is None  # edited after the preview: preview again
    assert dialog.add_button.text() == "Add source"


def test_html_list_preview_with_selectors(qtbot, web) -> None:
    dialog = AddSourceDialog(set(), per_host_delay=0)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("html_list"))
    assert not dialog.selectors_box.isHidden()
    dialog.name.setText("EuroHPC news")
    dialog.url.setText(web.url_for("/news"))
    dialog.selectors["item"].setText("article.ecl-content-item")
    dialog.selectors["title"].setText(".ecl-content-block__title a")
    dialog.selectors["link"].setText(".ecl-content-block__title a")
    dialog.selectors["date"].setText(".ecl-content-block__primary-meta-item")
    preview(qtbot, dialog)
    assert dialog.preview.rowCount() == 2
    assert dialog.preview.item(0, 0).text() == "3 Feb 2027"
    assert dialog.previewed.options["selectors"]["item"] == "article.ecl-content-item"


def test_preview_errors_are_shown(qtbot, web) -> None:
    dialog = AddSourceDialog(set(), per_host_delay=0)
    qtbot.addWidget(dialog)
    dialog.url.setText("ftp://example.org/feed")
    assert dialog.start_preview() is None
    assert "http" in dialog.message.text()
    dialog.url.setText(web.url_for("/missing.xml"))
    preview(qtbot, dialog)
    assert "404" in dialog.message.text() and dialog.previewed is None


def test_a_source_that_is_down_can_be_added_after_saying_why(qtbot, web) -> None:
    dialog = AddSourceDialog(set(), per_host_delay=0)
    qtbot.addWidget(dialog)
    dialog.name.setText("Down today")
    dialog.url.setText(web.url_for("/missing.xml"))
    preview(qtbot, dialog)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Not added yet" in dialog.message.text() and "404" in dialog.message.text()
    assert dialog.add_button.text() == "Add anyway"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.previewed is not None and dialog.previewed.url == web.url_for("/missing.xml")
    assert dialog.previewed.id == "down-today"


def test_saving_sources_writes_the_users_file(qtbot, web, make_window, small_db) -> None:
    window, controller = make_window(small_db)
    defaults = controller.sources.load_sources()
    dialog = controller.sources.make_sources_dialog()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(defaults)
    assert dialog.table.item(0, COL_HEALTH).text()  # a health summary for each
    dialog.table.item(0, COL_ON).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.changed
    new = Source(
        id="ai-office", name="AI Office", kind="feed", url=web.url_for("/feed.xml"), jurisdiction="EU"
    )
    assert controller.sources.save_sources([*dialog.result_sources(), new])
    saved = load_sources(user_sources_path())
    assert [s.id for s in saved] == [*(s.id for s in defaults), "ai-office"]
    assert saved[0].enabled is False and saved[1].enabled is True
    assert controller.sources.load_sources()[-1].id == "ai-office"  # the window now reads that file
    qtbot.waitUntil(lambda: window.sidebar.source_state("ai-office") is not None)


def test_sources_dialog_add_uses_the_previewed_source(qtbot, web) -> None:
    sources = [Source(id="a", name="A", kind="feed", url="https://a.example/feed")]

    class Accepting(AddSourceDialog):
        def exec(self) -> int:
            self.previewed = Source(id="b", name="B", kind="feed", url="https://b.example/feed")
            return int(self.DialogCode.Accepted)

    dialog = SourcesDialog(
        sources, [], sources_path_text="x", add_dialog=lambda taken, _editing: Accepting(taken, 0)
    )
    qtbot.addWidget(dialog)
    assert dialog.add_source() is not None
    assert [s.id for s in dialog.result_sources()] == ["a", "b"] and dialog.changed


def test_written_sources_round_trip(tmp_path: Path) -> None:
    source = Source(
        id="x",
        name='Quote " and \\ backslash',
        kind="html_list",
        url="https://x.example/list",
        jurisdiction="EU",
        category="policy",
        options={"selectors": {"item": "li.item", "title": "a", "link": "a"}, "max_pages": 2},
    )
    path = tmp_path / "s.toml"
    write_sources(path, [source])
    assert load_sources(path) == [source]
    assert "[source.selectors]" in sources_toml([source])
    assert unique_id("EU AI Office: news!", {"eu-ai-office-news"}) == "eu-ai-office-news-2"


def test_settings_are_declared_once_and_stored(qtbot) -> None:
    assert {s.name for s in settings.SETTINGS} == {
        "data/location",
        "refresh/on_start",
        "refresh/every_hours",
        "refresh/schedule_offered",
        "window/minimise_to_tray",
        "alerts/quiet_from",
        "alerts/quiet_to",
        "calendar/reminders",
        "refresh/per_host_delay",
        "reading/mark_read_after",
        "backups/budget_gb",
        "look/theme",
        "look/text_size",
    }
    assert all(s.help and s.label for s in settings.SETTINGS)
    assert settings.get("refresh/per_host_delay") == 1.0
    dialog = SettingsDialog(QSettings())
    qtbot.addWidget(dialog)
    dialog.editors["refresh/on_start"].setChecked(True)
    dialog.editors["refresh/per_host_delay"].setValue(2.5)
    budget = dialog.editors["backups/budget_gb"]
    assert budget.suffix() == " GB" and budget.value() == 0.0  # 0: a share of the free space
    budget.setValue(12.5)
    dialog.accept()
    assert settings.get("refresh/on_start") is True
    assert settings.get("refresh/per_host_delay") == 2.5
    assert settings.get("backups/budget_gb") == 12.5


def test_about_and_shortcuts(qtbot, tmp_path: Path) -> None:
    about = AboutDialog(tmp_path / "data.sqlite3", None)
    qtbot.addWidget(about)
    assert about.data_location.text() == str(tmp_path / "data.sqlite3")
    shortcuts = ShortcutsDialog()
    qtbot.addWidget(shortcuts)
    assert shortcuts.table.rowCount() == len(SHORTCUTS)
    texts = {shortcuts.table.item(r, 0).text() for r in range(shortcuts.table.rowCount())}
    assert {"Space or S", "Ctrl+R or F5", "J or ↓", "Esc", "Ctrl+E"} <= texts
