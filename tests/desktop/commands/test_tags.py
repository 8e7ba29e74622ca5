"""`policy-tracker tags`: the list, a rename, a merge and a delete that say what they would do
without --yes and change nothing, a colour, and bad input with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.store import Store
from desktop.cli import main
from tests.db.helpers import item, user_data


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POLICY_TRACKER_HOME", str(tmp_path / "home"))
    path = tmp_path / "tracker.sqlite3"
    with Store.open(path) as store:
        store.save_announcements("src", [item(n) for n in range(1, 5)])
        store.add_tag([1, 2, 3], "ai")
        store.add_tag([3, 4], "Compute")
        store.set_tag_colour("Compute", "teal")
    return path


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "tags", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _state(db: Path) -> list[object]:
    with Store.open(db) as store:
        return [*user_data(store), *store.tags()]


def test_the_list_has_every_tag_its_records_and_colour(db: Path, capsys) -> None:
    assert _run(db, capsys) == (0, "ai\t3\t\nCompute\t2\tteal\n", "")


def test_a_rename_and_a_merge_that_asks_for_yes(db: Path, capsys) -> None:
    assert _run(db, capsys, "--rename", "AI", "AI policy")[:2] == (
        0,
        "Renamed the tag “ai” to “AI policy” (3 records).\n",
    )
    before = _state(db)
    code, out, _err = _run(db, capsys, "--rename", "AI policy", "compute")
    assert code == 2 and "would merge “AI policy” into “Compute”: 3 records (1 already carry both)" in out
    assert _state(db) == before
    assert _run(db, capsys, "--rename", "AI policy", "compute", "--yes")[0] == 0
    assert _run(db, capsys)[1] == "Compute\t4\tteal\n"


def test_a_delete_asks_for_yes_then_deletes(db: Path, capsys) -> None:
    before = _state(db)
    code, out, _err = _run(db, capsys, "--delete", "ai")
    assert (code, _state(db)) == (2, before) and "would remove the tag “ai” from 3 records" in out
    assert _run(db, capsys, "--delete", "ai", "--yes")[:2] == (
        0,
        "deleted the tag “ai” (3 records untagged)\n",
    )
    assert _run(db, capsys)[1] == "Compute\t2\tteal\n"


def test_a_colour_and_none(db: Path, capsys) -> None:
    assert _run(db, capsys, "--colour", "ai", "Pink")[0] == 0
    assert _run(db, capsys, "--colour", "compute", "none")[0] == 0
    assert _run(db, capsys)[1] == "ai\t3\tpink\nCompute\t2\t\n"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--rename", "gone", "x"), "there is no tag “gone”"),
        (("--rename", "ai", "bad\x1b[2J"), "control characters"),
        (("--rename", "ai", "a;b"), "cannot contain ';'"),
        (("--colour", "ai", "magenta"), "unknown tag colour"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(db: Path, capsys, args, reason) -> None:
    before = _state(db)
    code, _out, err = _run(db, capsys, *args)
    assert code == 2 and reason in err and "\x1b" not in err
    assert _state(db) == before
