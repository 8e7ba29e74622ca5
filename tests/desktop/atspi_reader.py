"""Read the window's accessibility tree over AT-SPI from outside its process, as Orca does.

Run by the system's python3 (Debian's python3-pyatspi), not the project's: a screen reader is
another process on the desktop's accessibility bus, and this is what it gets. It starts the
window (the command after "--"), waits until the window shows a record, and writes to OUT, as
JSON (stdout carries the bus daemons' chatter), every node a user could reach (role, name,
description, value, states, labels). tests/desktop/test_atspi.py turns it into a transcript.

    dbus-run-session -- /usr/bin/python3 tests/desktop/atspi_reader.py OUT -- PYTHON atspi_window.py DB
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pyatspi

APP_NAME = "Policy Tracker"
WAIT_S = 40
# The roles a user acts on: each must be named (WCAG 4.1.2).
INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text",
    "password text", "spin button", "slider", "list", "list item", "table", "tree", "tree table",
    "menu item", "check menu item", "radio menu item", "page tab", "link",
}  # fmt: skip


def _value(node: object) -> str:
    """What a reader says after the name: the text of a field, the number of a spin box."""
    try:
        text = node.queryText()
        return str(text.getText(0, min(text.characterCount, 200)))
    except (NotImplementedError, AttributeError):
        pass
    try:
        return str(node.queryValue().currentValue)
    except (NotImplementedError, AttributeError):
        return ""


def _states(node: object) -> set[str]:
    state = node.getState()
    wanted = {
        "focused": pyatspi.STATE_FOCUSED,
        "showing": pyatspi.STATE_SHOWING,
        "focusable": pyatspi.STATE_FOCUSABLE,
        "checked": pyatspi.STATE_CHECKED,
        "selected": pyatspi.STATE_SELECTED,
    }
    return {name for name, value in wanted.items() if state.contains(value)}


def _labelled_by(node: object) -> list[str]:
    """The names of the labels a reader says with this node (its LABELLED_BY relation)."""
    names = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            names += [relation.getTarget(i).name for i in range(relation.getNTargets())]
    return names


def walk(node: object, path: list[int], out: list[dict[str, object]]) -> None:
    """Every showing node, in the order a reader's review mode goes through them."""
    states = _states(node)
    if path and "showing" not in states:
        return  # hidden pages, closed menus' items: nothing a user meets
    role = node.getRoleName()
    out.append(
        {
            "path": path,
            "role": role,
            "name": node.name or "",
            "description": node.description or "",
            "value": _value(node),
            "labelled_by": _labelled_by(node),
            "states": sorted(states),
            "interactive": role in INTERACTIVE,
        }
    )
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is not None:
            walk(child, [*path, index], out)


def find_app() -> object | None:
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.name == APP_NAME:
            return app
    return None


def read_when_ready(window: subprocess.Popen[bytes]) -> list[dict[str, object]]:
    """The tree once the window shows a record: a focused table cell and a details title."""
    deadline = time.monotonic() + WAIT_S
    nodes: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        if window.poll() is not None:
            raise SystemExit(f"atspi_reader: the window ended (exit code {window.returncode})")
        app = find_app()
        if app is not None:
            nodes = []
            walk(app, [], nodes)
            focused = [n for n in nodes if "focused" in n["states"] and n["role"] == "table cell"]
            if focused and any(n["name"] == "Record details" for n in nodes):
                return nodes
        time.sleep(0.3)
    raise SystemExit(f"atspi_reader: no window with a focused record after {WAIT_S} s")


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :]
    window = subprocess.Popen(command)
    try:
        nodes = read_when_ready(window)
    finally:
        window.terminate()
        window.wait(10)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump({"nodes": nodes}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
