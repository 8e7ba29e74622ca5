"""Build the desktop bundle for this platform with PyInstaller, then smoke-test what was built.

    .venv/bin/python -m pip install -e ".[packaging]"     # PyInstaller
    .venv/bin/python packaging/build.py                    # build dist/ and smoke-test it
    .venv/bin/python packaging/build.py --installer        # ... and wrap it for distribution

The smoke test runs the built executable (never the source tree) with POLICY_TRACKER_HOME, HOME
and the platform's user folders pointed at a temporary directory, and checks that it answers
`--version` and `sources` (listing the bundled default sources) on a fresh store, reports a bad
argument in one line, opens its window (offscreen) without dying, writes only to its data
directory, and leaves the bundle itself untouched. Exit status 0 when all of that holds.

`--installer` then makes: Linux, a .tar.gz with the bundle, the freedesktop files and
install.sh; Windows, the Inno Setup installer (needs ISCC.exe); macOS, a .dmg (hdiutil).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
SPEC = PACKAGING / "policy-tracker.spec"
WINDOW_SECONDS = 8.0  # how long the window must stay up in the smoke test

sys.path.insert(0, str(ROOT))
from desktop.paths import APP_ID, APP_NAME  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME, VERSION = PROJECT["name"], PROJECT["version"]


class SmokeFailure(Exception):
    """The built bundle does not behave."""


def bundle_dir() -> Path:
    """What PyInstaller produced: the one folder, or on macOS the .app around it."""
    return DIST / f"{APP_NAME}.app" if sys.platform == "darwin" else DIST / NAME


def executable(*, console: bool) -> Path:
    """The built program; on Windows `console` picks the console twin that can print."""
    if sys.platform == "win32":
        return DIST / NAME / (f"{NAME}-cli.exe" if console else f"{NAME}.exe")
    if sys.platform == "darwin":
        return bundle_dir() / "Contents" / "MacOS" / NAME
    return DIST / NAME / NAME


def build(clean: bool) -> float:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('PyInstaller is not installed here: run  python -m pip install -e ".[packaging]"')
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]  # fmt: skip
    if clean:
        command.insert(3, "--clean")
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.monotonic() - started


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def snapshot(path: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in path.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*") if p.is_file()}


def isolated_env(tmp: Path) -> dict[str, str]:
    """The user's folders, all inside tmp: the bundle must not touch the real ones."""
    home = tmp / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "PYTHON"))}
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_RUNTIME_DIR=str(tmp / "runtime"),
        POLICY_TRACKER_HOME=str(tmp / "data"),
        QT_QPA_PLATFORM="offscreen",
    )
    for folder in ("home", "runtime"):
        (tmp / folder).mkdir(mode=0o700)
    return env


def run(command: list[str], env: dict[str, str], expect: int = 0) -> str:
    shown = " ".join([Path(command[0]).name, *command[1:]])
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    output = result.stdout + result.stderr
    print(f"$ {shown}  -> exit {result.returncode}")
    print("  " + output.strip().replace("\n", "\n  "))
    if result.returncode != expect:
        raise SmokeFailure(f"`{shown}` exited {result.returncode}, expected {expect}")
    if "Traceback" in output:
        raise SmokeFailure(f"`{shown}` printed a traceback")
    return result.stdout


def default_source_ids() -> list[str]:
    sources = tomllib.loads((ROOT / "resources" / "sources.toml").read_text(encoding="utf-8"))
    return [source["id"] for source in sources["source"]]


def smoke() -> list[str]:
    """Run the checks of the module docstring; returns warnings (failures raise SmokeFailure)."""
    cli, gui = executable(console=True), executable(console=False)
    if not cli.exists():
        raise SmokeFailure(f"{cli} was not built")
    warnings: list[str] = []
    before = snapshot(bundle_dir())
    with tempfile.TemporaryDirectory(prefix="policy-tracker-smoke-") as name:
        tmp = Path(name)
        env = isolated_env(tmp)
        data = tmp / "data"

        version = run([str(cli), "--version"], env).strip()
        if version != f"{NAME} {VERSION}":
            raise SmokeFailure(f"--version said {version!r}, expected {NAME} {VERSION!r}")

        listing = run([str(cli), "sources"], env)
        missing = [sid for sid in default_source_ids() if f"\n{sid} [" not in f"\n{listing}"]
        if missing:
            raise SmokeFailure(f"`sources` did not list the bundled sources {missing}")
        first = listing.splitlines()[0]
        if str(bundle_dir()) not in first or "resources" not in first:
            raise SmokeFailure(f"`sources` did not read the bundled sources file: {first!r}")
        if "never fetched" not in listing:
            raise SmokeFailure("`sources` on a fresh store should say the sources were never fetched")

        run([str(cli), "fetch", "--only", "no-such-source"], env, expect=2)

        if (data / "policy-tracker.sqlite3").exists():
            raise SmokeFailure(f"`sources` and a refused `fetch` created a store in {data}: they only read")
        if not (data / "logs" / "policy-tracker.log").is_file():
            raise SmokeFailure("no log file was written in the data directory's logs/")
        outside = sorted(str(p.relative_to(tmp)) for p in files_under(tmp) - files_under(data))
        if outside:
            raise SmokeFailure(f"the commands wrote outside the data directory: {outside}")

        warnings += smoke_window(gui, env, tmp)

    changed = sorted(set(snapshot(bundle_dir()).items()) ^ set(before.items()))
    if changed:
        raise SmokeFailure(f"running the app changed its own bundle: {sorted({c[0] for c in changed})}")
    return warnings


def smoke_window(gui: Path, env: dict[str, str], tmp: Path) -> list[str]:
    """Start the window offscreen; it must stay up and log no error. Returns warnings."""
    data = tmp / "data"
    print(f"$ {gui.name}  (the window, offscreen, for {WINDOW_SECONDS:.0f} s)")
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen([str(gui)], env=env, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WINDOW_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        exited = process.poll()
        if exited is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output.seek(0)
        text = output.read().decode("utf-8", "replace").strip()
    if text:
        print("  " + text.replace("\n", "\n  "))
    log = data / "logs" / "policy-tracker.log"
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if exited is not None:
        raise SmokeFailure(f"the window exited by itself with status {exited}:\n{text}\n{log_text[-3000:]}")
    if "Traceback" in text or " CRITICAL " in log_text or " ERROR " in log_text:
        raise SmokeFailure(f"the window logged an error:\n{text}\n{log_text[-3000:]}")
    print(f"  still running after {WINDOW_SECONDS:.0f} s: stopped it")
    outside = sorted(str(p.relative_to(tmp)) for p in files_under(tmp) - files_under(data))
    # Qt keeps its settings (QSettings) and caches in the platform's usual user folders.
    if outside:
        return [f"the window wrote outside the data directory: {outside}"]
    return []


def linux_archive() -> Path:
    """dist/policy-tracker-<version>-linux-<arch>.tar.gz: the bundle, freedesktop files, install.sh."""
    top = f"{NAME}-{VERSION}-linux-{os.uname().machine}"
    target = DIST / f"{top}.tar.gz"
    linux = PACKAGING / "linux"
    icons = PACKAGING / "icons" / "hicolor"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(DIST / NAME, f"{top}/{NAME}")
        archive.add(linux / f"{APP_ID}.desktop", f"{top}/share/applications/{APP_ID}.desktop")
        archive.add(linux / f"{APP_ID}.metainfo.xml", f"{top}/share/metainfo/{APP_ID}.metainfo.xml")
        archive.add(icons, f"{top}/share/icons/hicolor")
        archive.add(linux / "install.sh", f"{top}/install.sh")
    return target


def windows_installer() -> Path:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    program_files = os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")
    default = Path(program_files) / "Inno Setup 6" / "ISCC.exe"
    if iscc is None and default.exists():
        iscc = str(default)
    if iscc is None:
        sys.exit("Inno Setup's ISCC.exe was not found: install Inno Setup 6.3 or later, or put it on PATH")
    subprocess.run([iscc, f"/DAppVersion={VERSION}", str(PACKAGING / "windows" / "policy-tracker.iss")],
                   check=True)  # fmt: skip
    return DIST / f"{NAME}-{VERSION}-setup.exe"


def macos_dmg() -> Path:
    target = DIST / f"{NAME}-{VERSION}-macos.dmg"
    subprocess.run(["hdiutil", "create", "-volname", APP_NAME, "-srcfolder", str(bundle_dir()),
                    "-ov", "-format", "UDZO", str(target)], check=True)  # fmt: skip
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="smoke-test the bundle already in dist/")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--installer", action="store_true", help="also make this platform's installer")
    args = parser.parse_args()

    if not args.no_build:
        seconds = build(args.clean)
        print(f"built {bundle_dir().relative_to(ROOT)} in {seconds:.0f} s, "
              f"{tree_size(bundle_dir()) / 1e6:.0f} MB")  # fmt: skip
    if not args.no_smoke:
        try:
            warnings = smoke()
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
            return 1
        for warning in warnings:
            print(f"warning: {warning}")
        print("smoke test passed")
    if args.installer:
        maker = {"win32": windows_installer, "darwin": macos_dmg}.get(sys.platform, linux_archive)
        made = maker()
        print(f"made {made.relative_to(ROOT)} ({made.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
