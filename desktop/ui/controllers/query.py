"""What the table is asked for: the sidebar choice, the filters and the search make a `Query`.

The controller owns the filter bar, the sidebar's choice, the sort indicator, the filter strip,
the record count and which centre page shows (the table, "no results", or the first-run page).
It never reads rows itself: it emits `query_built` and the place controller shows the rows, and
tells it back through `rows_shown` (connected by the tracker controller).

View → Sort by Relevance While Searching ranks a search's matches best first (db/queries.py,
bm25 with the title weighted most) instead of the column sort; the column sort comes back when
the search is cleared, and a click on a column header chooses that column again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction

from db.queries import RELEVANCE
from db.safe_text import shown
from db.search import search_terms
from db.store import VIEW_DEFAULT_SORT, Query, Store
from desktop.formatting import category_label, status_label
from desktop.sources_file import enabled_source_names
from desktop.ui.settings import WindowState
from desktop.ui.store_guard import StoreGuard, failure_text
from desktop.ui.table_cells import call_status_label
from desktop.ui.tracker_columns import COLUMNS
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.filter_bar import Filters
from desktop.ui.views.main_window import PAGE_FIRST_RUN, PAGE_NO_RESULTS, PAGE_TABLE, MainWindow
from desktop.ui.views.sidebar import SOURCE, TAG, VIEW, VIEW_LABELS, WATCHLIST
from desktop.ui.views.table_notices import CLEAR_FILTERS, SHOW_ALL

# A burst of keys (a paste, a fast typist) asks once; each key after the pause asks again and
# makes the read for the previous key obsolete (it stops on its worker), so the pause is short.
SEARCH_DELAY_MS = 15

EMPTY_VIEW_TEXT = {
    # A store with no record at all shows the first-run page instead: here every one is archived.
    "all": "Every record is archived: they are in the Archived view.",
    "unread": "All caught up: nothing unread.",
    "starred": "Nothing starred yet. Star a record with Space or S.",
    "followed": "No call followed yet. Press F on a call to follow its deadline.",
    "open_funding": "No open or forthcoming funding calls.",
    "policy": "No policy papers, consultations or legislation yet.",
    "closing_soon": "No deadline falls in the next 14 days.",
    "changed": "Nothing has changed since you last looked.",
    "notes": "No notes yet. Press N on a record to write one.",
    "archived": "Nothing archived. Archive a record with E.",
}


class QueryController(QObject):
    query_built = Signal(Query)  # the rows to show now: the place controller reads them
    status = Signal(str)

    def __init__(
        self, window: MainWindow, store: Store, model: TrackerModel, sources_path: Path | None
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._model = model
        self._sources_path = sources_path
        self._guard = StoreGuard(self.status.emit)
        self.choice: tuple[str, str] = (VIEW, "all")
        self._sorts: dict[str, tuple[str, bool]] = dict(VIEW_DEFAULT_SORT)
        self.first_run = False
        self._first_run_due = False  # judged when the rows asked for land
        # The rows of a watchlist under the filters (None: no such watchlist); set by the
        # tracker's controller to the watchlists controller's `query_for`.
        self.watchlist_query: Callable[[str, Filters], Query | None] = lambda _value, _filters: None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.relevance_action = QAction("Sort by &Relevance While Searching", window)
        self.relevance_action.setCheckable(True)
        self.relevance_action.setStatusTip(
            "Show a search's best matches first (a hit in the title counts most)"
        )
        self.relevance_action.toggled.connect(lambda _on: self.apply_query())
        window.view_menu.addAction(self.relevance_action)

        window.sidebar.chosen.connect(self.choose)
        window.filter_bar.search_edited.connect(lambda _text: self._search_timer.start())
        window.filter_bar.filters_changed.connect(self.apply_query)
        window.active_filters.clear_button.clicked.connect(self.clear_filters)
        window.no_results.clear_button.clicked.connect(self.clear_filters)
        window.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        # The exact count landed after "about N" (docs/SEARCH.md): the labels follow.
        model.counted.connect(lambda _count: self.rows_shown())
        model.count_failed.connect(
            lambda text: self.status.emit(failure_text("Could not count the records", text))
        )

    def close(self) -> None:
        """The window is closing: a search typed just before must not read a closed store."""
        self._search_timer.stop()

    def current_query(self) -> Query:
        return replace(self._model.query)

    def build_query(self, filters: Filters | None = None) -> Query:
        query = self._built(filters)
        if self.relevance_action.isChecked() and search_terms(query.search).words:
            return replace(query, sort=RELEVANCE, descending=False)
        return query

    def _built(self, filters: Filters | None) -> Query:
        filters = filters or self._window.filter_bar.filters()
        kind, value = self.choice
        view = value if kind == VIEW else "all"
        sort, descending = self._sorts.get(view, ("published", True))
        if kind == WATCHLIST and (watched := self.watchlist_query(value, filters)) is not None:
            sort, descending = self._sorts.get(self._sort_scope(), (watched.sort, watched.descending))
            return replace(watched, sort=sort, descending=descending)
        return Query(
            search=filters.search,
            view=view,
            source_id=value if kind == SOURCE else None,
            category=filters.category,
            jurisdiction=filters.jurisdiction,
            status=filters.status,
            tag=filters.tag or (value if kind == TAG else None),
            date_from=filters.date_from,
            date_to=filters.date_to,
            sort=sort,
            descending=descending,
            **filters.facets(),
        )

    def _sort_scope(self) -> str:
        """Whose sort a header click changes: the view's, or one watchlist's own."""
        kind, value = self.choice
        return f"{WATCHLIST}:{value}" if kind == WATCHLIST else self._model.query.view

    def apply_query(self) -> None:
        """Show the rows of the sidebar choice + filters + search, keeping the current record."""
        self._search_timer.stop()
        self.query_built.emit(self.build_query())
        self._say_reading()

    def _say_reading(self) -> None:
        """An empty result stays on screen while the next one is read (at a million records a
        typed word takes a moment): it says what is being looked for, not that an older word
        found nothing ("No records match 'fun'" while "funding" was being read)."""
        if self._window.centre_stack.currentIndex() != PAGE_NO_RESULTS or not self._model.reading:
            return
        search = self._window.filter_bar.filters().search
        self._window.no_results.show_reason(f"Searching for ‘{search}’…" if search else "Reading…", None)

    def choose(self, kind: str, value: str) -> None:
        """A sidebar entry was picked: a view, a source or a tag."""
        self.choice = (kind, value)
        if kind == TAG:
            self._window.filter_bar.blockSignals(True)
            self._window.filter_bar.set_tag(None)
            self._window.filter_bar.blockSignals(False)
        self.apply_query()

    def clear_filters(self) -> None:
        """One click back to the whole view: no search, no filter, no source or tag scope."""
        self._window.filter_bar.clear()
        if self.choice[0] != VIEW:
            self.choice = (VIEW, "all")
        self._window.sidebar.select(*self.choice)
        self.apply_query()

    def _on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        if not COLUMNS[column].sortable:  # the indicator goes back to the column sorted by
            self.apply_sort_indicator()
            return
        if self._model.query.sort == RELEVANCE:  # a column chosen over the ranking
            self.relevance_action.blockSignals(True)
            self.relevance_action.setChecked(False)
            self.relevance_action.blockSignals(False)
        self._sorts[self._sort_scope()] = (COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder)
        query = self.build_query()
        if (query.sort, query.descending) != (self._model.query.sort, self._model.query.descending):
            self.query_built.emit(query)

    def apply_sort_indicator(self) -> None:
        header = self._window.table.horizontalHeader()
        # ranked by relevance: no column is the order (-1 shows no indicator)
        column = (
            -1
            if self._model.query.sort == RELEVANCE
            else self._model.column_for_sort_key(self._model.query.sort)
        )
        order = Qt.SortOrder.DescendingOrder if self._model.query.descending else Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() != column or header.sortIndicatorOrder() != order:
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)
            header.viewport().update()

    def rows_shown(self) -> None:
        """The rows were re-read: say how many, which filters made them, and show the right page."""
        self.apply_sort_indicator()
        if self._first_run_due:
            self._judge_first_run()
        count = self._model.rowCount()
        self._window.count_label.setText(self._model.count_text())
        self._describe_filters()
        if self.first_run:
            page = PAGE_FIRST_RUN
        elif count == 0:
            self._window.no_results.show_reason(self.empty_reason(), self._way_out())
            page = PAGE_NO_RESULTS
        else:
            page = PAGE_TABLE
        self._window.centre_stack.setCurrentIndex(page)

    def update_first_run(self) -> None:
        """A store with no record at all, and no filter: greet the user with a big Refresh.
        Judged once the rows asked for have landed (no row shown before then means nothing)."""
        if self._model.pending:
            self._first_run_due = True
            return
        was = self.first_run
        self._judge_first_run()
        if was != self.first_run:
            self.rows_shown()

    def _judge_first_run(self) -> None:
        self._first_run_due = False
        empty = False  # rows on screen: the store has records
        if self._model.rowCount() == 0:  # is there any record at all?
            with self._guard("Could not count the records"):
                empty = not self._store.has_records()
        self.first_run = empty
        if empty:
            self._window.empty_state.set_sources(enabled_source_names(self._sources_path))

    def scope_label(self) -> str:
        kind, value = self.choice
        if kind == VIEW:
            return VIEW_LABELS.get(value, value)
        label = self._window.sidebar.label_of(kind, value)
        if kind == WATCHLIST:
            return f"watchlist “{label}”"
        return label if kind == SOURCE else f"tag “{label}”"

    def filter_phrases(self, filters: Filters | None = None) -> list[str]:
        filters = filters or self._window.filter_bar.filters()
        bar = self._window.filter_bar
        phrases = []
        if filters.category:
            phrases.append(f"Category: {category_label(filters.category)}")
        if filters.jurisdiction:
            phrases.append(f"Region: {filters.jurisdiction}")
        if filters.status:
            phrases.append(f"Status: {status_label(filters.status)}")
        if filters.tag:
            phrases.append(f"Tag: {filters.tag}")
        if filters.call_status:
            phrases.append(f"Call status: {', '.join(call_status_label(s) for s in filters.call_status)}")
        if filters.programme:
            phrases.append(f"Programme: {shown(filters.programme, limit=80)}")
        if filters.action_type:
            phrases.append(f"Type of action: {shown(filters.action_type, limit=80)}")
        return phrases + bar.range_phrases()

    def empty_reason(self) -> str:
        """Why the table is empty, in words: "No records match 'xyz' in Open funding"."""
        filters = self._window.filter_bar.filters()
        scope = self.scope_label()
        phrases = self.filter_phrases(filters)
        if filters.search:
            text = f"No records match ‘{filters.search}’ in {scope}"
            return text + (f" with {', '.join(phrases)}." if phrases else ".")
        if phrases:
            return f"No records in {scope} with {', '.join(phrases)}."
        kind, value = self.choice
        if kind == VIEW:
            return EMPTY_VIEW_TEXT.get(value, f"Nothing in {scope}.")
        if kind == SOURCE:
            return f"No records from {scope} yet."
        return f"No records with {scope}."

    def _way_out(self) -> str | None:
        """What clear_filters would do for this empty table, as its button says it."""
        filters = self._window.filter_bar.filters()
        if filters.search or self.filter_phrases(filters):
            return CLEAR_FILTERS
        return SHOW_ALL if self.choice[0] != VIEW else None

    def _describe_filters(self) -> None:
        filters = self._window.filter_bar.filters()
        phrases = []
        if filters.search:
            # Text with no word in it ("*", a lone quote) searches for nothing: every record shows.
            nothing = "" if search_terms(filters.search).words else " has no word in it: not searched"
            phrases.append(f"search ‘{shown(filters.search, limit=80)}’{nothing}")
        kind, _value = self.choice
        if kind != VIEW:
            scope = self.scope_label()
            if kind == TAG:
                phrases.append(scope.replace("tag ", "Tag: "))
            elif kind == WATCHLIST:
                phrases.append(scope.replace("watchlist ", "Watchlist: "))
            else:
                phrases.append(f"Source: {scope}")
        phrases += self.filter_phrases(filters)
        strip = self._window.active_filters
        if phrases:
            count = self._model.rowCount()
            view = VIEW_LABELS.get(self._model.query.view, "")
            about = "" if self._model.count_is_exact else "about "
            strip.text.setText(f"{about}{count:,} in {view} · " + " · ".join(phrases))
        strip.setVisible(bool(phrases))

    def focus_search(self) -> None:
        search = self._window.filter_bar.search
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    def focus_sidebar(self) -> None:
        sidebar = self._window.sidebar
        sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if sidebar.currentItem() is None:
            sidebar.select(*self.choice)

    # -- window state ------------------------------------------------------------------------------

    def restore_state(self, state: WindowState) -> None:
        """The sorts and the sidebar choice the user left the window with."""
        self._sorts.update(state.sorts())
        kind, _, value = state.text(WindowState.VIEW, "view:all").partition(":")
        if kind in (VIEW, WATCHLIST, SOURCE, TAG) and value:
            if kind == VIEW and value not in VIEW_LABELS:
                return
            self.choice = (kind, value)
        self._window.sidebar.select(*self.choice)

    def save_state(self, state: WindowState) -> None:
        state.set_sorts(self._sorts)
        state.set_text(WindowState.VIEW, f"{self.choice[0]}:{self.choice[1]}")
