"""The main window's layout: toolbar, sidebar, filters, table, detail pane, status bar.

Layout only: the widgets are created and placed here and exposed as attributes; what they do
is wired by `desktop.ui.controllers.tracker.TrackerController`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFocusEvent, QIcon, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import APP_NAME, resource_path
from desktop.shortcuts import SHORTCUTS, tooltip
from desktop.ui.announce import announce
from desktop.ui.views.detail_pane import DetailPane
from desktop.ui.views.filter_bar import FilterBar
from desktop.ui.views.sidebar import Sidebar

logger = logging.getLogger(__name__)

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
    "refresh": "&Refresh",
    "search": "&Find…",
    "clear_search": "&Clear Search and Filters",
    "export": "&Export CSV…",
    "import": "&Import CSV…",
    "sources": "&Sources…",
    "settings": "Se&ttings…",
    "shortcuts": "&Keyboard Shortcuts",
    "quit": "&Quit",
}


class TrackerTable(QTableView):
    """The tracker's table: row-wise selection, no editing, a quiet look."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackerTable")
        self.setAccessibleName("Records")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(30)
        vertical.setMinimumSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setMinimumSectionSize(28)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus alone opens nothing: Qt makes the first row current when a table without a
        current row gets focus, which would show that record and mark it read."""
        selection = self.selectionModel()
        had_current = selection is None or selection.currentIndex().isValid()
        if not had_current:
            selection.blockSignals(True)
        try:
            super().focusInEvent(event)
            if not had_current:
                selection.clear()
        finally:
            if not had_current:
                selection.blockSignals(False)
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A right click selects nothing (it has no menu here): only a left click opens."""
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            return
        super().mousePressEvent(event)


class EmptyState(QWidget):
    """First run: what will be fetched, and one big Refresh button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addStretch(2)
        icon = QLabel()
        icon.setPixmap(QIcon(str(resource_path("icon.svg"))).pixmap(QSize(72, 72)))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(icon)
        layout.addSpacing(12)
        title = QLabel("Nothing tracked yet")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.text = QLabel(
            "Policy Tracker keeps EU and UK AI-policy news, consultations and research-funding "
            "calls in one place on this computer, so that you can search, star, tag and annotate "
            "them — even offline.\n\nPress Refresh to fetch the latest announcements from:"
        )
        self.text.setObjectName("emptyText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text.setMaximumWidth(620)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.sources = QLabel()
        self.sources.setObjectName("emptySources")
        self.sources.setTextFormat(Qt.TextFormat.PlainText)
        self.sources.setWordWrap(True)
        self.sources.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sources.setMaximumWidth(620)
        layout.addWidget(self.sources, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(18)
        self.refresh_button = QPushButton("Refresh now")
        self.refresh_button.setObjectName("bigRefreshButton")
        self.refresh_button.setAccessibleName("Refresh now: fetch every enabled source")
        self.refresh_button.setToolTip(tooltip("refresh"))
        self.refresh_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(10)
        self.hint = QLabel("Or import a spreadsheet of records: File → Import CSV…")
        self.hint.setObjectName("emptySources")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint)
        layout.addStretch(3)

    def set_sources(self, names: list[str]) -> None:
        shown = names[:12]
        text = "\n".join(f"• {name}" for name in shown)
        if len(names) > len(shown):
            text += f"\n… and {len(names) - len(shown)} more"
        self.sources.setText(text or "(no source is enabled: open Sources to add or enable one)")


class NoResults(QWidget):
    """Shown instead of an empty table: why nothing is shown, and a way out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noResults")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("emptyText")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what the user typed
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message.setAccessibleName("No records")
        layout.addWidget(self.message)
        layout.addSpacing(10)
        self.clear_button = QPushButton("Clear search and filters")
        self.clear_button.setAccessibleName("Clear search and filters")
        self.clear_button.setToolTip(tooltip("clear_search"))
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class ActiveFilters(QWidget):
    """One line naming what narrows the table, with a one-click way back to everything."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activeFilters")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 10, 4)
        self.text = QLabel()
        self.text.setObjectName("activeFiltersText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAccessibleName("Active filters")
        layout.addWidget(self.text, 1)
        self.clear_button = QPushButton("Clear all ×")
        self.clear_button.setObjectName("linkButton")
        self.clear_button.setAccessibleName("Clear search and filters")
        self.clear_button.setToolTip(tooltip("clear_search"))
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.clear_button)


class TrackerStatusBar(QStatusBar):
    """The status message with an "Undo" link beside it while the message reports an undoable
    change. The message is a label of ours (a plain temporary message would hide the link), so
    `showMessage`/`currentMessage` are redefined for it: one way to show a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file or a page
        self.message.setAccessibleName("Status")
        self.message.setMinimumWidth(1)  # a long message is cut, never the window widened
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("linkButton")
        self.undo_button.setAccessibleName("Undo the change just made")
        self.undo_button.setToolTip(tooltip("undo"))
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.undo_button.setVisible(False)
        self.addWidget(self.message)
        self.addWidget(self.undo_button)  # right after the text it undoes
        self.addWidget(QWidget(), 1)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0, *, undo: bool = False) -> None:  # type: ignore[override]
        self.message.setText(text)
        announce(self.message, "Status", text)
        self.message.setToolTip(text if len(text) > 80 else "")
        self.undo_button.setVisible(undo)
        self._clear_timer.stop()
        if timeout > 0:
            self._clear_timer.start(timeout)

    def currentMessage(self) -> str:
        return self.message.text()

    def clearMessage(self) -> None:
        self.showMessage("")


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
        self.resize(1440, 880)
        self.setMinimumSize(QSize(900, 560))
        icons = resource_path("icons")

        self.actions: dict[str, QAction] = {}
        for shortcut in SHORTCUTS:
            action = QAction(_MENU_TEXT.get(shortcut.action, shortcut.text), self)
            action.setObjectName(f"action_{shortcut.action}")
            action.setShortcuts([QKeySequence(key) for key in shortcut.keys])
            action.setToolTip(tooltip(shortcut.action))
            action.setStatusTip(shortcut.text)
            if shortcut.action in _ICONS:
                action.setIcon(QIcon(str(icons / _ICONS[shortcut.action])))
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
        file_menu = menu.addMenu("&File")
        for name in ("import", "export"):
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
            "next",
            "previous",
        ):
            if name is None:
                record_menu.addSeparator()
            else:
                record_menu.addAction(self.actions[name])
        view_menu = menu.addMenu("&View")
        view_names = ("refresh", "search", "clear_search", None, "focus_sidebar", "focus_table")
        for name in (*view_names, "next_pane", "previous_pane"):
            if name is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(self.actions[name])
        tools_menu = menu.addMenu("&Tools")
        for name in ("sources", "settings"):
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
        self.splitter.setSizes([222, 858, 360])
        self.setCentralWidget(self.splitter)

        # the bare-key shortcuts act only while the table has focus (never while typing)
        table_actions = [self.actions[s.action] for s in SHORTCUTS if s.table_only]
        for action in table_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addActions(table_actions)
        for name, action in self.actions.items():
            if name not in {s.action for s in SHORTCUTS if s.table_only}:
                self.addAction(action)

        self.actions["next_pane"].triggered.connect(lambda: self.move_between_panes(1))
        self.actions["previous_pane"].triggered.connect(lambda: self.move_between_panes(-1))

        # status bar
        status = TrackerStatusBar(self)
        self.setStatusBar(status)
        self.status_bar = status
        status.setSizeGripEnabled(True)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName("Number of records shown")
        self.last_refresh_label = QLabel()
        self.last_refresh_label.setTextFormat(Qt.TextFormat.PlainText)  # names sources
        self.last_refresh_label.setAccessibleName("Last successful refresh")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Refresh progress")
        self.progress.setFormat("%v of %m sources")
        self.progress.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress.setFixedWidth(190)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the refresh")
        self.cancel_button.setToolTip("Stop the refresh; sources already fetched are kept")
        self.cancel_button.setIcon(QIcon(str(icons / "cancel.svg")))
        self.cancel_button.setVisible(False)
        status.addPermanentWidget(self.count_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.last_refresh_label)

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
