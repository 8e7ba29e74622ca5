"""Shared helpers for the packaging tests: the repo's folders and the spec run with stand-ins."""

from __future__ import annotations

import sys
import tomllib
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "policy-tracker.spec"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@dataclass
class SpecRun:
    """What the spec asked PyInstaller to make."""

    namespace: dict[str, Any]
    calls: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = field(default_factory=dict)

    def one(self, kind: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        assert len(self.calls.get(kind, [])) == 1, f"the spec should make exactly one {kind}"
        return self.calls[kind][0]


@pytest.fixture
def run_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Execute packaging/policy-tracker.spec as PyInstaller would, for a chosen platform.

    PyInstaller's build classes are replaced by recorders, so the test sees exactly what the
    spec passes them (datas, names, icons, Info.plist) without building anything, and runs
    where PyInstaller is not installed.
    """

    def run(platform: str = sys.platform) -> SpecRun:
        hooks = types.ModuleType("PyInstaller.utils.hooks")
        hooks.collect_submodules = lambda package: [f"{package}.stand_in"]
        hooks.copy_metadata = lambda name: [(f"/site-packages/{name}.dist-info", f"{name}.dist-info")]
        for name in ("PyInstaller", "PyInstaller.utils"):
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
        monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
        monkeypatch.setattr(sys, "platform", platform)
        monkeypatch.setattr(sys, "path", list(sys.path))
        result = SpecRun(namespace={})

        def recorder(kind: str):
            class Recorded:
                def __init__(self, *args: Any, **kwargs: Any) -> None:
                    result.calls.setdefault(kind, []).append((args, kwargs))
                    self.args, self.kwargs = args, kwargs
                    self.pure = self.scripts = self.binaries = self.datas = []

            Recorded.__name__ = kind
            return Recorded

        result.namespace.update(
            {kind: recorder(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
            SPECPATH=str(PACKAGING),
            workpath=str(tmp_path / "work"),
            DISTPATH=str(tmp_path / "dist"),
            __file__=str(SPEC),
            __name__="__main__",
        )
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), result.namespace)
        return result

    return run


@pytest.fixture
def isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """POLICY_TRACKER_HOME in tmp_path, and any log handler a test adds removed afterwards."""
    import logging

    home = tmp_path / "home"
    monkeypatch.setenv("POLICY_TRACKER_HOME", str(home))
    root = logging.getLogger()
    before = list(root.handlers)
    yield home
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
