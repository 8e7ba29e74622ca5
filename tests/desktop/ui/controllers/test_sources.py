"""Changing the sources from the window against real local HTTP servers: edit, remove (asked,
records kept), switch off (skipped by the refresh), refresh one or retry it from the Sources
dialog and from the sidebar's menu, the last error in full, hand edits kept on save, OPML in and
out through File."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication
from pytest_httpserver import HTTPServer

from desktop import health
from desktop.sources_file import load_sources
from desktop.sources_writer import apply_changes, write_sources
from desktop.ui.dialogs.add_source_dialog import AddSourceDialog
from desktop.ui.dialogs.sources_dialog import COL_HEALTH, COL_ON, SourcesDialog
from scrapers.model import Source
from tests.desktop.answer_box import answer_next_box
from tests.desktop.sql_trace import statements_during
from tests.desktop.ui.controllers.test_refreshing import feed

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")  # offscreen
OPML = Path(__file__).resolve().parents[3] / "fixtures" / "opml"


@pytest.fixture
def web(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for slug in ("alpha", "beta"):
        httpserver.expect_request(f"/{slug}.xml").respond_with_data(
            feed(slug, 2), content_type="application/rss+xml"
        )
    return httpserver


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def two_feeds(tmp_path: Path, web: HTTPServer, *, beta_url: str | None = None) -> Path:
    path = tmp_path / "sources.toml"
    write_sources(
        path,
        [
            Source(
                id="alpha", name="Alpha news", kind="feed", url=web.url_for("/alpha.xml"), jurisdiction="EU"
            ),
            Source(
                id="beta",
                name="Beta news",
                kind="feed",
                url=beta_url or web.url_for("/beta.xml"),
                jurisdiction="UK",
                options={"user_agent": "Mozilla/5.0 (X11; Linux x86_64)"},
            ),
        ],
    )
    return path


def requested(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _response in server.log if request.path == path)


def select(dialog: SourcesDialog, source_id: str) -> None:
    for number in range(dialog.table.rowCount()):
        if dialog.table.item(number, COL_ON).data(256) == source_id:  # Qt.UserRole
            # Not selectRow: it reads the keyboard's modifiers, and a Shift another test left
            # "held" would extend the selection.
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            dialog.table.selectionModel().setCurrentIndex(dialog.table.model().index(number, 0), flags)
            return
    raise LookupError(source_id)


def while_open(dialog_type: type, act: Callable[..., bool], give_up_s: float = 30.0) -> list[str]:
    """Call `act(dialog)` inside the modal dialog's own loop until it returns True; after
    `give_up_s` the dialog is closed (the test then fails on what it did not see, never hangs).
    Returns a list that says "gave up" if it had to."""
    ended: list[str] = []
    deadline = time.monotonic() + give_up_s

    def poll() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, dialog_type) and w.isVisible()]
        if time.monotonic() > deadline:
            ended.append("gave up")
            for dialog in dialogs:
                dialog.reject()
            return
        try:
            done = bool(dialogs) and act(dialogs[-1])
        except Exception as exc:  # said by the test, and the dialog closed: never a hang
            ended.append(f"{exc.__class__.__name__}: {exc}")
            dialogs[-1].reject()
            return
        if not done:
            QTimer.singleShot(30, poll)

    QTimer.singleShot(0, poll)
    return ended


def test_edit_keeps_the_id_and_the_kinds_options(qtbot, web, tmp_path) -> None:
    path = two_feeds(tmp_path, web)
    sources = load_sources(path)
    dialog = SourcesDialog(sources, [], sources_path_text="x")
    qtbot.addWidget(dialog)
    select(dialog, "beta")

    def rename(editor: AddSourceDialog) -> bool:
        assert not editor.kind.isEnabled() and editor.url.text() == web.url_for("/beta.xml")
        editor.name.setText("Beta, renamed")
        editor.add_button.click()  # the address is the same: nothing to preview
        return True

    ended = while_open(AddSourceDialog, rename)
    edited = dialog.edit_source()
    assert not ended, ended
    assert edited is not None and dialog.changed
    saved = dialog.result_sources()
    assert saved[1] == Source(
        id="beta",
        name="Beta, renamed",
        kind="feed",
        url=web.url_for("/beta.xml"),
        jurisdiction="UK",
        category="other",
        options={"user_agent": "Mozilla/5.0 (X11; Linux x86_64)"},
    )


def test_an_edited_address_is_previewed_or_saved_anyway(qtbot, web, tmp_path) -> None:
    sources = load_sources(two_feeds(tmp_path, web))
    editor = AddSourceDialog(set(), 0, editing=sources[0])
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "Edit Alpha news" and editor.add_button.text() == "Save changes"
    editor.url.setText(web.url_for("/moved.xml"))
    editor.url.textEdited.emit(editor.url.text())
    editor.add_button.click()
    assert editor.result() != editor.DialogCode.Accepted
    assert "Not saved yet" in editor.message.text() and editor.add_button.text() == "Save anyway"
    editor.add_button.click()
    assert editor.previewed is not None and editor.previewed.id == "alpha"
    assert editor.previewed.url == web.url_for("/moved.xml")


def test_remove_asks_and_says_the_records_stay(qtbot, web, tmp_path) -> None:
    sources = load_sources(two_feeds(tmp_path, web))
    rows = [{"id": "alpha", "enabled": True, "record_count": 12}]
    dialog = SourcesDialog(sources, rows, sources_path_text="x")
    qtbot.addWidget(dialog)
    select(dialog, "alpha")
    seen = answer_next_box("Cancel")
    assert dialog.remove_source() is None and not dialog.changed
    assert any("The 12 records it already fetched stay, with their notes, tags and status" in t for t in seen)
    answer_next_box("Remove")
    assert dialog.remove_source() is not None
    assert [s.id for s in dialog.result_sources()] == ["beta"]


def test_saving_keeps_a_hand_edit_made_while_the_dialog_was_open(qtbot, web, tmp_path, make_window, small_db):
    path = two_feeds(tmp_path, web)
    _window, controller = make_window(small_db, sources_path=path)
    dialog = controller.sources.make_sources_dialog()
    qtbot.addWidget(dialog)
    select(dialog, "alpha")
    dialog.switch_button.click()
    assert dialog.switch_button.text() == "Switch on" and dialog.changed
    by_hand = Source(id="gamma", name="Gamma", kind="feed", url="https://gamma.example/rss")
    write_sources(path, [*load_sources(path), by_hand])  # meanwhile, in a text editor
    assert controller.sources.save_changes(dialog.result_sources)
    saved = {s.id: s for s in load_sources(path)}
    assert set(saved) == {"alpha", "beta", "gamma"} and not saved["alpha"].enabled and saved["beta"].enabled


def test_apply_changes_gives_an_added_source_a_free_id() -> None:
    a = Source(id="a", name="A", kind="feed", url="https://a.example/")
    added = Source(id="b", name="B", kind="feed", url="https://b.example/")
    by_hand = Source(id="b", name="Hand", kind="feed", url="https://hand.example/")
    merged = apply_changes([a], [a, added], [a, by_hand])
    assert [(s.id, s.name) for s in merged] == [("a", "A"), ("b", "Hand"), ("b-2", "B")]


def test_refresh_this_source_from_the_dialog(qtbot, web, tmp_path, make_window, small_db) -> None:
    path = two_feeds(tmp_path, web)
    _window, controller = make_window(small_db, sources_path=path)
    finished = []
    controller.refresh_finished.connect(finished.append)
    shown: list[str] = []

    def act(dialog: SourcesDialog) -> bool:
        if not shown:
            select(dialog, "beta")
            assert dialog.refresh_button.text() == "Refresh this source"
            dialog.refresh_button.click()
            shown.append(dialog.table.item(1, COL_HEALTH).text())
            return False
        health = dialog.table.item(1, COL_HEALTH).text()
        if not finished or health == "Refreshing…":  # until the sidebar's read after it landed
            return False
        shown.append(health)
        dialog.reject()
        return True

    ended = while_open(SourcesDialog, act)
    controller.sources.show_sources()
    assert not ended, ended
    assert shown[0] == "Refreshing…" and shown[1].startswith("OK")
    assert [o.source_id for o in finished[0].outcomes] == ["beta"]
    assert requested(web, "/beta.xml") == 1 and requested(web, "/alpha.xml") == 0


def test_a_failing_source_offers_retry_and_its_error_in_full(qtbot, web, tmp_path, make_window, small_db):
    path = two_feeds(tmp_path, web, beta_url=f"http://127.0.0.1:{closed_port()}/beta.xml")
    window, controller = make_window(small_db, sources_path=path)
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000):
        controller.refreshing.start_refresh()
    controller.store.record_failure("beta", "refused \x1b[31m" + "and more words " * 30 + "THE END")
    controller.counts.refresh_sidebar()  # as after any refresh

    def failure_read() -> bool:
        latest = controller.counts.latest
        return latest is not None and any("THE END" in (r["last_error"] or "") for r in latest.sources)

    qtbot.waitUntil(failure_read, timeout=10_000)
    dialog = controller.sources.make_sources_dialog()
    qtbot.addWidget(dialog)
    select(dialog, "beta")
    assert dialog.refresh_button.text() == "Retry now" and dialog.refresh_button.isEnabled()
    details = dialog.details.toPlainText()
    assert "THE END" in details and "\x1b" not in details and "\\x1b[31m" in details
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as retried:
        dialog.refresh_button.click()
    assert [o.source_id for o in retried.args[0].outcomes] == ["beta"] and retried.args[0].failed
    assert window.sidebar.source_state("beta")[0] == health.FAILING


def test_disabled_from_the_sidebar_is_skipped_by_the_refresh(qtbot, web, tmp_path, make_window, small_db):
    path = two_feeds(tmp_path, web)
    window, controller = make_window(small_db, sources_path=path)
    menus = []
    window.sidebar.source_menu.connect(lambda source_id, _pos: menus.append(source_id))
    qtbot.waitUntil(lambda: window.sidebar.source_state("alpha") is not None)
    item = next(i for i in window.sidebar._children("source") if i.data(0, 258) == "alpha")
    where = window.sidebar.visualItemRect(item).center()
    window.sidebar.contextMenuEvent(
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, window.sidebar.mapToGlobal(where))
    )
    assert menus == ["alpha"]
    menu = controller.sources.source_menu("alpha")
    assert [a.text() for a in menu.actions()] == ["Refresh this source", "Disable", "Edit…"]
    menu.actions()[1].trigger()
    assert not load_sources(path)[0].enabled
    qtbot.waitUntil(lambda: window.sidebar.source_state("alpha")[0] == health.DISABLED)
    assert [a.text() for a in controller.sources.source_menu("alpha").actions()][:2] == [
        "Refresh this source",
        "Enable",
    ]
    assert not controller.sources.source_menu("alpha").actions()[0].isEnabled()
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        controller.refreshing.start_refresh()
    assert [o.source_id for o in finished.args[0].outcomes] == ["beta"]
    assert requested(web, "/alpha.xml") == 0
    dialog = controller.sources.make_sources_dialog()
    qtbot.addWidget(dialog)
    select(dialog, "alpha")
    assert not dialog.refresh_button.isEnabled() and "Switched off" in dialog.refresh_button.toolTip()


def test_refresh_one_from_the_sidebar_menu(qtbot, web, tmp_path, make_window, small_db) -> None:
    _window, controller = make_window(small_db, sources_path=two_feeds(tmp_path, web))
    with qtbot.waitSignal(controller.refresh_finished, timeout=30_000) as finished:
        controller.sources.source_menu("alpha").actions()[0].trigger()
    assert [o.source_id for o in finished.args[0].outcomes] == ["alpha"]
    assert requested(web, "/beta.xml") == 0


def test_a_source_only_in_the_store_has_nothing_to_change(qtbot, web, tmp_path, make_window, small_db):
    _window, controller = make_window(small_db, sources_path=two_feeds(tmp_path, web))
    actions = controller.sources.source_menu("no-longer-configured").actions()
    assert [a.text() for a in actions] == ["Not in the sources file (its records stay)"]
    assert not actions[0].isEnabled()


def test_opml_import_and_export_from_the_window(qtbot, web, tmp_path, make_window, small_db) -> None:
    path = two_feeds(tmp_path, web)
    window, controller = make_window(small_db, sources_path=path)
    names = [a.text() for a in window.file_menu.actions()]
    assert "Import &OPML…" in names and "Export O&PML…" in names
    assert controller.sources.import_opml(OPML / "captured" / "netnewswire-default-feeds.opml")
    assert len(load_sources(path)) == 2 + 16
    assert window.statusBar().currentMessage() == (
        "netnewswire-default-feeds.opml: 16 feeds added. Refresh to fetch the new feeds."
    )
    qtbot.waitUntil(lambda: window.sidebar.source_state("xcoders") is not None)
    before = path.read_bytes()
    seen = answer_next_box("OK")
    assert not controller.sources.import_opml(OPML / "constructed" / "billion-laughs.opml")
    assert any("DTD" in text for text in seen) and path.read_bytes() == before
    out = tmp_path / "out.opml"
    assert controller.sources.export_opml(out)
    assert "18 feeds saved to" in window.statusBar().currentMessage()
    assert out.read_text(encoding="utf-8").count("<outline ") == 18


def test_the_dialog_shows_what_the_sidebar_read_without_counting_on_the_windows_thread(
    qtbot, web, tmp_path, make_window, small_db
) -> None:
    path = two_feeds(tmp_path, web)
    _window, controller = make_window(small_db, sources_path=path)
    qtbot.waitUntil(lambda: controller.counts.latest is not None, timeout=10_000)
    dialog, ran = statements_during(controller.store, controller.sources.make_sources_dialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert ran == []  # each source's records: 50-80 ms at 1M
    assert dialog.table.rowCount() == 2
