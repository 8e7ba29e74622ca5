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
    change_text,
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
MOVED_MARK = "↻"  # after a deadline or budget a refresh changed (its tooltip says from what)

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
    if key == "published":
        return short_date(row.get("published_at"), row.get("jurisdiction"))
    if key == "deadline":
        return _marked(short_date(row.get("deadline_at"), row.get("jurisdiction")), row, "deadline")
    if key == "days_left":
        return days_left_text(_days_left(row, now))
    if key == "budget":
        return _marked(money(row.get("budget_amount"), row.get("budget_currency")), row, "budget")
    if key == "what_changed":
        return what_changed(row)
    if key == "status":
        return status_label(row.get("status"))
    if key == "note":
        return one_line(row.get("note_first_line"))
    if key == "call_status":
        return call_status_label(row.get("call_status"))
    if key in ("programme", "action_type"):
        return one_line(row.get(key))
    if key == "opens":
        return short_date(row.get("opens_at"), row.get("jurisdiction"))
    return ""


def call_status_label(status: Any) -> str:
    """ "Open", "Forthcoming", "Closed" as the funder words it, with a capital."""
    text = one_line(status)
    return text[:1].upper() + text[1:]


def sort_value(row: dict[str, Any], key: str, now: datetime | None) -> Any:
    """The raw value the column sorts by (days left counted like the cell)."""
    if key == "days_left":
        return _days_left(row, now)
    return row.get(_SORT_FIELD.get(key, key))


def cell_colour(row: dict[str, Any], key: str, now: datetime | None) -> str | None:
    """The theme's name of the cell's text colour, or None for the usual one."""
    if key == "star":
        return "star" if row.get("starred") else "mark_off"
    if key in ("days_left", "deadline"):
        days = _days_left(row, now)
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
        lines = [date_time(row.get("deadline_at"), row.get("jurisdiction")), _moved_line(row, "deadline")]
        return plain_tooltip("\n".join(line for line in lines if line))
    if key == "budget" and _moved(row, "budget"):
        return plain_tooltip(_moved_line(row, "budget"))
    if key == "what_changed" and row.get("changes_since_read"):
        return plain_tooltip(what_changed(row, limit=None))
    if key == "tags" and row.get("tags"):
        return plain_tooltip(one_line(row.get("tags")))
    if key == "note" and row.get("note_first_line"):
        return plain_tooltip(one_line(row.get("note_first_line")))
    if key == "source":
        return plain_tooltip(one_line(row.get("source_name")))
    if key in ("programme", "action_type") and row.get(key):
        return plain_tooltip(one_line(row.get(key)))
    if key == "opens" and row.get("opens_at"):
        return plain_tooltip(date_time(row.get("opens_at"), row.get("jurisdiction")))
    return None


def spoken_text(row: dict[str, Any], key: str, header: str, now: datetime | None) -> str:
    """What a screen reader says for a cell: never nothing (an empty cell reads as a gap)."""
    if key == "star":
        return "Starred" if row.get("starred") else "Not starred"
    if key == "what_changed" and not row.get("changes_since_read"):
        return "Nothing changed since you last read it"
    if key in ("deadline", "budget") and _moved(row, key):
        shown_now = cell_text(row, key, now).removesuffix(f" {MOVED_MARK}")
        return f"{shown_now or f'No {header.lower()}'}, {_moved_words(key)} from {_was(row, key, full=False)}"
    return cell_text(row, key, now) or f"No {header.lower()}"


def what_changed(row: dict[str, Any], limit: int | None = CELL_CHARS) -> str:
    """What refreshes changed since the user last read the record, in words: "Deadline
    21 Jan → 18 Feb 2027; budget €2,000,000 → €3,000,000" (db.changes.add_previous_values)."""
    said = "; ".join(
        change_text(name, old, new, currency=row.get("budget_currency"))
        for name, old, new in row.get("changes_since_read") or ()
    )
    said = shown(said[:1].upper() + said[1:], limit=CELL_CHARS * 4)  # a title's change is site text
    return said if limit is None else one_line(said)


def _days_left(row: dict[str, Any], now: datetime | None) -> int | None:
    return days_left(row.get("deadline_at"), row.get("jurisdiction"), now=now)


def _moved(row: dict[str, Any], key: str) -> bool:
    """Whether a refresh changed this deadline or budget (`Store.page` says from what)."""
    return bool(row.get(f"{key}_moved_at"))


def _marked(text: str, row: dict[str, Any], key: str) -> str:
    return f"{text} {MOVED_MARK}".strip() if _moved(row, key) else text


def _moved_words(key: str) -> str:
    return "moved" if key == "deadline" else "changed"


def _was(row: dict[str, Any], key: str, full: bool = True) -> str:
    """The value before the last refresh that changed it: a deadline with its time (`full`,
    as the tooltip gives the deadline itself) or its day (as the cell does)."""
    if key == "deadline":
        shown_as = date_time if full else short_date
        return shown_as(row.get("deadline_was"), row.get("jurisdiction")) or "no deadline"
    return money(row.get("budget_was"), row.get("budget_currency")) or "no budget"


def _moved_line(row: dict[str, Any], key: str) -> str:
    """ "Moved from 21 Jan 2027 on 3 Dec" for the tooltip; empty when nothing moved."""
    if not _moved(row, key):
        return ""
    on = short_date(row.get(f"{key}_moved_at"))
    return f"{_moved_words(key).capitalize()} from {_was(row, key)} on {on}"


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
