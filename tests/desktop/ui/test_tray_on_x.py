"""An alert pops up from a real system tray, and clicking it opens what it is about.

Offscreen there is no tray, so the in-process tests (test_notifier.py) see the status-bar
fallback only. Here the window runs on a real X server (Xvfb) with a real tray (trayer, an
XEmbed system tray) and no notification service, so Qt shows its own balloon from the icon:
the test refreshes from the default sources served on 127.0.0.1, and reads back from the window
process how the alert was told, that the icon and the balloon were on screen, and which view a
click on the balloon opened. The screen while the balloon shows is saved as
tray-alert.png in the test's temporary folder.

Needs the Debian packages xvfb and trayer (.ci/run installs them); skips, saying which is
missing, where they are absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.default_web import serve_default_sources
from tests.fakeweb import FakeWeb
from tests.xserver import start_xvfb

HERE = Path(__file__).resolve().parent
NEEDED = (("Xvfb", "xvfb"), ("trayer", "trayer"))
MISSING = next(
    (f"{tool} is not installed (Debian package {pkg})" for tool, pkg in NEEDED if not shutil.which(tool)),
    None,
)

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def met(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What the user met after a refresh on a desktop with a tray."""
    folder = tmp_path_factory.mktemp("tray")
    server, display = start_xvfb("1280x800x24")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "DBUS_"))}
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        POLICY_TRACKER_HOME=str(folder / "home"),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_RUNTIME_DIR=str(folder),
    )
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "120"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    web = FakeWeb()
    try:
        sources = serve_default_sources(web, folder)
        time.sleep(0.5)  # trayer takes the tray selection as it starts
        result = folder / "result.json"
        window = [sys.executable, str(HERE / "tray_window.py"), str(folder / "store.sqlite3"), str(sources)]
        done = subprocess.run(
            [*window, str(result), str(folder / "tray-alert.png")],
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        print(f"the screen with the tray message: {folder / 'tray-alert.png'}")
        return json.loads(result.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    finally:
        web.stop()
        tray.terminate()
        server.terminate()
        tray.wait(10)
        server.wait(10)


def test_the_desktop_has_a_tray_and_the_alert_pops_up_from_it(met: dict[str, object]) -> None:
    assert met["tray_available"] is True
    assert met["alerted"] is True
    assert met["how"] == "tray"
    assert "new in" in str(met["text"])  # "2 new in AI Act · 10 new in AI funding · …"
    assert met["icon_visible"] is True
    assert met["balloon"] is True


def test_clicking_the_message_opens_what_it_is_about(met: dict[str, object]) -> None:
    """An alert naming several watchlists opens What changed; one about a single watchlist
    opens that watchlist's view."""
    assert met["balloon_closed"] is True
    kind, value = met["target"]  # type: ignore[misc]
    if kind == "changes":
        assert met["changes_shown"] is True
        assert met["after_click"] == ["view", "archived"]  # the view the user was on stays
    else:
        assert met["after_click"] == [kind, value]
