"""The tags themselves: the Tags dialog, the sidebar's tag menu, rename, merge, delete, colour.

Tags are the user's work, so a merge and a delete are asked first, with the number of records
they touch, and every change is one Undo step (`undoable`, taken by the triage controller's
Undo like an import is). A rename, merge or delete runs on a worker with its own Store
(desktop/tag_changes.py); a colour is one row and is set at once. After each change
`changed` asks for the rows and the sidebar's counts (and with them the tags' colours) again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QMessageBox

from db.safe_text import shown
from db.store import TAG_COLOURS, RenamePlan, Store, TagInfo, UserChange
from desktop.formatting import records_text
from desktop.tag_changes import delete_tag, rename_tag
from desktop.ui import tag_colours
from desktop.ui.dialogs.tags_dialog import TagsDialog
from desktop.ui.message_box import message_box
from desktop.ui.store_guard import StoreGuard, failure_text
from desktop.ui.views.main_window import MainWindow
from desktop.ui.views.sidebar import TAG
from desktop.ui.worker import Task, run_task

logger = logging.getLogger(__name__)


TagWork = Callable[..., tuple[str, Any, UserChange]]  # desktop/tag_changes.py: (text, result, change)


def read_tags(db_path: Path) -> list[TagInfo]:
    """Runs on a worker: every tag with its count (a count of each tag's links)."""
    with Store.open(db_path) as store:
        return store.tags()


class TagsController(QObject):
    status = Signal(str)
    undoable = Signal(str, UserChange)  # what the status line says, and what Undo puts back
    changed = Signal()  # tags changed: re-read the rows, the counts and the colours

    def __init__(self, window: MainWindow, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._store = store
        self._guard = StoreGuard(self.status.emit)
        self.dialog: TagsDialog | None = None
        self._task: Task | None = None  # the rename, merge or delete still running
        self._reading: Task | None = None
        window.sidebar.tag_menu.connect(lambda name, at: self.menu_for(name).popup(at))
        window.actions["manage_tags"].triggered.connect(lambda: self.show_dialog())
        self._closed = False  # the window is gone: a change landing later touches no widget
        window.closing.connect(self._close)

    def _close(self) -> None:
        """The window is closing: a change still running ends in its own transaction, but what
        it says when it lands is for nobody."""
        self._closed = True
        if self.dialog is not None:
            self.dialog.close()

    # -- the Tags dialog and the sidebar's menu ----------------------------------------------------

    def show_dialog(self, name: str | None = None, *, rename: bool = False) -> TagsDialog:
        """Tools → Manage tags…: the dialog (one), its list read on a worker."""
        if self.dialog is None:
            self.dialog = dialog = TagsDialog(self._window)
            dialog.rename_wanted.connect(self.rename)
            dialog.delete_wanted.connect(self.delete)
            dialog.colour_wanted.connect(lambda tag, colour: self.set_colour(tag, colour or None))
            dialog.show_wanted.connect(self._show_records)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self._reload_list(name, rename=rename)
        return self.dialog

    def menu_for(self, name: str) -> QMenu:
        """The sidebar's menu for a tag (rename, colour, delete) or for the Tags section."""
        menu = QMenu(self._window.sidebar)
        if name:
            menu.addAction("&Rename or merge…", lambda: self.show_dialog(name, rename=True))
            colours = menu.addMenu("&Colour")
            current = self._window.sidebar.tag_colour(name)
            for colour in (None, *TAG_COLOURS):
                label = tag_colours.LABELS[colour] if colour else "No colour"
                action = colours.addAction(tag_colours.dot_icon(colour), label)
                action.setCheckable(True)
                action.setChecked(colour == current)
                action.triggered.connect(lambda _=False, c=colour: self.set_colour(name, c))
            menu.addAction("&Delete…", lambda: self.delete(name))
            menu.addSeparator()
        menu.addAction(self._window.actions["manage_tags"])
        return menu

    def _reload_list(self, select: str | None = None, *, rename: bool = False) -> None:
        def shown_list(tags: list[TagInfo]) -> None:
            self._reading = None
            if self.dialog is not None and not self._closed:
                self.dialog.set_tags(tags, select)
                if rename and select is not None and self.dialog.choose(select):
                    self.dialog.start_rename()

        self._reading = run_task(
            read_tags,
            self._store.path,
            on_result=shown_list,
            on_error=lambda message: self._say(failure_text("Could not read the tags", message), error=True),
        )

    def _show_records(self, name: str) -> None:
        self._window.sidebar.select(TAG, name, notify=True)

    # -- the changes ------------------------------------------------------------------------------------

    def rename(self, old: str, new: str) -> None:
        """Rename `old`; onto another tag's name (any case) a merge, asked first."""
        if self._running():
            return
        with self._guard("Not renamed", also=(ValueError,)) as attempt:
            plan = self._store.plan_rename(old, new)
        if attempt.failed:
            self._say(attempt.message, error=True)
            return
        if plan.new == plan.old:
            self._say(f"The tag is already called “{shown(plan.new, 80)}”.")
            return
        if plan.merge and not self._ask_merge(plan):
            return
        self._start(rename_tag, old, new, busy=f"Renaming “{shown(old, 80)}”…", renamed=(plan.old, plan.new))

    def delete(self, name: str) -> None:
        """Remove the tag from every record and delete it, asked first with the count."""
        if self._running():
            return
        with self._guard("Not deleted") as attempt:
            tag = next((t for t in self._store.tags() if t.name.casefold() == name.casefold()), None)
        if attempt.failed or tag is None:
            self._say(attempt.message or f"There is no tag “{shown(name, 80)}” any more.", error=True)
            return
        quoted = shown(tag.name, 80)
        if tag.records:
            question = f"Remove the tag “{quoted}” from {records_text(tag.records)}?"
        else:
            question = f"Delete the tag “{quoted}”? It is on no record."
        if not self._ask(
            question, "The tag is deleted too. Ctrl+Z (Edit → Undo) puts it back.", "Remove Tag"
        ):
            return
        self._start(delete_tag, tag.name, busy=f"Deleting “{quoted}”…", deleted=tag.name)

    def set_colour(self, name: str, colour: str | None) -> None:
        """Give the tag a colour of the palette (None: none): one row, set at once, undoable."""
        if self._running():
            return
        quoted = shown(name, 80)
        if colour in tag_colours.LABELS:
            text = f"Coloured the tag “{quoted}” {tag_colours.LABELS[colour].lower()}."
        else:
            text = f"Took the colour off the tag “{quoted}”."
        guarded = self._guard("Colour not set", also=(ValueError,))
        with guarded as attempt, self._store.recording() as change:
            self._store.set_tag_colour(name, colour)
        if attempt.failed:
            self._say(attempt.message, error=True)
            return
        if change:
            self.undoable.emit(text, change)
        self._finish(text)

    def _ask_merge(self, plan: RenamePlan) -> bool:
        old, new = shown(plan.old, 80), shown(plan.new, 80)
        detail = f"The {records_text(plan.records)} tagged “{old}” will be tagged “{new}”"
        detail += f" ({plan.both:,} of them already are)." if plan.both else "."
        detail += f" “{old}” will be gone. Ctrl+Z (Edit → Undo) takes this back."
        return self._ask(f"Merge the tag “{old}” into “{new}”?", detail, "Merge")

    def _ask(self, question: str, detail: str, verb: str) -> bool:
        """A question whose safe answer (Cancel) is the default: a stray Enter changes nothing."""
        box = message_box(
            self.dialog or self._window,
            "Tags",
            question,
            detail,
            icon=QMessageBox.Icon.Question,
            buttons=QMessageBox.StandardButton.Cancel,
        )
        yes = box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def _running(self) -> bool:
        if self._task is not None and not self._task.done:
            self._say("Still changing the last tag; try again when it is done.")
            return True
        return False

    def _start(
        self,
        fn: TagWork,
        *args: str,
        busy: str,
        renamed: tuple[str, str] | None = None,
        deleted: str | None = None,
    ) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(True, busy)
        self.status.emit(busy)

        def done(result: tuple[str, Any, UserChange]) -> None:
            self._task = None
            if self._closed:
                return
            text, _what, change = result
            if renamed is not None:
                self._window.sidebar.rename_tag(*renamed)
            if deleted is not None:
                self._window.sidebar.forget_tag(deleted)
            if change:
                self.undoable.emit(text, change)
            self._finish(text, select=renamed[1] if renamed else None)

        def failed(message: str) -> None:
            self._task = None
            if self._closed:
                logger.warning("after the window closed: %s", message)
                return
            self._finish(failure_text("Not changed", message), error=True)

        self._task = run_task(fn, self._store.path, *args, on_result=done, on_error=failed)

    def _finish(self, text: str, *, select: str | None = None, error: bool = False) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self._reload_list(select)
        self._say(text, error=error)
        self.changed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.say(text, error=error)
        self.status.emit(text)
        if error:
            logger.warning("%s", text)

    @property
    def busy(self) -> bool:
        """A rename, merge or delete is still running (tests wait for it)."""
        return self._task is not None or self._reading is not None
