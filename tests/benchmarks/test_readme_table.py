"""The README's benchmark tables are written from run.py's JSON by benchmarks/readme_table.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import readme_table

REPORT = {
    "records": 10000,
    "runs": 5,
    "seconds": 42.0,
    "machine": {
        "nproc": 2,
        "cpu": "AMD EPYC",
        "ram_gb": 23.5,
        "disk": "/dev/vda (ext4 on /)",
        "load_at_start": 2.5,
        "load_at_end": 3.1,
        "os": "Linux-6.18",
        "python": "3.11.7",
        "sqlite": "3.40.1",
        "qt": "6.11.3",
    },
    "build": {"reused": "/tmp/store.sqlite"},
    "rows": [
        {
            "key": "sort.title.asc",
            "label": "Sort by Title ↑",
            "ui_ms": 27.61,
            "app_ms": 1.04,
            "bare_ms": 0.5,
            "ratio": 2.08,
            "target": "UI < 100 ms, ≤ 3× bare",
            "met": True,
        },
        {
            "key": "stall.type.the.400",
            "label": "Stall typing “the” at 400 ms a key",
            "ui_ms": 1234.5,
            "app_ms": None,
            "bare_ms": None,
            "ratio": None,
            "target": "stall < 50 ms",
            "met": False,
        },
        {
            "key": "size.record",
            "label": "Store size: 35 MB",
            "ui_ms": None,
            "app_ms": None,
            "bare_ms": None,
            "ratio": None,
            "target": "",
            "met": None,
        },
    ],
}

README = """# Benchmarks

## Results

<!-- results 10000 -->
### 10,000 records

old figures typed by hand
<!-- /results 10000 -->

<!-- /results -->

## Left
"""


def test_the_table_holds_each_row_with_its_figures_target_and_verdict() -> None:
    text = readme_table.render(REPORT)
    assert "| Sort by Title ↑ | 27.6 | 1.0 | 0.5 | 2.08 | UI < 100 ms, ≤ 3× bare | yes |" in text
    assert "| Stall typing “the” at 400 ms a key | 1,234.5 |  |  |  | stall < 50 ms | **no** |" in text
    assert "| Store size: 35 MB |  |  |  |  |  |  |" in text
    assert "1 of 2 targets missed. Run time 42 s." in text
    assert "2 × AMD EPYC, 23.5 GB RAM; disk: /dev/vda (ext4 on /)" in text and "SQLite 3.40.1" in text
    assert "load average 2.5 at the start, 3.1 at the end" in text


def test_update_replaces_only_the_block_of_that_size() -> None:
    updated = readme_table.update(README, REPORT)
    assert "old figures typed by hand" not in updated
    assert updated.count("<!-- results 10000 -->") == 1 and "| Sort by Title ↑ | 27.6 |" in updated
    assert updated.startswith("# Benchmarks\n\n## Results\n\n")
    assert updated.endswith("<!-- /results -->\n\n## Left\n")
    assert readme_table.update(updated, REPORT) == updated  # regenerating is stable


def test_a_new_size_goes_before_the_end_marker() -> None:
    updated = readme_table.update(README, {**REPORT, "records": 100000})
    assert updated.index("<!-- /results 10000 -->") < updated.index("### 100,000 records")
    assert updated.index("<!-- /results 100000 -->") < updated.index("<!-- /results -->")


def test_a_readme_without_markers_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    readme, report = tmp_path / "README.md", tmp_path / "bench.json"
    readme.write_text("# Benchmarks\n\nno markers\n", encoding="utf-8")
    report.write_text(json.dumps(REPORT), encoding="utf-8")
    assert readme_table.main([str(report), "--readme", str(readme)]) == 1
    assert readme.read_text(encoding="utf-8") == "# Benchmarks\n\nno markers\n"
    with pytest.raises(ValueError, match="nowhere to write the table"):
        readme_table.update("no markers", REPORT)


def test_the_command_writes_the_readme_from_the_json(tmp_path: Path) -> None:
    readme, report = tmp_path / "README.md", tmp_path / "bench.json"
    readme.write_text(README, encoding="utf-8")
    report.write_text(json.dumps(REPORT), encoding="utf-8")
    assert readme_table.main([str(report), "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == readme_table.update(README, REPORT)
