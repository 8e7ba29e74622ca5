"""The detail pane's record and its note: showing the current record (saying when it is unread), and
keeping every keystroke of its note until the store has it (desktop/ui/note_saver.py).

Notes are what users must never lose, so this controller also owns what happens to an
unsaved note when the window closes, the session ends, or the app starts again after a crash.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from db.safe_text import shown
from db.store import Store, UserChange
from desktop.formatting import first_line
from desktop.ui.message_box import message_box, warn
from desktop.ui.note_saver import NoteSaver
from desktop.ui.store_guard import StoreGuard
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.views.detail_pane import DetailPane

logger = logging.getLogger(__name__)

QUIT_WAIT_S = 2.0  # how long quitting waits for a note being saved in the background


class NotesController(QObject):
    record_shown = Signal(int)
    note_saved = Signal(int)
    unread_shown = Signal(int)  # an unread record is shown (desktop/ui/controllers/reading.py)
    back_to_table = Signal()  # the user left the note or tag field (Esc, Tab out of tags)
    status = Signal(str)

    def __init__(self, store: Store, model: TrackerModel, detail: DetailPane, parent: QObject) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._detail = detail
        self._guard = StoreGuard(self.status.emit)
        self.saver = NoteSaver(store, self)
        self.saver.saved.connect(self._on_note_saved)
        self.saver.state_changed.connect(self._show_note_state)
        detail.note_edited.connect(self._on_note_edited)
        detail.note_focus_lost.connect(self.save_note_now)
        detail.note_escape.connect(self._leave_editing)
        detail.tags.editing_finished.connect(self._leave_editing)

    # -- the record on the right ---------------------------------------------------------------

    def show_record(self, record_id: int | None) -> None:
        detail = self._detail
        if record_id is None:
            detail.show_record(None)
            return
        with self._guard("Could not read the record") as attempt:
            record = self._store.record(record_id)
            versions = self._store.versions(record_id) if record else []
        if attempt.failed:
            return
        if record is None:  # deleted meanwhile
            detail.show_record(None)
            return
        pending = self.saver.pending_text(record_id)
        if pending is not None and detail.note_record_id != record_id:
            record = {**record, "note": pending}  # what the user typed, not yet in the store
        detail.show_record(
            record, versions, same_record=detail.record_id == record_id, now=self._store.clock()
        )
        if not record.get("read_at"):
            self.unread_shown.emit(record_id)  # the reading controller marks it after a dwell
        if pending is not None:
            self._show_note_state(record_id)
        self.record_shown.emit(record_id)

    def show_current(self, record_id: int) -> None:
        """The table's current record changed to `record_id` (or was re-read)."""
        if record_id != self._detail.record_id:
            self.save_note_now()
        self.show_record(record_id)

    def show_nothing(self) -> None:
        if self._detail.record_id is not None:
            self.save_note_now()
        self.show_record(None)

    def reread(self, record_id: int) -> None:
        """The record stayed current while the rows were re-read: show its new values."""
        if self._detail.record_id == record_id:
            self.show_record(record_id)

    def leave(self, record_id: int) -> None:
        """A new query left the record out: the pane shows what the table shows."""
        if self._detail.record_id == record_id:
            self.save_note_now()
            self.show_record(None)

    def reread_in_full(self, change: UserChange, coming: int | None = None) -> None:
        """After an undo of `change`: the shown record, note editor included, read again if it changed,
        unless record `coming` is to be current once the rows are re-read (shown then: showing
        the record the action had moved on to would mark it read again)."""
        shown_id = self._detail.record_id
        if coming is not None and coming != shown_id:
            return
        if shown_id is not None and change.touches(shown_id):
            self._detail.record_id = None  # read again in full, the note editor too
            self.show_record(shown_id)

    # -- editing ---------------------------------------------------------------------------------

    def focus_note(self) -> None:
        if self._detail.record_id is not None:
            note = self._detail.note
            note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            note.moveCursor(note.textCursor().MoveOperation.End)

    def focus_tag(self) -> None:
        if self._detail.record_id is not None:
            self._detail.tags.start_typing()

    def leave_editing(self) -> bool:
        """Esc: True when the focus was in the note or tag field and went back to the table."""
        focus = QApplication.focusWidget()
        tags = self._detail.tags
        if focus is None or (focus is not self._detail.note and not tags.is_typing(focus)):
            return False
        if tags.is_typing(focus):
            tags.drop_typed()
        self._leave_editing()
        return True

    def _leave_editing(self) -> None:
        self.save_note_now()
        self.back_to_table.emit()

    def _on_note_edited(self, record_id: int, text: str) -> None:
        self.saver.edit(record_id, text, base=self._detail.note_loaded_text)

    def save_note_now(self) -> bool:
        """Save pending notes now (after the pause, on focus loss, on leaving, on close);
        True when none is left. One that fails stays pending and is retried in the background."""
        saved = self.saver.save_now()
        if not saved:
            error = self.saver.first_error()
            self.status.emit(
                f"The note could not be saved yet: {shown(error, 300)} It is kept, and saved as soon "
                "as the data file allows."
            )
        return saved

    def _on_note_saved(self, record_id: int, text: str) -> None:
        self._model.update_rows([record_id], note_first_line=first_line(text))
        self.note_saved.emit(record_id)

    def _show_note_state(self, record_id: int) -> None:
        detail = self._detail
        if detail.note_record_id != record_id:
            return
        error = self.saver.error(record_id)
        if error is not None:
            detail.set_note_state(
                "Not saved yet — retrying",
                unsaved=True,
                why=f"{shown(error, 200)} Your text is kept here and saved as soon as the data file "
                "allows; quitting now offers to keep it in a recovery file.",
            )
        elif self.saver.pending_text(record_id) is not None:
            detail.set_note_state("Editing…")
        else:
            detail.set_note_state("Saved")

    # -- closing, the session's end, and the recovery file ---------------------------------------

    def confirm_close(self) -> bool:
        """The user asks to quit: True when every note is saved, or the user chose to keep the
        unsaved ones in the recovery file; False (stay open) when the user cancelled."""
        while not self.saver.save_all(QUIT_WAIT_S):
            count = len(self.saver.pending_ids())
            box = message_box(
                self._detail.window(),
                "A note is not saved",
                f"{count} note{'s are' if count != 1 else ' is'} not saved yet: "
                f"{shown(self.saver.first_error(), 300)}",
                "Try again, keep the note in a recovery file in the data folder (it is put back "
                "when the app starts again) and quit, or cancel and stay.",
                buttons=QMessageBox.StandardButton.Cancel,
            )
            retry = box.addButton("Try Again", QMessageBox.ButtonRole.AcceptRole)
            keep = box.addButton("Keep in Recovery File and Quit", QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(retry)
            box.exec()
            if box.clickedButton() is keep:
                return self.keep_unsaved_notes()
            if box.clickedButton() is not retry:
                return False
        return True

    def save_or_keep_all(self, *, quietly: bool) -> None:
        """The session ends (or may end): save what can be saved at once, keep the rest in the
        recovery file; never ask (`quietly`: nor warn, the app is being ended)."""
        self.saver.save_all(QUIT_WAIT_S)
        self.keep_unsaved_notes(quietly=quietly)

    def close(self, *, quietly: bool) -> None:
        """The window is closing: save the notes, keep those that cannot be saved, stop saving."""
        if not self.saver.save_now():
            self.keep_unsaved_notes(quietly=quietly)
        self.saver.stop()

    def keep_unsaved_notes(self, *, quietly: bool = False) -> bool:
        try:
            path = self.saver.write_recovery()
        except OSError as exc:
            logger.error("unsaved notes not written to the recovery file: %s", exc)
            if not quietly:
                warn(
                    self._detail.window(),
                    "Notes not kept",
                    f"The recovery file cannot be written: {shown(exc)}",
                )
            return False
        if path is not None:
            self.status.emit(f"Unsaved notes kept in {path}.")
        return True

    def restore_unsaved_notes(self) -> None:
        """At start: notes a previous session could not save go back to their records."""
        try:
            found = self.saver.recover()
        except OSError as exc:
            logger.error("recovery file not read: %s", exc)
            return
        if found is None or not (found.restored or found.kept):
            return
        lines = []
        if found.restored:
            lines.append(
                f"{found.restored} note{'s' if found.restored != 1 else ''} typed in the last session "
                "had not been saved; they are back in their records and being saved now."
            )
        if found.kept:
            lines.append(
                "Kept in the recovery file, not restored: "
                + "; ".join(shown(k, 200) for k in found.kept)
                + "."
            )
        self.status.emit(" ".join(lines))
        box = message_box(
            self._detail.window(),
            "Unsaved notes restored",
            "\n\n".join(lines),
            f"Recovery file: {shown(found.path)}",
            icon=QMessageBox.Icon.Information,
        )
        box.open()  # not modal to the app: the window works while it shows
        self.saver.save_now()
