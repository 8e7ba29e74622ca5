"""packaging/policy-tracker.spec bundles every resource the code uses, under the right names."""

from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.paths import APP_ID, APP_NAME

from .conftest import PACKAGING, PROJECT, ROOT

# resource_path("name") / resource_path('icons/x.svg') with a literal argument
_RESOURCE_CALL = re.compile(r"""resource_path\(\s*[rRuU]?(["'])([^"']+)\1\s*\)""")


def referenced_resources() -> dict[str, list[str]]:
    """Each literal resource name used in desktop/, with the files that use it."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        for match in _RESOURCE_CALL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(2), []).append(str(path.relative_to(ROOT)))
    return found


def files_of(name: str, base: Path) -> set[str]:
    """The file `name` names under base, or every file of the folder it names (resource_path("icons"))."""
    path = base / name
    if path.is_dir():
        return {p.relative_to(base).as_posix() for p in path.rglob("*") if p.is_file()}
    return {name} if path.is_file() else set()


def bundled_names(datas: list[tuple[str, str]]) -> set[str]:
    """The paths, relative to resources/ inside the bundle, of what the spec's datas put there."""
    names = set()
    for source, dest in datas:
        dest_path = Path(dest)
        if dest_path.parts[:1] == ("resources",):
            names.add((Path(*dest_path.parts[1:]) / Path(source).name).as_posix())
    return names


def test_the_code_refers_to_resources() -> None:
    assert "sources.toml" in referenced_resources(), "the grep for resource_path(...) found nothing"


def test_every_referenced_resource_exists() -> None:
    missing = {name: users for name, users in referenced_resources().items()
               if not files_of(name, ROOT / "resources")}  # fmt: skip
    assert missing == {}, "resource_path() names files that are not in resources/"


def test_every_referenced_resource_is_in_the_specs_datas(run_spec) -> None:
    _, analysis = run_spec().one("Analysis")
    bundled = bundled_names(analysis["datas"])
    for name in referenced_resources():
        assert files_of(name, ROOT / "resources") - bundled == set(), name


def test_everything_under_resources_is_bundled(run_spec) -> None:
    """Names built at run time (icons/{name}.svg) are covered too: the whole folder goes in."""
    _, analysis = run_spec().one("Analysis")
    resources = ROOT / "resources"
    on_disk = {
        p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert {"sources.toml", "icon.svg"} <= on_disk
    assert on_disk == bundled_names(analysis["datas"])


def test_resource_path_finds_the_bundled_files_when_frozen(
    run_spec, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Lay the datas out as PyInstaller does (in sys._MEIPASS) and look them up frozen."""
    _, analysis = run_spec().one("Analysis")
    bundle = tmp_path / "_internal"
    for source, dest in analysis["datas"]:
        if Path(dest).parts[:1] == ("resources",):
            (bundle / dest).mkdir(parents=True, exist_ok=True)
            shutil.copy(source, bundle / dest)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    for name in referenced_resources():
        found = paths.resource_path(name)
        assert found.is_relative_to(bundle), name
        expected = files_of(name, ROOT / "resources")
        assert files_of(name, bundle / "resources") == expected, name


def test_resource_path_finds_the_files_from_source() -> None:
    for name in referenced_resources():
        assert paths.resource_path(name) == ROOT / "resources" / name


def test_the_entry_script_and_hidden_imports(run_spec) -> None:
    args, analysis = run_spec().one("Analysis")
    assert args[0] == [str(PACKAGING / "launcher.py")]
    assert (PACKAGING / "launcher.py").is_file()
    # scrapers.kinds.* are imported by name at run time: PyInstaller cannot see them.
    assert "scrapers.stand_in" in analysis["hiddenimports"]
    # scrapers.http.app_version() reads the installed distribution's metadata.
    assert any(dest == f"{PROJECT['name']}.dist-info" for _, dest in analysis["datas"])


def test_one_folder_windowed_named_from_pyproject(run_spec) -> None:
    spec = run_spec("linux")
    _, exe = spec.one("EXE")
    assert exe["name"] == PROJECT["name"]
    assert exe["console"] is False
    assert exe["exclude_binaries"] is True  # one folder: the binaries go to COLLECT
    _, collect = spec.one("COLLECT")
    assert collect["name"] == PROJECT["name"]
    assert spec.namespace["VERSION"] == PROJECT["version"]
    assert "BUNDLE" not in spec.calls


def test_windows_has_the_icon_a_version_resource_and_a_console_twin(run_spec, tmp_path: Path) -> None:
    spec = run_spec("win32")
    exes = [kwargs for _, kwargs in spec.calls["EXE"]]
    assert [(e["name"], e["console"]) for e in exes] == [
        (PROJECT["name"], False),
        (f"{PROJECT['name']}-cli", True),
    ]
    for exe in exes:
        assert Path(exe["icon"]) == PACKAGING / "icons" / f"{APP_ID}.ico"
        assert Path(exe["icon"]).is_file()
        version_text = Path(exe["version"]).read_text(encoding="utf-8")
        assert "$" not in version_text
        assert f"StringStruct('ProductVersion', '{PROJECT['version']}')" in version_text
        numbers = tuple(int(n) for n in PROJECT["version"].split("."))
        assert f"filevers=({', '.join(map(str, (*numbers, 0)))})" in version_text
        ast.parse(version_text, mode="eval")  # PyInstaller eval()s the file as a Python expression


def test_macos_bundle_identifier_is_the_app_id(run_spec) -> None:
    _, bundle = run_spec("darwin").one("BUNDLE")
    assert bundle["name"] == f"{APP_NAME}.app"
    assert bundle["bundle_identifier"] == APP_ID
    assert Path(bundle["icon"]) == PACKAGING / "icons" / f"{APP_ID}.icns"
    plist = bundle["info_plist"]
    assert plist["CFBundleIdentifier"] == APP_ID
    assert plist["CFBundleShortVersionString"] == PROJECT["version"]
    assert plist["CFBundleExecutable"] == PROJECT["name"]
    assert plist["NSHighResolutionCapable"] is True


def test_the_installer_uses_the_app_id_and_the_built_folder() -> None:
    script = (PACKAGING / "windows" / "policy-tracker.iss").read_text(encoding="utf-8")
    assert f'#define AppId "{APP_ID}"' in script
    assert f'#define AppName "{APP_NAME}"' in script
    assert f'#define ExeName "{PROJECT["name"]}.exe"' in script
    assert f"dist\\{PROJECT['name']}" in script
    assert (PACKAGING / "icons" / f"{APP_ID}.ico").is_file()
