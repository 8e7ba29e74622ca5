"""A record as a one-line citation to paste into an email or a brief.

"Title. Source, 3 March 2026. URL": the title as the site gave it (on one line, without a second
full stop), the source that published it, the day it was published in the user's time zone and
the link (only an http(s) one). A part the record does not have is left out, with its comma or
full stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.briefs.model import one_line, web_address
from desktop.formatting import long_date


def citation(record: Mapping[str, Any]) -> str:
    """The citation of `record` (a dict as `Store.record` or `Store.page` gives it)."""
    title = one_line(record.get("title")) or "(untitled)"
    names = record.get("source_names") or [record.get("source_name") or record.get("source_id")]
    source = ", ".join(one_line(n) for n in names if n and one_line(n))
    published = long_date(record.get("published_at"))
    where = ", ".join(part for part in (source, published) if part)
    parts = [title if title.endswith((".", "?", "!")) else f"{title}."]
    if where:
        parts.append(f"{where}.")
    link = web_address(record.get("url"))
    if link:
        parts.append(link)
    return " ".join(parts)
