"""The installed app starts: a wheel built from this checkout, installed into a fresh virtual
environment outside it, opens its window and runs `fetch`, `export` and `sources`.

An editable install (what developers use) reads the source tree, so a package missing from the
wheel (desktop/dialogs/ once was) is only seen here. Every command runs with its working folder
outside the checkout and no PYTHONPATH: nothing can be imported from the source tree.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.packaging.conftest import ROOT

FEED = ROOT / "tests" / "fixtures" / "feed" / "constructed" / "ukri-news-wordpress.xml"
LEFT_OUT = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    "tests",
)
WINDOW_SECONDS = 6.0  # the window must stay up this long, logging no error


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding only the wheel and its dependencies."""
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools keeps build/ in the source folder, and a file left there by
    # an earlier build would hide one the wheel now misses.
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    wheels = tmp / "wheels"
    step = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)]
    subprocess.run(step, check=True, capture_output=True, timeout=300, cwd=tmp)
    (wheel,) = wheels.glob("policy_tracker-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=300, cwd=tmp)
    return venv / "bin"


def environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_", "VIRTUAL_ENV"))}
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), POLICY_TRACKER_HOME=str(tmp / "data"), QT_QPA_PLATFORM="offscreen")
    return env


def run(bin_dir: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(bin_dir / "policy-tracker"), *args]
    result = subprocess.run(
        command, capture_output=True, text=True, env=environment(tmp), cwd=tmp, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_wheel_holds_every_package_and_imports_nothing_from_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    names = [
        "desktop.ui.dialogs.settings_dialog",
        "desktop.ui.views.main_window",
        "scrapers.kinds",
        "resources",
    ]
    code = f"import importlib; print('\\n'.join(importlib.import_module(n).__file__ for n in {names!r}))"
    result = subprocess.run(
        [str(installed / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for path in result.stdout.split():
        assert Path(path).is_relative_to(installed.parent), path
    icons = installed.parent.glob("lib/python*/site-packages/resources/icons/*.svg")
    assert len(list(icons)) >= 8


def test_the_installed_commands_fetch_export_and_list_sources(
    installed: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/feed/").respond_with_data(
        FEED.read_bytes(), content_type="application/rss+xml"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nid = "local-news"\nname = "Local news"\nkind = "feed"\n'
        f'url = "{httpserver.url_for("/news/feed/")}"\njurisdiction = "UK"\ncategory = "press"\n',
        encoding="utf-8",
    )
    store = tmp_path / "store.sqlite3"
    fetched = run(installed, tmp_path, "--db", str(store), "fetch", "--sources", str(sources), "--delay", "0")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert "local-news" in fetched.stdout

    out = tmp_path / "out.csv"
    exported = run(installed, tmp_path, "--db", str(store), "export", "--csv", str(out))
    assert exported.returncode == 0, exported.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["source"] == "Local news" for row in rows)

    listed = run(installed, tmp_path, "--db", str(store), "sources", "--sources", str(sources))
    assert listed.returncode == 0, listed.stderr
    assert "local-news [feed] configured: last success" in listed.stdout


def test_the_installed_window_opens_offscreen(installed: Path, tmp_path: Path) -> None:
    """The window stays up, logging no error, until it is asked to quit (SIGTERM, as a session
    manager would)."""
    log = tmp_path / "window.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(installed / "policy-tracker"), "--db", str(tmp_path / "store.sqlite3")],
            env=environment(tmp_path),
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + WINDOW_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        exited = process.poll()
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    app_log = tmp_path / "data" / "logs" / "policy-tracker.log"
    logged = app_log.read_text(encoding="utf-8", errors="replace") if app_log.exists() else ""
    assert exited is None, f"the window exited by itself ({exited}):\n{text}\n{logged[-3000:]}"
    assert "Traceback" not in text and " ERROR " not in logged and " CRITICAL " not in logged, text + logged
    assert (tmp_path / "store.sqlite3").is_file()
