"""packaging/launcher.py, the frozen entry script, tells the window from the commands."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import PACKAGING


def load_launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("policy_tracker_launcher", PACKAGING / "launcher.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        ([], True),
        (["--db", "/tmp/x.sqlite3"], True),
        (["--version"], False),
        (["--help"], False),
        (["sources"], False),
        (["--db", "x", "fetch", "--only", "a"], False),
        (["export", "--csv", "out.csv"], False),
    ],
)
def test_opens_window(argv: list[str], window: bool) -> None:
    assert load_launcher().opens_window(argv) is window


def test_a_command_error_is_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    def broken(argv: list[str]) -> int:
        raise RuntimeError("the disk caught fire")

    fake_cli = ModuleType("desktop.cli")
    fake_cli.main = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.cli", fake_cli)
    monkeypatch.setattr(sys, "argv", ["policy-tracker", "sources"])
    assert load_launcher().main() == 1
    err = capsys.readouterr().err
    log = isolated_home / "logs" / "policy-tracker.log"
    assert "the disk caught fire" in err
    assert f"Details are in the log file: {log}" in err
    assert "Traceback" not in err
    assert "Traceback" in log.read_text(encoding="utf-8")  # the details are kept for a bug report


def test_the_window_without_a_display_is_explained_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys, "argv", ["policy-tracker"])
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert load_launcher().main() == 1
    err = capsys.readouterr().err
    assert "no graphical display" in err
    assert str(isolated_home / "logs" / "policy-tracker.log") in err


def test_the_frozen_app_renders_a_brief_pdf_as_a_child(tmp_path: Path) -> None:
    """A bundle has no `python -m`: `brief --format pdf` runs the app itself with
    --render-brief-pdf (desktop/briefs/output.py), which the launcher hands to the renderer."""
    import subprocess

    from pypdf import PdfReader

    from desktop.briefs import PDF_CHILD_ARG

    html = tmp_path / "b.html"
    html.write_text("<html><body><h1>Frozen brief</h1><p>A &lt;b&gt; stays text</p></body></html>", "utf-8")
    out = tmp_path / "b.pdf"
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "launcher.py"), PDF_CHILD_ARG, str(html), str(out), "Title"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PACKAGING.parent,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGING.parent), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    reader = PdfReader(str(out))
    assert "Frozen brief" in " ".join((reader.pages[0].extract_text() or "").split())
    assert reader.metadata is not None and reader.metadata.title == "Title"
