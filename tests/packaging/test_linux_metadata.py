"""The desktop entry and AppStream metainfo validate and agree with the code on id and version."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.paths import APP_ID, APP_NAME

from .conftest import PACKAGING, PROJECT, ROOT

LINUX = PACKAGING / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_the_files_are_named_by_the_app_id() -> None:
    assert DESKTOP_FILE.is_file() and METAINFO.is_file()
    assert sorted(p.name for p in LINUX.glob("*.desktop")) == [f"{APP_ID}.desktop"]
    assert sorted(p.name for p in LINUX.glob("*.xml")) == [f"{APP_ID}.metainfo.xml"]


def test_one_app_id_everywhere() -> None:
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert root.findtext("icon[@type='stock']") == APP_ID
    assert desktop_entry()["Icon"] == APP_ID
    icons = PACKAGING / "icons"
    assert {p.stem for p in icons.rglob("*") if p.is_file()} == {APP_ID}


def test_names_and_the_program_agree_with_pyproject() -> None:
    (script,) = PROJECT["scripts"]  # the one console script is the program the menu starts
    entry = desktop_entry()
    assert entry["Name"] == APP_NAME
    assert entry["Exec"].split()[0] == script
    assert entry["TryExec"] == script
    assert metainfo().findtext("provides/binary") == script
    assert metainfo().findtext("name") == APP_NAME
    assert metainfo().findtext("project_license") == PROJECT["license"]


def test_the_newest_release_is_the_pyproject_version() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "metainfo lists no releases"
    assert releases[0].get("version") == PROJECT["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_the_screenshot_is_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (readme_image,) = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+)\)", readme)
    urls = [image.text or "" for image in metainfo().findall("screenshots/screenshot/image")]
    assert urls and all(url.startswith("https://") for url in urls)
    assert urls[0].rsplit("/", 1)[1] == Path(readme_image).name


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        package = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}[command[0]]
        pytest.skip(f"{command[0]} is not installed (Debian/Ubuntu: apt install {package})")
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_desktop_entry_validates() -> None:
    result = _run(["desktop-file-validate", str(DESKTOP_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_metainfo_validates() -> None:
    result = _run(["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)])
    assert result.returncode == 0, result.stdout + result.stderr
