"""The main window's layout: toolbar, sidebar, filters, table, detail pane, status bar.

Layout only: the widgets are created and placed here and exposed as attributes; what they do
is wired by the controllers of `desktop/ui/controllers/` (`tracker.py` builds them).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import APP_NAME, resource_path
from desktop.shortcuts import SHORTCUTS, tooltip
from desktop.ui import theme
from desktop.ui.views.column_menu import ColumnMenu
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.filter_bar import FilterBar
from desktop.ui.views.selection_summary import SelectionSummary
from desktop.ui.views.sidebar import Sidebar
from desktop.ui.views.status_bar import TrackerStatusBar
from desktop.ui.views.table_notices import ActiveFilters, EmptyState, NoResults
from desktop.ui.views.tracker_table import TrackerTable

PAGE_TABLE = 0
PAGE_NO_RESULTS = 1
PAGE_FIRST_RUN = 2

_ICONS = {
    "refresh": "refresh.svg",
    "export": "export.svg",
    "import": "import.svg",
    "sources": "sources.svg",
    "settings": "settings.svg",
    "cancel": "cancel.svg",
    "open": "open.svg",
}

_MENU_TEXT = {
    "next": "&Next Record",
    "previous": "&Previous Record",
    "star": "&Star",
    "follow": "&Follow",
    "archive": "&Archive",
    "status_new": "Mark as &New",
    "status_reviewing": "Mark as &Reviewing",
    "status_done": "Mark as &Done",
    "status_archived": "Mark as Arc&hived",
    "tag": "Add &Tag…",
    "note": "Edit N&ote",
    "open": "&Open Original",
    "undo": "&Undo",
    "focus_sidebar": "Go to &Views and Tags",
    "focus_table": "Go to Re&cords",
    "next_pane": "Ne&xt Pane",
    "previous_pane": "Pre&vious Pane",
    "toggle_detail": "&Details Pane",
    "refresh": "&Refresh",
    "search": "&Find…",
    "clear_search": "&Clear Search and Filters",
    "export": "&Export CSV…",
    "brief": "&Brief…",
    "mark_unread": "Mark &Unread",
    "mark_all_read": "Mark All in &View as Read",
    "copy_link": "Copy &Link",
    "copy_citation": "Copy as &Citation",
    "import": "&Import CSV…",
    "sources": "&Sources…",
    "manage_tags": "Manage &Tags…",
    "settings": "Se&ttings…",
    "shortcuts": "&Keyboard Shortcuts",
    "quit": "&Quit",
}


DEFAULT_SIZE = QSize(1440, 880)


def first_size(free: QSize | None) -> QSize:
    """The window's size before any was saved: 1440×880, or the screen's `free` area where that
    is smaller (a 1366×768 laptop), so that the status line and the details pane's right edge
    are on screen even where no window manager fits the window to it."""
    return DEFAULT_SIZE if free is None else DEFAULT_SIZE.boundedTo(free)


class MainWindow(QMainWindow):
    """Emits `closing` before it closes, so the controller can save the note and the layout."""

    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.setAccessibleName(APP_NAME)
        # Asked before the window closes; False keeps it open (the controller: unsaved notes).
        self.close_guard: Callable[[], bool] | None = None
        screen = self.screen()
        self.resize(first_size(screen.availableGeometry().size() if screen is not None else None))
        self.setMinimumSize(QSize(900, 480))  # fits a 1920×1080 screen at 200 % (960×540)
        icons = resource_path("icons")

        self.actions: dict[str, QAction] = {}
        for shortcut in SHORTCUTS:
            action = QAction(_MENU_TEXT.get(shortcut.action, shortcut.text), self)
            action.setObjectName(f"action_{shortcut.action}")
            action.setShortcuts([QKeySequence(key) for key in shortcut.keys])
            action.setToolTip(tooltip(shortcut.action))
            action.setStatusTip(shortcut.text)
            if shortcut.action in _ICONS:
                action.setIcon(theme.icon(icons / _ICONS[shortcut.action]))
            self.actions[shortcut.action] = action
        self.actions["star"].setMenuRole(QAction.MenuRole.NoRole)
        self.actions["quit"].setMenuRole(QAction.MenuRole.QuitRole)
        self.actions["settings"].setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = QAction("&About Policy Tracker", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

        # toolbar
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.addToolBar(toolbar)
        self.actions["refresh"].setText("Refresh")
        toolbar.addAction(self.actions["refresh"])
        refresh_button = toolbar.widgetForAction(self.actions["refresh"])
        if isinstance(refresh_button, QToolButton):
            refresh_button.setObjectName("refreshButton")
            refresh_button.setAccessibleName("Refresh")
        toolbar.addSeparator()
        for name in ("export", "import"):
            toolbar.addAction(self.actions[name])
        toolbar.addSeparator()
        for name in ("sources", "settings"):
            toolbar.addAction(self.actions[name])
        for name in ("export", "import", "sources", "settings"):
            button = toolbar.widgetForAction(self.actions[name])
            if button is not None:
                button.setAccessibleName(self.actions[name].toolTip())
        self.toolbar = toolbar

        # menus
        menu = self.menuBar()
        self.file_menu = file_menu = menu.addMenu("&File")  # controllers add their commands
        for name in ("import", "export", "brief"):
            file_menu.addAction(self.actions[name])
        file_menu.addSeparator()
        file_menu.addAction(self.actions["quit"])
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.actions["undo"])
        self.actions["undo"].setEnabled(False)  # until there is something to undo
        record_menu = menu.addMenu("&Record")
        for name in (
            "open",
            "star",
            "follow",
            "archive",
            None,
            "status_new",
            "status_reviewing",
            "status_done",
            "status_archived",
            None,
            "tag",
            "note",
            None,
            "mark_unread",
            "mark_all_read",
            "copy_link",
            "copy_citation",
            None,
            "next",
            "previous",
        ):
            if name is None:
                record_menu.addSeparator()
            else:
                record_menu.addAction(self.actions[name])
        self.view_menu = view_menu = menu.addMenu("&View")
        view_names = ("refresh", "search", "clear_search", None, "focus_sidebar", "focus_table")
        for name in (*view_names, "next_pane", "previous_pane", None):
            if name is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(self.actions[name])
        self.column_menu = ColumnMenu(self)  # also the table header's right-click menu
        view_menu.addMenu(self.column_menu)
        self.actions["toggle_detail"].setCheckable(True)
        self.actions["toggle_detail"].setChecked(True)
        view_menu.addAction(self.actions["toggle_detail"])
        tools_menu = menu.addMenu("&Tools")
        for name in ("sources", "manage_tags", "settings"):
            tools_menu.addAction(self.actions[name])
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.actions["shortcuts"])
        help_menu.addAction(self.about_action)
        for action in self.actions.values():
            action.setShortcutVisibleInContextMenu(True)

        # the three columns
        self.sidebar = Sidebar()
        self.filter_bar = FilterBar(icons)
        self.active_filters = ActiveFilters()
        self.active_filters.setVisible(False)
        self.table = TrackerTable()
        self.no_results = NoResults()
        self.empty_state = EmptyState()
        self.centre_stack = QStackedWidget()
        self.centre_stack.addWidget(self.table)
        self.centre_stack.addWidget(self.no_results)
        self.centre_stack.addWidget(self.empty_state)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.filter_bar)
        centre_layout.addWidget(self.active_filters)
        centre_layout.addWidget(self.centre_stack, 1)
        self.selection_summary = SelectionSummary()
        centre_layout.addWidget(self.selection_summary)
        self.detail = DetailPane()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.sidebar.setMinimumWidth(180)
        centre.setMinimumWidth(420)
        self.detail.setMinimumWidth(320)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.panes_placed = False  # True once placed for the window's width, or restored
        self.setCentralWidget(self.splitter)

        # the bare-key shortcuts act only while the table has focus (never while typing)
        table_actions = [self.actions[s.action] for s in SHORTCUTS if s.table_only]
        for action in table_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addActions(table_actions)
        for name, action in self.actions.items():
            if name not in {s.action for s in SHORTCUTS if s.table_only}:
                self.addAction(action)

        self.actions["toggle_detail"].toggled.connect(self.detail.setVisible)
        self.actions["next_pane"].triggered.connect(lambda: self.move_between_panes(1))
        self.actions["previous_pane"].triggered.connect(lambda: self.move_between_panes(-1))

        # status bar
        status = TrackerStatusBar(self)
        self.setStatusBar(status)
        self.status_bar = status
        status.setSizeGripEnabled(True)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        # No fixed accessible names on these two: a screen reader reads their text ("4 records",
        # "Last refresh: today 09:10 · 1 failing"), which a fixed name would hide.
        self.count_label.setAccessibleDescription("Number of records shown")
        self.last_refresh_label = QLabel()
        self.last_refresh_label.setTextFormat(Qt.TextFormat.PlainText)  # names sources
        self.last_refresh_label.setAccessibleDescription(  # plain, not the tooltip's HTML
            "The last time a source was fetched successfully, and how many sources fail"
        )
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Refresh progress")
        self.progress.setFormat("%v of %m sources")
        self.progress.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress.setFixedWidth(190)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the refresh")
        self.cancel_button.setToolTip("Stop the refresh; sources already fetched are kept")
        self.cancel_button.setIcon(theme.icon(icons / "cancel.svg"))
        self.cancel_button.setVisible(False)
        status.addPermanentWidget(self.count_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.last_refresh_label)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.panes_placed:
            self.place_panes()

    def place_panes(self) -> None:
        """The panes' first widths, for the window's width: the sidebar and the details take
        a share within bounds, the records the rest (a 1366-wide laptop keeps its columns)."""
        self.panes_placed = True
        width = self.width()
        side = min(max(round(width * 0.15), self.sidebar.minimumWidth()), 250)
        detail = min(max(round(width * 0.22), self.detail.minimumWidth()), 420)
        self.splitter.setSizes([side, max(width - side - detail, 420), detail])

    def set_refreshing(self, total: int | None) -> None:
        """Show a refresh of `total` sources under way (the progress bar, Cancel, Refresh
        disabled), or with None that none is."""
        running = total is not None
        self.actions["refresh"].setEnabled(not running)
        self.empty_state.refresh_button.setEnabled(not running)
        self.empty_state.refresh_button.setText("Refreshing…" if running else "Refresh now")
        if total is not None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(0)
            self.cancel_button.setEnabled(True)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)

    def show_progress(self, done: int) -> None:
        """`done` sources of the refresh have ended."""
        self.progress.setValue(done)

    def set_cancelling(self) -> None:
        """Cancel was pressed: the button says it was heard until the refresh ends."""
        self.cancel_button.setEnabled(False)

    def move_between_panes(self, step: int) -> None:
        """F6 / Shift+F6: sidebar → search and filters → records → details, and round again, as
        in a browser or a mail program; a pane with nothing to focus (no record shown) is passed."""
        panes: list[QWidget] = [self.sidebar, self.filter_bar, self.centre_stack, self.detail]
        focus = QApplication.focusWidget()
        here = next((i for i, pane in enumerate(panes) if pane is focus or pane.isAncestorOf(focus)), -1)
        if here < 0:
            here = 0 if step < 0 else len(panes) - 1
        for distance in range(1, len(panes) + 1):
            pane = panes[(here + step * distance) % len(panes)]
            if pane is self.sidebar:
                self.actions["focus_sidebar"].trigger()  # also picks the view shown
                return
            if pane is self.centre_stack and self.centre_stack.currentWidget() is self.table:
                self.actions["focus_table"].trigger()  # also saves a note being typed
                return
            target = first_focusable(pane)
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None and not self.close_guard():
            event.ignore()  # the user chose to stay (an unsaved note)
            return
        self.closing.emit()
        super().closeEvent(event)


def first_focusable(pane: QWidget) -> QWidget | None:
    """The first visible, enabled widget in `pane` that Tab would stop at."""
    for widget in pane.findChildren(QWidget):
        tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if tab and widget.isVisible() and widget.isEnabled() and widget.isVisibleTo(pane):
            return widget
    return None
