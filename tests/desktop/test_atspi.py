"""What a screen reader hears, read from outside the process over AT-SPI (Linux).

The in-process tests (test_accessibility.py) walk Qt's QAccessibleInterface tree; this one checks
what reaches the platform: the window runs on a real X server (Xvfb) with Qt's AT-SPI bridge on,
and a separate process, the system's python3 with Debian's pyatspi (what Orca is built on), reads
the tree from the accessibility bus. The transcript of what a user hears is written to
atspi-transcript.txt in the test's temporary folder (docs/ACCESSIBILITY.md).

Needs the Debian packages xvfb, dbus (dbus-run-session), at-spi2-core and python3-pyatspi;
.ci/run installs them, and the test skips, saying which is missing, where they are absent.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.xserver import start_xvfb

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
NEEDED = (("Xvfb", "xvfb"), ("dbus-run-session", "dbus"))
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/*/at-spi2-core/at-spi-bus-launcher")


def _missing() -> str | None:
    for tool, package in NEEDED:
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian package {package})"
    if not any(glob.glob(pattern) for pattern in BUS_LAUNCHERS):
        return "the AT-SPI bus is not installed (Debian package at-spi2-core)"
    if not Path(SYSTEM_PYTHON).exists():
        return f"no {SYSTEM_PYTHON} to run the reader"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} cannot import pyatspi (Debian package python3-pyatspi)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    """The nodes a screen reader finds in the window showing a record."""
    folder = tmp_path_factory.mktemp("atspi")
    server, display = start_xvfb()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "DBUS_"))}
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        POLICY_TRACKER_HOME=str(folder / "home"),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_RUNTIME_DIR=str(folder),
    )
    window = [sys.executable, str(HERE / "atspi_window.py"), str(folder / "store.sqlite3")]
    tree = folder / "tree.json"
    reader = [SYSTEM_PYTHON, str(HERE / "atspi_reader.py"), str(tree), "--", *window]
    try:
        done = subprocess.run(
            ["dbus-run-session", "--", *reader], env=env, capture_output=True, text=True, timeout=90
        )
    finally:
        server.terminate()
        server.wait(10)
    assert done.returncode == 0, done.stderr[-3000:]
    nodes: list[dict[str, object]] = json.loads(tree.read_text(encoding="utf-8"))["nodes"]
    transcript = folder / "atspi-transcript.txt"
    transcript.write_text(render(nodes), encoding="utf-8")
    print(f"what a screen reader hears: {transcript}")
    return nodes


def said(node: dict[str, object]) -> str:
    """One node as a reader says it: role, name, value, description."""
    parts = [str(node["role"]), json.dumps(node["name"], ensure_ascii=False)]
    if node["value"] and node["value"] != node["name"]:
        parts.append(f"= {json.dumps(node['value'], ensure_ascii=False)}")
    if node["labelled_by"]:
        parts.append(f"(labelled by {', '.join(map(str, node['labelled_by']))})")
    if node["description"]:
        parts.append(f"— {node['description']}")
    if "focused" in node["states"]:
        parts.append("[focused]")
    return " ".join(parts)


def focused_path(nodes: list[dict[str, object]]) -> list[dict[str, object]]:
    """From the application down to the focused node, as a reader announces a focus change."""
    focused = next(n for n in nodes if "focused" in n["states"] and n["role"] == "table cell")
    path = focused["path"]
    return [n for n in nodes if path[: len(n["path"])] == n["path"]]


def record_nodes(nodes: list[dict[str, object]]) -> list[dict[str, object]]:
    """The details pane's nodes, in reading order."""
    pane = next(n for n in nodes if n["name"] == "Record details")
    prefix = pane["path"]
    return [n for n in nodes if n["path"][: len(prefix)] == prefix and n is not pane]


def render(nodes: list[dict[str, object]]) -> str:
    lines = ["What a screen reader hears: Policy Tracker over AT-SPI", "", "== The main window =="]
    lines += ["  " * len(n["path"]) + said(n) for n in nodes]
    lines += ["", "== The focused path =="]
    lines += ["  " * depth + said(n) for depth, n in enumerate(focused_path(nodes))]
    lines += ["", "== The record, in the details pane =="]
    lines += [said(n) for n in record_nodes(nodes) if n["name"] or n["value"]]
    return "\n".join(lines) + "\n"


# Scroll bars are reached with the mouse only (the keys scroll the view itself); Qt names none.
UNNAMED_BY_DESIGN = {"scroll bar"}


def test_every_control_a_reader_meets_has_a_name(heard) -> None:
    unnamed = [
        said(n) for n in heard if n["interactive"] and not n["name"] and n["role"] not in UNNAMED_BY_DESIGN
    ]
    assert unnamed == []


def test_no_description_is_read_as_markup(heard) -> None:
    """Qt gives a widget's tooltip as its description; a rich tooltip would be read as tags."""
    assert [said(n) for n in heard if re.search(r"</?[a-z]+[ >]", str(n["description"]))] == []


def test_the_status_bar_reads_its_text(heard) -> None:
    """A fixed name on a label would hide what it says ("4 records") from the reader."""
    bar = next(n for n in heard if n["role"] == "status bar")
    labels = [
        n["name"] for n in heard if n["role"] == "label" and n["path"][: len(bar["path"])] == bar["path"]
    ]
    assert "30 records" in labels or any(label.endswith(" records") for label in labels), labels
    assert any(label.startswith("Last refresh") for label in labels), labels


def test_every_table_cell_reads_as_text(heard) -> None:
    cells = [n for n in heard if n["role"] in {"table cell", "table column header"}]
    assert len(cells) > 12 * 5  # a header and several rows of twelve columns
    assert [said(n) for n in cells if not str(n["name"]).strip()] == []
    assert {"Starred", "Not starred"} & {n["name"] for n in cells}


def test_the_focus_is_on_the_record_and_its_path_is_named(heard) -> None:
    path = focused_path(heard)
    assert [n["role"] for n in path[:2]] == ["application", "frame"]
    assert path[0]["name"] == "Policy Tracker"
    assert any(n["role"] == "table" and n["name"] == "Records" for n in path)
    title = next(n for n in record_nodes(heard) if n["role"] == "label")
    assert path[-1]["name"] == title["name"]  # the focused cell is the title the pane shows


def test_the_record_reads_title_then_label_value_pairs_then_text(heard) -> None:
    reading = [n for n in record_nodes(heard) if n["role"] == "label"]
    names = [str(n["name"]) for n in reading]
    assert names[0] and ":" not in names[0]  # the title first
    fields = ["Source", "Category", "Published"]
    for field in fields:
        assert names.count(field) == 1, f"{field!r} read {names.count(field)} times"
        at = names.index(field)
        value = reading[at + 1]
        assert value["name"] and value["name"] != field  # then its value, once
        assert field in value["labelled_by"]
    assert all(not n.startswith(tuple(f"{f}:" for f in fields)) for n in names)
    text = next(n for n in record_nodes(heard) if n["name"] == "Stored text of the announcement")
    assert text["value"]
