"""What each cell of the records table says, from the row `Store.page` gave and the column's
sort key: its text, the value it sorts by, its colour's name, its tooltip and what a screen
reader says. Pure functions (no widget, no store), so that the model only answers Qt's roles.

Everything shown came from a site: a cell is one line cut at CELL_CHARS (a 1 MB title laid out
in full froze the window for seconds each time its row was painted), and a tooltip is plain
text (`plain_tooltip`) or escaped HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

from db.safe_text import shown
from desktop.formatting import (
    category_label,
    date_time,
    days_left,
    days_left_text,
    money,
    plain_tooltip,
    short_date,
    status_label,
)

CELL_CHARS = 300  # what a cell or its tooltip shows of a long text (a screen's width and more)
SOON_DAYS = 14  # a deadline this close is painted in the "soon" colour

# The row field each sort key sorts by, where its name differs.
_SORT_FIELD = {
    "star": "starred",
    "source": "source_id",
    "published": "published_at",
    "deadline": "deadline_at",
    "budget": "budget_amount",
    "note": "note_first_line",
    "opens": "opens_at",
}


def cell_text(row: dict[str, Any], key: str, now: datetime | None) -> str:
    """The cell's text in the column of sort key `key`."""
    if key == "star":
        return "★" if row.get("starred") else "☆"
    if key in ("title", "tags"):
        return one_line(row.get(key))
    if key == "category":
        return category_label(row.get("category"))
    if key == "jurisdiction":
        return row.get("jurisdiction") or ""
    if key == "source":
        return one_line(row.get("source_name") or row.get("source_id"))
    if key in ("published", "deadline"):
        return short_date(row.get(f"{key}_at"))
    if key == "days_left":
        return days_left_text(days_left(row.get("deadline_at"), now=now))
    if key == "budget":
        return money(row.get("budget_amount"), row.get("budget_currency"))
    if key == "status":
        return status_label(row.get("status"))
    if key == "note":
        return one_line(row.get("note_first_line"))
    if key == "call_status":
        return call_status_label(row.get("call_status"))
    if key in ("programme", "action_type"):
        return one_line(row.get(key))
    if key == "opens":
        return short_date(row.get("opens_at"))
    return ""


def call_status_label(status: Any) -> str:
    """ "Open", "Forthcoming", "Closed" as the funder words it, with a capital."""
    text = one_line(status)
    return text[:1].upper() + text[1:]


def sort_value(row: dict[str, Any], key: str, now: datetime | None) -> Any:
    """The raw value the column sorts by (days left counted like the cell)."""
    if key == "days_left":
        return days_left(row.get("deadline_at"), now=now)
    return row.get(_SORT_FIELD.get(key, key))


def cell_colour(row: dict[str, Any], key: str, now: datetime | None) -> str | None:
    """The theme's name of the cell's text colour, or None for the usual one."""
    if key == "star":
        return "star" if row.get("starred") else "mark_off"
    if key in ("days_left", "deadline"):
        days = days_left(row.get("deadline_at"), now=now)
        if days is not None and days < 0:
            return "muted"
        if days is not None and days <= SOON_DAYS and key == "days_left":
            return "soon"
    if row.get("status") in ("done", "archived"):
        return "muted"
    return None


def cell_tooltip(
    row: dict[str, Any], key: str, snippet: Callable[[], list[tuple[str, bool]]] | None
) -> str | None:
    """The cell's tooltip; a title's has the words around the search's hits (`snippet`, given
    only while a search is typed)."""
    if key == "title":
        title = plain_tooltip(one_line(row.get("title")))
        return title if snippet is None else title + highlighted(snippet())
    if key == "deadline" and row.get("deadline_at"):
        return plain_tooltip(date_time(row.get("deadline_at")))
    if key == "tags" and row.get("tags"):
        return plain_tooltip(one_line(row.get("tags")))
    if key == "note" and row.get("note_first_line"):
        return plain_tooltip(one_line(row.get("note_first_line")))
    if key == "source":
        return plain_tooltip(one_line(row.get("source_name")))
    if key in ("programme", "action_type") and row.get(key):
        return plain_tooltip(one_line(row.get(key)))
    if key == "opens" and row.get("opens_at"):
        return plain_tooltip(date_time(row.get("opens_at")))
    return None


def spoken_text(row: dict[str, Any], key: str, header: str, now: datetime | None) -> str:
    """What a screen reader says for a cell: never nothing (an empty cell reads as a gap)."""
    if key == "star":
        return "Starred" if row.get("starred") else "Not starred"
    return cell_text(row, key, now) or f"No {header.lower()}"


def highlighted(pieces: list[tuple[str, bool]]) -> str:
    """The search's hits in bold, as a tooltip paragraph: every piece escaped (control
    characters shown as escapes, then HTML), so a title or text can never inject markup."""
    if not pieces:
        return ""
    escaped = ((html.escape(shown(text, limit=CELL_CHARS)), hit) for text, hit in pieces)
    body = "".join(f"<b>{text}</b>" if hit else text for text, hit in escaped)
    return f"<p>{body}</p>"


def one_line(text: Any) -> str:
    """A cell's text on one line, cut at CELL_CHARS."""
    value = str(text or "")
    line = " ".join(value[: CELL_CHARS * 4].split())
    return line if len(line) <= CELL_CHARS and len(value) <= CELL_CHARS * 4 else line[: CELL_CHARS - 1] + "…"
