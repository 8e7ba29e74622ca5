"""Render the window offscreen to PNGs in docs/screenshots/, on a realistic store.

The store is made the way a user's is: the default sources (resources/sources.toml) are pointed
at local servers serving the real formats (tests/fixtures: captured or constructed GOV.UK,
UKRI, EU Funding & Tenders, press corner and RSS payloads) and fetched by the window's own
Refresh. A second refresh, after the EU call's deadline and budget moved, records a change and
raises an alert. Then a few records are starred, tagged, annotated and triaged, as an analyst
would.

Every scene is rendered at each window size and in each theme, named
`<scene>-<width>x<height>[-dark].png`: the default view, Open funding, a record whose deadline
moved, the row menu, the Sources dialog, and (at 1440×880) the first run, a search, the
watchlists, the alert after a refresh and What changed. Nothing shows a machine's paths or the
local servers' ports: the Sources dialog is shown with the default addresses, the files under a
home folder written "~".

The fixtures date from early March 2026, so the app's clock starts at 5 March 2026, 09:10 UTC
(the store's clock, which the views and the days-left column use) and runs on from there.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = datetime(2026, 3, 5, 9, 10, tzinfo=UTC)
TABLE_RECORD = "Commission opens applications for AI Factories"
MOVED_RECORD = "Generative AI for public administrations"
SEARCH = "AI factories"
SIZES = ((1920, 1080), (1440, 880), (1366, 768))  # a desktop, the default window, a laptop
MAIN_SIZE = (1440, 880)  # where the one-off scenes are shown
THEMES = ("light", "dark")


def _offscreen_screen(folder: Path) -> None:
    """A 1920×1200 offscreen screen at 96 dpi (Qt's default offscreen screen is 800×800)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen":
        return
    screen = {"name": "Desktop", "x": 0, "y": 0, "width": 1920, "height": 1200,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config = folder / "offscreen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _size(text: str) -> tuple[int, int]:
    width, height = text.split("x")
    return int(width), int(height)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--themes", nargs="+", choices=("light", "dark", "high_contrast"), default=THEMES)
    parser.add_argument("--sizes", nargs="+", type=_size, default=SIZES, help="window sizes, WIDTHxHEIGHT")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policy-tracker-shots-"))
    os.environ["HOME"] = str(work)  # paths the window shows read "~/..."
    os.environ["POLICY_TRACKER_HOME"] = str(work / ".local" / "share" / "policy-tracker")
    _offscreen_screen(work)

    from PySide6.QtCore import QEventLoop, QPoint, QSettings, QTimer
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QWidget

    import db.store

    started = time.time()
    # Every Store of this run, the refresh's included; the clock runs, so that "what changed
    # since this refresh began" is later than its start.
    db.store._utc_now = lambda: TODAY + timedelta(seconds=time.time() - started)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / ".config"))

    from desktop.refresh import RefreshSummary
    from desktop.ui import settings, theme
    from desktop.ui.app import application
    from desktop.ui.controllers.tracker import TrackerController, build_window
    from desktop.ui.views.main_window import MainWindow
    from desktop.ui.views.sidebar import VIEW, WATCHLIST
    from scrapers.http import HttpClient
    from tests.default_web import serve_default_sources
    from tests.fakeweb import FakeWeb

    app = application()
    args.out.mkdir(parents=True, exist_ok=True)

    def use_theme(name: str) -> None:
        settings.put("look/theme", name)
        theme.apply(app)

    def wait_until(condition: Callable[[], bool], timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: loop.quit() if condition() else None)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        timer.start()
        deadline.start(timeout_ms)
        loop.exec()
        timer.stop()
        if not condition():
            raise SystemExit("screenshots: timed out waiting for the window")

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(picture: QPixmap, name: str) -> None:
        path = args.out / name
        picture.save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    def shoot(widget: QWidget, name: str) -> None:
        settle()
        save(widget.grab(), name)

    def shoot_with_popup(window: QWidget, popup: QWidget, name: str) -> None:
        """The window with a menu open over it (a popup is a window of its own)."""
        settle()
        picture = window.grab()
        with_popup = QPixmap(picture)
        painter = QPainter(with_popup)
        painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
        painter.end()
        save(with_popup, name)

    web = FakeWeb()
    try:
        sources_path = work / ".config" / "policy-tracker" / "sources.toml"
        sources_path.parent.mkdir(parents=True, exist_ok=True)
        serve_default_sources(web, work).replace(sources_path)
        db_path = Path(os.environ["POLICY_TRACKER_HOME"]) / "policy-tracker.sqlite3"
        db_path.parent.mkdir(parents=True, exist_ok=True)

        def client() -> HttpClient:
            return HttpClient(per_host_delay=0, retries=0)

        def open_window() -> tuple[MainWindow, TrackerController]:
            store = db.store.Store.open(db_path)
            window, controller = build_window(store, sources_path=sources_path, client_factory=client)
            window.resize(*MAIN_SIZE)
            window.show()
            return window, controller

        def refresh(controller: TrackerController) -> None:
            done: list[RefreshSummary] = []
            controller.refresh_finished.connect(done.append)
            controller.refreshing.start_refresh()
            wait_until(lambda: bool(done))
            print("refresh:", done[0].text())
            for line in done[0].lines():
                print("   ", line)
            wait_until(lambda: not controller.counts.running)

        # 1. First run: an empty store.
        use_theme(args.themes[0])
        window, controller = open_window()
        wait_until(lambda: not controller.counts.running)
        shoot(window, f"first-run-{_name(MAIN_SIZE)}.png")

        # 2. Refresh from the (local) sources; then the EU call's deadline and budget move.
        _serve_eu_page(web, sources_path, _constructed_eu_page(web))
        refresh(controller)
        _move_eu_deadline(web, sources_path)
        _break_a_source(web, sources_path)
        refresh(controller)
        wait_until(lambda: controller.alerts.last_changes is not None)
        window.sidebar.select(VIEW, "all", notify=True)
        shoot(window, f"alert-after-refresh-{_name(MAIN_SIZE)}.png")
        offer = controller.alerts.schedule.offer
        if offer is not None:  # the one-time question after a first refresh: the analyst says yes
            offer.yes.click()

        # 3. An analyst's morning: read, star, tag, annotate, triage.
        _triage(controller, wait_until)
        _show_default_addresses(sources_path)

        for theme_name in args.themes:
            use_theme(theme_name)
            suffix = "" if theme_name == "light" else f"-{theme_name.replace('_', '-')}"
            for size in args.sizes:
                window.resize(*size)
                name = f"{_name(size)}{suffix}.png"
                window.sidebar.select(VIEW, "all", notify=True)
                window.table.scrollToTop()
                controller.place.select_row(_row_with_title(controller, TABLE_RECORD))
                window.table.setFocus()
                window.statusBar().clearMessage()
                shoot(window, f"tracker-{name}")

                rect = window.table.visualRect(controller.model.index(2, 1))
                menu = controller.row_menu.show_menu(rect.center())
                assert menu is not None
                settle()
                shoot_with_popup(window, menu, f"row-menu-{name}")
                menu.close()

                window.sidebar.select(VIEW, "open_funding", notify=True)
                controller.place.select_row(_row_with_title(controller, MOVED_RECORD))
                shoot(window, f"open-funding-{name}")

                window.sidebar.select(VIEW, "changed", notify=True)
                controller.place.select_row(_row_with_title(controller, MOVED_RECORD))
                shoot(window, f"moved-deadline-{name}")

                dialog = controller.sources.make_sources_dialog()
                assert dialog is not None
                dialog.resize(min(1100, size[0] - 80), min(560, size[1] - 120))
                dialog.show()
                shoot(dialog, f"sources-dialog-{name}")
                dialog.close()

            window.resize(*MAIN_SIZE)
            name = f"{_name(MAIN_SIZE)}{suffix}.png"
            window.sidebar.select(VIEW, "all", notify=True)
            window.filter_bar.search.setText(SEARCH)
            controller.query.apply_query()
            _rows_landed(controller.model)
            controller.place.select_row(0)
            shoot(window, f"search-{name}")
            controller.query.clear_filters()

            compute = next(w for w in controller.store.watchlists() if w.name == "Compute")
            window.sidebar.select(WATCHLIST, str(compute.id), notify=True)
            controller.place.select_row(0)
            shoot(window, f"watchlists-{name}")

            changes = controller.alerts.show_changes()
            assert changes is not None
            changes.resize(900, 560)
            shoot(changes, f"what-changed-{name}")
            changes.close()
        window.close()
    finally:
        web.stop()
    app.processEvents()
    return 0


def _name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _show_default_addresses(sources_path: Path) -> None:
    """Write the default sources' own addresses back into the sources file, so the Sources
    dialog shows what a user's shows rather than the local servers' random ports (the store
    keeps each source's id, so health and counts still match)."""
    from desktop.paths import resource_path

    defaults = resource_path("sources.toml").read_text(encoding="utf-8")
    sources_path.write_text(defaults, encoding="utf-8")


def _constructed_eu_page(web: object) -> str:
    """The constructed EU search page (March 2026 calls, the story these pictures tell); the
    end-to-end tests serve the captured page instead."""
    fixtures = ROOT / "tests" / "fixtures"
    text = (fixtures / "eu_funding/constructed/search-page-constructed.json").read_text("utf-8")
    return web.rewrite(text)  # type: ignore[attr-defined,no-any-return]


def _serve_eu_page(web: object, sources_path: Path, payload: str) -> None:
    """Serve `payload` as the EU search, and the topic details of every call on it."""
    from desktop.sources_file import load_sources
    from scrapers.kinds import get_kind
    from tests.default_web import DETAILS

    source = next(s for s in load_sources(sources_path) if s.kind == "eu_funding")
    web.serve(source.url, payload.encode("utf-8"), "application/json", method="POST")  # type: ignore[attr-defined]
    details = web.rewrite(DETAILS["eu_funding"][0].read_text("utf-8"))  # type: ignore[attr-defined]
    for item in get_kind("eu_funding").parse(payload.encode("utf-8"), source, base_url=source.url):
        if item.detail_url:
            web.serve(item.detail_url, details, "application/json")  # type: ignore[attr-defined]


def _move_eu_deadline(web: object, sources_path: Path) -> None:
    """The Digital Europe call's final deadline moves by four weeks."""
    payload = _constructed_eu_page(web)
    payload = payload.replace("2026-09-17T17:00:00.000+0200", "2026-10-15T17:00:00.000+0200")
    _serve_eu_page(web, sources_path, payload)


def _break_a_source(web: object, sources_path: Path) -> None:
    """The Parliament's feed address starts answering with a web page: that source fails."""
    from desktop.sources_file import load_sources

    source = next(s for s in load_sources(sources_path) if s.id == "europarl-press")
    page = b"<!DOCTYPE html><html><body><h1>Site under maintenance</h1></body></html>"
    web.serve(source.url, page, "text/html; charset=utf-8")  # type: ignore[attr-defined]


def _rows_landed(model: object) -> None:
    """Wait for the rows the window asked for (the table reads them on a worker)."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + 30
    while model.reading and time.monotonic() < deadline:  # type: ignore[attr-defined]
        QCoreApplication.processEvents()
        time.sleep(0.002)


def _row_with_title(controller: object, title: str) -> int:
    model = controller.model  # type: ignore[attr-defined]
    _rows_landed(model)
    for row in range(model.rowCount()):
        if model.row(row)["title"].startswith(title):
            return row
    raise SystemExit(f"screenshots: no record titled {title!r}")


def _triage(controller: object, wait_until: Callable[..., None]) -> None:
    """What an analyst does first thing: stars, tags, a note, statuses, reading."""
    c = controller
    model = c.model  # type: ignore[attr-defined]
    _rows_landed(model)
    titles = {model.row(r)["title"]: r for r in range(model.rowCount())}
    call = next(t for t in titles if t.startswith("Generative AI for public administrations"))
    c.place.select_row(titles[call])  # type: ignore[attr-defined]
    c.triage.toggle_star()  # type: ignore[attr-defined]
    for tag in ("AI Act", "GenAI", "for Friday's brief"):
        c.triage.add_tag(tag)  # type: ignore[attr-defined]
    c.window.detail.note.setPlainText(  # type: ignore[attr-defined]
        "Final deadline moved to 15 Oct: tell the AI unit today.\n"
        "Consortium idea: ministry + two universities; check that the national AI office is eligible.\n"
        "For Friday's brief: one paragraph on the 29 Apr first stage."
    )
    c.notes.save_note_now()  # type: ignore[attr-defined]
    call_id = c.place.current_record_id()  # type: ignore[attr-defined]
    for row in range(0, min(model.rowCount(), 40), 3):  # read the first screens
        c.place.select_row(row)  # type: ignore[attr-defined]
    for number, row in enumerate(range(1, min(model.rowCount(), 30), 4)):
        c.place.select_row(row)  # type: ignore[attr-defined]
        if number % 2 == 0:
            c.triage.toggle_star()  # type: ignore[attr-defined]
        c.triage.add_tag(("compute", "sovereignty", "AI Act", "skills")[number % 4])  # type: ignore[attr-defined]
        if number % 3 == 1:
            c.triage.set_status("done")  # type: ignore[attr-defined]
    c.triage.set_status("reviewing", [call_id])  # type: ignore[attr-defined]
    for tag, colour in (("AI Act", "teal"), ("for Friday's brief", "orange"), ("compute", "purple")):
        c.store.set_tag_colour(tag, colour)  # type: ignore[attr-defined]
    c.counts.refresh_sidebar()  # type: ignore[attr-defined]
    wait_until(lambda: not c.counts.running)  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
