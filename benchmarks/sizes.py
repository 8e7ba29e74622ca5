"""The store's size: per record, each table and index (SQLite's `dbstat`), the per-source digests.

An index's pages are what dropping it would give back (after a VACUUM): `dbstat` counts them
exactly, so no index is dropped to measure it. Which of the app's statements need it comes
from SQLite's plans of them (benchmarks/index_audit.py); what each index is for is in
db/schema.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from benchmarks.index_audit import audit, summary
from benchmarks.measure import Row, bare_connection

# The tables that grow with the records; the others (sources, tags, migrations) stay a few pages.
PER_RECORD_TABLES = ("records", "record_sources", "record_tags", "record_versions")


def measure(path: Path) -> tuple[list[Row], dict[str, Any]]:
    """Rows for the table (informational: no target) and every object's size for the JSON."""
    conn = bare_connection(path)
    try:
        records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        file_bytes = path.stat().st_size
        objects = conn.execute(
            "SELECT d.name, m.type, m.tbl_name, sum(d.pgsize) FROM dbstat d"
            " LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY d.name ORDER BY 4 DESC"
        ).fetchall()
        digests = int(conn.execute("SELECT coalesce(sum(length(said)), 0) FROM record_sources").fetchone()[0])
        links = int(conn.execute("SELECT count(*) FROM record_sources").fetchone()[0])
    except sqlite3.OperationalError as exc:  # a SQLite built without dbstat
        return [Row("size.unavailable", f"Store size: not measured ({exc})", None)], {}
    finally:
        conn.close()
    indexes = [
        (name, table, size)
        for name, kind, table, size in objects
        if kind == "index" and table in PER_RECORD_TABLES
    ]
    index_bytes = sum(size for _n, _t, size in indexes)
    per = max(records, 1)
    rows = [
        Row(
            "size.record",
            f"Store size: {file_bytes / 1e6:,.0f} MB, {file_bytes / per:,.0f} bytes a record;"
            f" {len(indexes)} indexes {index_bytes / 1e6:,.0f} MB"
            f" ({100 * index_bytes / file_bytes:.0f} % of the file)",
            None,
            extra={"file_bytes": file_bytes, "records": records, "index_bytes": index_bytes},
        ),
        Row(
            "size.digests",
            f"Per-source digests (record_sources.said): {digests / 1e6:,.0f} MB in {links:,} links"
            f" ({digests / per:,.0f} bytes a record)",
            None,
            extra={"bytes": digests, "links": links},
        ),
    ]
    users = audit(path)
    for name, table, size in indexes:
        used_by = users.get(name, [])
        unique = name.startswith("sqlite_autoindex") and not used_by
        use = "a UNIQUE constraint's" if unique else summary(used_by)
        rows.append(
            Row(
                f"size.index.{name}",
                f"Index {name} on {table}: dropping it saves {size / 1e6:,.1f} MB"
                f" ({size / per:,.0f} bytes a record); {use}",
                None,
                extra={"bytes": size, "used_by": len(used_by), "examples": used_by[:5]},
            )
        )
    figures = {"objects": {name: size for name, _k, _t, size in objects}, "digest_bytes": digests}
    return rows, figures
