"""Render the window offscreen to PNGs in docs/screenshots/, on a realistic store.

The store is made the way a user's is: the default sources (resources/sources.toml) are pointed
at local servers serving the real formats (tests/fixtures: captured or constructed GOV.UK,
UKRI, EU Funding & Tenders, press corner and RSS payloads) and fetched by the window's own
Refresh. A second refresh, after the EU call's deadline and budget moved, records a change. Then
a few records are starred, tagged, annotated and triaged, as an analyst would.

The fixtures date from early March 2026, so the app's clock is set to 5 March 2026 for the run
(the store's clock, which the views and the days-left column use).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = datetime(2026, 3, 5, 9, 10, tzinfo=UTC)
TABLE_RECORD = "Commission opens applications for AI Factories"
SEARCH = "AI factories"
SIZE = (1600, 1000)  # a common desktop size; the layout also fits 1440×900


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=("light", "dark", "high_contrast"), default="light")
    parser.add_argument("--size", default="x".join(map(str, SIZE)), help="the window, WIDTHxHEIGHT")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="policy-tracker-shots-"))
    os.environ["POLICY_TRACKER_HOME"] = str(work / "home")
    _offscreen_screen(work)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    import db.store

    db.store._utc_now = lambda: TODAY  # every Store of this run, the refresh's included
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))

    from desktop.refresh import RefreshSummary
    from desktop.ui import settings, theme
    from desktop.ui.app import application
    from desktop.ui.controllers.tracker import TrackerController, build_window
    from desktop.ui.views.main_window import MainWindow
    from desktop.ui.views.sidebar import VIEW
    from scrapers.http import HttpClient
    from tests.default_web import serve_default_sources
    from tests.fakeweb import FakeWeb

    app = application()
    settings.put("look/theme", args.theme)
    theme.apply(app)
    args.out.mkdir(parents=True, exist_ok=True)

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

    def shoot(widget: object, name: str) -> None:
        settle()
        path = args.out / name
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    web = FakeWeb()
    try:
        sources_path = serve_default_sources(web, work)
        db_path = work / "home" / "policy-tracker.sqlite3"
        db_path.parent.mkdir(parents=True, exist_ok=True)

        def client() -> HttpClient:
            return HttpClient(per_host_delay=0, retries=0)

        def open_window() -> tuple[MainWindow, TrackerController]:
            store = db.store.Store.open(db_path)
            window, controller = build_window(store, sources_path=sources_path, client_factory=client)
            window.resize(*size)
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
        window, controller = open_window()
        wait_until(lambda: not controller.counts.running)
        shoot(window, "first-run.png")

        # 2. Refresh from the (local) sources; then the EU call's deadline and budget move.
        _serve_eu_page(web, sources_path, _constructed_eu_page(web))
        refresh(controller)
        _move_eu_deadline(web, sources_path)
        _break_a_source(web, sources_path)
        refresh(controller)

        # 3. An analyst's morning: read, star, tag, annotate, triage.
        _triage(controller, wait_until)
        window.sidebar.select(VIEW, "all", notify=True)
        window.table.scrollToTop()
        controller.place.select_row(_row_with_title(controller, TABLE_RECORD))
        window.table.setFocus()
        window.statusBar().clearMessage()
        shoot(window, "tracker-table.png")

        window.sidebar.select(VIEW, "open_funding", notify=True)
        row = _row_with_title(controller, "Generative AI for public administrations")
        controller.place.select_row(row)
        shoot(window, "tracker.png")  # the README shows this one

        window.sidebar.select(VIEW, "all", notify=True)
        window.filter_bar.search.setText(SEARCH)
        controller.query.apply_query()
        controller.place.select_row(0)
        shoot(window, "search.png")
        controller.query.clear_filters()

        dialog = controller.sources.make_sources_dialog()
        assert dialog is not None
        dialog.resize(1100, 520)
        dialog.show()
        shoot(dialog, "sources-dialog.png")
        dialog.close()
        window.close()
    finally:
        web.stop()
    app.processEvents()
    return 0


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


def _row_with_title(controller: object, title: str) -> int:
    model = controller.model  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        if model.row(row)["title"].startswith(title):
            return row
    raise SystemExit(f"screenshots: no record titled {title!r}")


def _triage(controller: object, wait_until: Callable[..., None]) -> None:
    """What an analyst does first thing: stars, tags, a note, statuses, reading."""
    c = controller
    model = c.model  # type: ignore[attr-defined]
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
    c.counts.refresh_sidebar()  # type: ignore[attr-defined]
    wait_until(lambda: not c.counts.running)  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
