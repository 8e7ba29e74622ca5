"""Every keyboard shortcut in one table: the actions, their tooltips and Help → Shortcuts use it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    action: str  # the action's name in MainWindow.actions
    keys: tuple[str, ...]  # QKeySequence strings, first is the one shown in menus
    text: str  # what it does, as the menu and tooltip say it
    table_only: bool = False  # a bare key that must not fire while typing in a text field
    also: tuple[str, ...] = ()  # keys the table already handles itself, listed for the reader


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next", ("J",), "Next record", table_only=True, also=("Down",)),
    Shortcut("previous", ("K",), "Previous record", table_only=True, also=("Up",)),
    Shortcut("star", ("Space", "S"), "Star or unstar the selected records", table_only=True),
    Shortcut(
        "follow",
        ("F",),
        "Follow or unfollow the selected calls (the Followed view, by deadline; the calendar export)",
        table_only=True,
    ),
    Shortcut("archive", ("E",), "Archive the selected records (again to restore)", table_only=True),
    Shortcut("status_new", ("1",), "Mark as New", table_only=True),
    Shortcut("status_reviewing", ("2",), "Mark as Reviewing", table_only=True),
    Shortcut("status_done", ("3",), "Mark as Done", table_only=True),
    Shortcut("status_archived", ("4",), "Mark as Archived", table_only=True),
    Shortcut("tag", ("T",), "Add tags to the selected records (Enter adds, Esc goes back)", table_only=True),
    Shortcut("note", ("N",), "Write a note on the record", table_only=True),
    Shortcut("open", ("Return", "Enter"), "Open the original page in the browser", table_only=True),
    Shortcut("mark_unread", ("U",), "Mark the selected records unread", table_only=True),
    Shortcut("mark_all_read", ("Shift+R",), "Mark every record in this view read", table_only=True),
    Shortcut("copy_link", ("Ctrl+C",), "Copy the links of the selected records", table_only=True),
    Shortcut("copy_citation", ("Ctrl+Shift+C",), "Copy the selected records as citations", table_only=True),
    Shortcut("undo", ("Ctrl+Z",), "Undo the last change to records (star, status, tags, import)"),
    Shortcut("focus_sidebar", ("Ctrl+1",), "Go to the list of views, sources and tags"),
    Shortcut("focus_table", ("Ctrl+2",), "Go to the records (also Enter, J or K in the list)"),
    Shortcut("next_pane", ("F6",), "Go to the next pane: views, search and filters, records, details"),
    Shortcut("previous_pane", ("Shift+F6",), "Go to the previous pane"),
    Shortcut("toggle_detail", ("Ctrl+\\", "F9"), "Hide or show the details pane (the records get its width)"),
    Shortcut("refresh", ("Ctrl+R", "F5"), "Refresh: fetch every enabled source"),
    Shortcut("search", ("Ctrl+F",), "Search the full text of every record"),
    Shortcut("clear_search", ("Esc",), "Clear the search and filters"),
    Shortcut("export", ("Ctrl+E",), "Export the current view to CSV"),
    Shortcut("import", ("Ctrl+I",), "Import records from CSV"),
    Shortcut("brief", ("Ctrl+B",), "Write a brief of the selected records, a tag or the view"),
    Shortcut("sources", ("Ctrl+Shift+S",), "Sources: health, enable, add a feed"),
    Shortcut("manage_tags", ("Ctrl+Shift+T",), "Tags: rename, merge, colour or delete a tag"),
    Shortcut("settings", ("Ctrl+,",), "Settings"),
    Shortcut("shortcuts", ("F1",), "Keyboard shortcuts"),
    Shortcut("quit", ("Ctrl+Q",), "Quit"),
)

BY_ACTION = {shortcut.action: shortcut for shortcut in SHORTCUTS}


def keys_label(keys: tuple[str, ...]) -> str:
    """ "Space or S", "Ctrl+R or F5" — the form tooltips and the help list show."""
    names = {"Return": "Enter", "Esc": "Esc", "Down": "↓", "Up": "↑"}
    shown: list[str] = []
    for key in keys:
        name = names.get(key, key)
        if name not in shown:
            shown.append(name)
    return " or ".join(shown)


def tooltip(action: str) -> str:
    shortcut = BY_ACTION[action]
    return f"{shortcut.text} ({keys_label(shortcut.keys + shortcut.also)})"
