"""The sidebar's watchlists: their counts, choosing one, and creating, editing, deleting them.

Counting every watchlist is a search each, so it runs on a worker with its own Store, like
the sidebar's other counts, coalesced while one runs. Choosing a watchlist shows its query
(`Store.watchlist_query`) narrowed by whatever the filter bar says, and marks it seen: what is
"new" is what arrived since the user last looked (db/watchlists.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from db.store import Query, Store, StoreError, Watchlist, WatchlistCount
from desktop.sidebar_data import SidebarData, read_sidebar_data
from desktop.ui.dialogs.watchlist_dialog import WatchlistDialog
from desktop.ui.store_guard import failure_text
from desktop.ui.views.filter_bar import Filters
from desktop.ui.views.main_window import MainWindow
from desktop.ui.views.sidebar import SOURCE, TAG, WATCHLIST
from desktop.ui.worker import CoalescingJob

logger = logging.getLogger(__name__)

Counted = list[tuple[Watchlist, WatchlistCount]]


def read_watchlists(db_path: Path) -> Counted:
    """Runs in a worker: every watchlist with its matches and new matches."""
    store = Store.open(db_path)
    try:
        counts = store.watchlist_counts()
        return [(w, counts.get(w.id or 0, WatchlistCount(0, 0))) for w in store.watchlists()]
    finally:
        store.close()


def narrowed(base: Query, filters: Filters) -> Query:
    """The watchlist's query with the filter bar on top: its words and the search both
    (every term of each), a filter set in the bar for what the watchlist leaves open."""
    search = " ".join(part for part in (base.search.strip(), filters.search.strip()) if part)
    return replace(
        base,
        search=f"{search} " if base.search and not filters.search else search,
        category=base.category or filters.category,
        jurisdiction=base.jurisdiction or filters.jurisdiction,
        status=base.status or filters.status,
        tag=base.tag or filters.tag,
        date_from=filters.date_from,
        date_to=filters.date_to,
        **filters.facets(),
    )


class WatchlistsController(QObject):
    """Emits `status(text)` for the status line, `shown_changed()` when the watchlist on
    screen was edited or deleted (the table should be asked again), and `counted()` after
    each new set of counts."""

    status = Signal(str)
    shown_changed = Signal()
    counted = Signal()

    def __init__(self, window: MainWindow, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._store = store
        self.by_id: dict[str, Watchlist] = {}
        self.counts: dict[str, WatchlistCount] = {}
        # The sources, categories, jurisdictions and tags the sidebar last read on a worker
        # (CountsController.latest): reading them for the dialog took 330 ms at a million records.
        self.sidebar_data: Callable[[], SidebarData | None] = lambda: None
        self._job = CoalescingJob(
            read_watchlists, store.path, on_result=self._on_counted, on_error=self._on_error
        )
        self.new_action = QAction("&New Watchlist…", window)
        self.new_action.setStatusTip("Save the current search and filters as a watchlist")
        self.new_action.triggered.connect(self.create)
        self.edit_action = QAction("&Edit Watchlist…", window)
        self.edit_action.setStatusTip("Change or delete the watchlist shown")
        self.edit_action.setEnabled(False)
        self.edit_action.triggered.connect(self._edit_shown)
        window.view_menu.addSeparator()
        window.view_menu.addActions([self.new_action, self.edit_action])
        window.sidebar.edit_watchlist.connect(self.edit)
        window.sidebar.watchlist_menu.connect(lambda value, at: self.menu_for(value).popup(at))
        window.sidebar.chosen.connect(self._on_chosen)
        self._shown: str | None = None
        self.load()

    def load(self) -> None:
        """The watchlists' names at once (a small table), so that the sidebar lists them and a
        remembered choice can be shown, with the counts kept in the store (a few small reads,
        nothing counted: db/kept_counts.py); the others follow from `refresh_counts`."""
        try:
            found = self._store.watchlists()
            kept = self._store.watchlist_counts(counting=False)
        except StoreError as exc:
            self.status.emit(failure_text("Could not read the watchlists", exc))
            return
        self.by_id = {str(w.id): w for w in found}
        rows = []
        for w in found:
            count = kept.get(w.id or 0)
            rows.append((w.id or 0, w.name, *((count.total, count.new) if count else (None, None))))
        self._window.sidebar.set_watchlists(rows)

    # -- counts ------------------------------------------------------------------------------

    def refresh_counts(self) -> None:
        self._job.start()

    def _on_counted(self, rows: Counted) -> None:
        self.by_id = {str(w.id): w for w, _count in rows}
        self.counts = {str(w.id): count for w, count in rows}
        if self._shown is not None and self._shown in self.counts:  # on screen: nothing is new
            self.counts[self._shown] = replace(self.counts[self._shown], new=0)
        self._window.sidebar.set_watchlists(
            [(w.id or 0, w.name, self.counts[str(w.id)].total, self.counts[str(w.id)].new) for w, _ in rows]
        )
        if self._shown is not None and self._shown not in self.by_id:  # deleted elsewhere
            self._shown = None
            self.shown_changed.emit()
        self.counted.emit()

    def _on_error(self, message: str) -> None:
        self.status.emit(failure_text("Could not count the watchlists", message))

    # -- showing one -------------------------------------------------------------------------

    def query_for(self, value: str, filters: Filters) -> Query | None:
        """The rows to show for the watchlist `value` under `filters`; None if it is gone."""
        watchlist = self.by_id.get(value)
        if watchlist is None:
            return None
        return narrowed(self._store.watchlist_query(watchlist), filters)

    def name_of(self, value: str) -> str:
        watchlist = self.by_id.get(value)
        return watchlist.name if watchlist is not None else ""

    def _on_chosen(self, kind: str, value: str) -> None:
        self._shown = value if kind == WATCHLIST else None
        self.edit_action.setEnabled(self._shown is not None)
        if self._shown is None or value not in self.by_id:
            return
        self.mark_seen(value)

    def mark_seen(self, value: str) -> None:
        """The user is looking at the watchlist: none of its matches is new any more."""
        try:
            self._store.mark_watchlist_seen(int(value))
        except StoreError as exc:
            logger.info("watchlist %s not marked seen: %s", value, exc)
            return
        count = self.counts.get(value)
        if count is not None and count.new:
            self.counts[value] = replace(count, new=0)
            self._window.sidebar.set_watchlist_count(value, count.total, 0)

    # -- creating and editing ----------------------------------------------------------------

    def create(self) -> WatchlistDialog:
        """A new watchlist, filled in from what the table shows now (search, filters, scope)."""
        filters = self._window.filter_bar.filters()
        choice = self._window.sidebar.current_choice() or ("", "")
        draft = Watchlist(
            id=None,
            name=filters.search.strip()[:80],
            words=filters.search.strip(),
            source_id=choice[1] if choice[0] == SOURCE else None,
            category=filters.category,
            jurisdiction=filters.jurisdiction,
            status=filters.status,
            tag=filters.tag or (choice[1] if choice[0] == TAG else None),
        )
        return self._open(draft, editing=False)

    def menu_for(self, value: str) -> QMenu:
        """The right-click menu of the watchlist `value` ("": of the section): edit it, or make
        a new one."""
        menu = QMenu(self._window)
        if value in self.by_id:
            edit = menu.addAction(f"Edit “{self.by_id[value].name}”…")
            edit.triggered.connect(lambda: self.edit(value))
        menu.addAction(self.new_action)
        return menu

    def edit(self, value: str) -> WatchlistDialog | None:
        watchlist = self.by_id.get(value)
        if watchlist is None:
            return None
        return self._open(watchlist, editing=True)

    def _edit_shown(self) -> None:
        if self._shown is not None:
            self.edit(self._shown)

    def _open(self, watchlist: Watchlist, *, editing: bool) -> WatchlistDialog:
        data = self.sidebar_data()
        if data is None:  # the sidebar's first read has not landed: read it here, this once
            try:
                data = read_sidebar_data(self._store.path)
            except StoreError as exc:  # the dialog still opens; its lists are just shorter
                logger.info("watchlist dialog without choices: %s", exc)
        sources = [(str(r["id"]), str(r.get("name") or r["id"])) for r in data.sources] if data else []
        categories, jurisdictions = (data.categories, data.jurisdictions) if data else ([], [])
        tags = [name for name, _count in data.tags] if data else []
        dialog = WatchlistDialog(
            watchlist if editing else replace(watchlist, id=None),
            save=self._store.save_watchlist,
            delete=self._store.delete_watchlist,
            sources=sources,
            categories=categories,
            jurisdictions=jurisdictions,
            tags=tags,
            parent=self._window,
        )
        dialog.finished.connect(lambda _code: self._after_dialog(dialog))
        dialog.open()  # window-modal: the app goes on (a scheduled refresh included)
        return dialog

    def _after_dialog(self, dialog: WatchlistDialog) -> None:
        if dialog.saved is not None:
            value = str(dialog.saved.id)
            self.by_id[value] = dialog.saved
            self.status.emit(f"Watchlist “{dialog.saved.name}” saved.")
            if value == self._shown:
                self.shown_changed.emit()
            else:
                self.counts.setdefault(value, WatchlistCount(0, 0))
            self.refresh_counts()
        elif dialog.deleted:
            self.status.emit("Watchlist deleted; its records and tags are kept.")
            if self._shown is not None and self._shown not in self._live_ids(dialog):
                self._shown = None
                self.shown_changed.emit()
            self.refresh_counts()

    def _live_ids(self, dialog: WatchlistDialog) -> set[str]:
        gone = str(dialog.original_id)
        self.by_id.pop(gone, None)
        self.counts.pop(gone, None)
        return set(self.by_id)

    def close(self) -> None:
        self._job.close()
