"""File → Brief…: the chosen records read off the UI thread, a preview that follows the typing,
and the file saved by desktop/briefs/output.py (the command line's path) on a worker.

A PDF is made there by a child process (desktop/ui/brief_pdf.py), so neither the save nor a
slow or failing Qt renderer ever blocks the window. A failed save says why in the dialog and
keeps everything typed; what was typed is also kept for the next brief (QSettings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from db.csv_io import check_export_target
from db.safe_text import shown
from db.store import Query, Store, StoreError
from desktop.briefs import BRIEF_KINDS
from desktop.briefs.html import render_html
from desktop.briefs.model import Brief, BriefOptions, build_brief
from desktop.briefs.output import BriefWriteError, save_brief
from desktop.briefs.selection import Selection, period_text, select_records
from desktop.ui.dialogs.brief_dialog import SELECTED, TAG, VIEW, BriefChoices, BriefDialog
from desktop.ui.links import open_in_browser
from desktop.ui.message_box import ask_to_replace
from desktop.ui.worker import Task, run_task

PREVIEW_DELAY_MS = 200  # the preview follows the typing after this pause
_KEPT = ("heading", "intro", "group_by", "fmt")  # what the next brief starts from
_SUFFIX = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "md": ".md"}


@dataclass(frozen=True)
class BriefScope:
    """What the window had when File → Brief… was chosen: the records it can be made of."""

    selected_ids: tuple[int, ...]
    view: Query
    view_label: str
    tags: tuple[str, ...]
    tag: str | None = None  # the tag the window shows, if it shows one: the brief starts there


@dataclass(frozen=True)
class SavedBrief:
    """A save's end: `records` records written to `path`, or `error` in one plain line."""

    path: str
    records: int = 0
    error: str | None = None


def read_records(db_path: Path, source: Selection | Query) -> list[dict[str, Any]]:
    """The records of a brief, read with the worker's own Store."""
    with Store.open(db_path) as store:
        if isinstance(source, Selection):
            return select_records(store, source)
        return store.full_rows(source)


def write_brief(brief: Brief, fmt: str, target: Path, store_path: Path) -> SavedBrief:
    """Save `brief` as the command line does: never over the store or a backup, atomically."""
    try:
        check_export_target(target, store_path, BRIEF_KINDS[fmt])
        save_brief(brief, fmt, target)
    except OSError as exc:
        reason = shown(exc.strerror or str(exc))
        return SavedBrief(str(target), error=f"Cannot write {shown(target)}: {reason}. Nothing was written.")
    except (BriefWriteError, StoreError) as exc:
        return SavedBrief(str(target), error=shown(str(exc), 400))
    return SavedBrief(str(target), brief.record_count)


def saved_text(result: SavedBrief) -> str:
    """What a save's end says, in the dialog and in the window's status line."""
    if result.error is not None:
        return f"Not saved: {result.error}"
    noun = "record" if result.records == 1 else "records"
    return f"Saved {result.records:,} {noun} to {shown(result.path)}."


def records_source(scope: BriefScope, choices: BriefChoices) -> Selection | Query:
    """The selection (listed ids, a tag) or the view's query, narrowed to the dates chosen."""
    if choices.records == SELECTED:
        return Selection(record_ids=scope.selected_ids)
    if choices.records == TAG:
        return Selection(tag=choices.tag, since=choices.since, until=choices.until)
    view = scope.view
    return replace(
        view,
        date_from=_later(_day(view.date_from), choices.since),
        date_to=_earlier(_day(view.date_to), choices.until),
    )


class BriefController(QObject):
    """One Brief dialog: `saved` when a save ends (well or not)."""

    saved = Signal(SavedBrief)

    def __init__(
        self, parent: QWidget, db_path: Path, scope: BriefScope, qsettings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.scope = scope
        self._settings = qsettings or QSettings()
        self.dialog = BriefDialog(
            selected_count=len(scope.selected_ids),
            view_label=scope.view_label,
            tags=list(scope.tags),
            parent=parent,
        )
        # A tag in view, else several selected rows, else the view (one row is just the current one).
        if scope.tag:
            self.dialog.choose_records(TAG, scope.tag)
        else:
            self.dialog.choose_records(SELECTED if len(scope.selected_ids) > 1 else VIEW)
        self._restore()
        self.records: list[dict[str, Any]] | None = None
        self.brief: Brief | None = None
        self._reading = 0  # the latest read; an older one's rows are dropped
        self.read_task: Task | None = None
        self.save_task: Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        d = self.dialog
        d.changed.connect(self._timer.start)
        d.records_changed.connect(self.read)
        d.save_requested.connect(self.choose_file)
        d.link_clicked.connect(open_in_browser)
        d.finished.connect(self._on_closed)
        self._closed = False
        self.read()

    def show(self) -> None:
        self.dialog.open()

    # -- the records and the preview ---------------------------------------------------------------

    def read(self) -> Task:
        """Read the chosen records again (on a worker); the preview follows."""
        self._reading += 1
        reading = self._reading
        self.dialog.preview_note.setText("Reading the records…")
        source = records_source(self.scope, self.dialog.choices())
        self.read_task = run_task(
            read_records,
            self.db_path,
            source,
            on_result=lambda rows: self._on_read(reading, rows),
            on_error=lambda message: self._on_read_failed(reading, message),
        )
        return self.read_task

    def _on_read(self, reading: int, rows: list[dict[str, Any]]) -> None:
        if reading == self._reading and not self._closed:
            self.records = rows
            self.update_preview()

    def _on_read_failed(self, reading: int, message: str) -> None:
        if reading == self._reading and not self._closed:
            self.records = None
            self.brief = None
            self.dialog.preview_note.setText(f"The records could not be read: {shown(message, 300)}")

    def options(self) -> BriefOptions:
        c = self.dialog.choices()
        return BriefOptions(
            heading=c.heading,
            intro=c.intro,
            period=period_text(c.since, c.until),
            group_by=c.group_by,
            section_order=c.section_order,
            notes=c.notes,
            summaries=c.summaries,
            links=c.links,
        )

    def update_preview(self) -> None:
        """Build the brief from the records read and show it as it will be saved."""
        self._timer.stop()
        if self.records is None:
            return
        self.brief = build_brief(self.records, self.options())
        self.dialog.show_sections([section.title for section in self.brief.sections])
        count = self.brief.record_count
        self.dialog.show_preview(render_html(self.brief), f"{count:,} record{'s' if count != 1 else ''}")

    # -- saving ------------------------------------------------------------------------------------

    def choose_file(self) -> None:
        choices = self.dialog.choices()
        fmt = choices.fmt
        folder = Path(str(self._settings.value("brief/folder", "") or Path.home()))
        suggested = folder / f"{_file_stem(choices.heading)}-{date.today():%Y-%m-%d}{_SUFFIX[fmt]}"
        path, _ = QFileDialog.getSaveFileName(
            self.dialog,
            "Save the brief",
            str(suggested),
            f"{BRIEF_KINDS[fmt]} (*{_SUFFIX[fmt]})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked below, whichever dialog it was
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(_SUFFIX[fmt])
        if target.exists() and not ask_to_replace(self.dialog, target, "Saving replaces it with this brief."):
            return
        self._settings.setValue("brief/folder", str(target.parent))
        self.save_to(target)

    def save_to(self, target: Path) -> Task | None:
        """Save the brief as the preview shows it, in the chosen format, on a worker."""
        self.update_preview()  # what was typed in the last pause is in the file too
        if self.brief is None:
            self.dialog.show_result("Not saved: the records are still being read. Try again in a moment.")
            return None
        fmt = self.dialog.choices().fmt
        kind = BRIEF_KINDS[fmt]
        self.dialog.show_saving(f"Saving the {kind} to {shown(target.name)}…")
        self._keep()
        self.save_task = run_task(
            write_brief,
            self.brief,
            fmt,
            target,
            self.db_path,
            on_result=self._on_saved,
            on_error=lambda message: self._on_saved(SavedBrief(str(target), error=shown(message, 400))),
        )
        return self.save_task

    def _on_saved(self, result: SavedBrief) -> None:
        self.save_task = None
        if self._closed:  # the dialog was closed while saving: the window's status line says it
            self.saved.emit(result)
            self._dispose()
            return
        self.dialog.show_result(saved_text(result))
        self.saved.emit(result)

    # -- closing, and what the next brief starts from ----------------------------------------------------

    def _on_closed(self, _result: int) -> None:
        """Keep what was typed; let the dialog go once a save still running has ended."""
        self._keep()
        self._closed = True
        self._timer.stop()
        if self.save_task is None:
            self._dispose()

    def _dispose(self) -> None:
        self.dialog.deleteLater()
        self.deleteLater()

    def _keep(self) -> None:
        c = self.dialog.choices()
        for name in _KEPT:
            self._settings.setValue(f"brief/{name}", getattr(c, name))

    def _restore(self) -> None:
        d = self.dialog
        text = self._text
        d.heading.setText(text("heading") or d.heading.text())
        d.intro.setPlainText(text("intro"))
        for combo, name in ((d.group_by, "group_by"), (d.fmt, "fmt")):
            index = combo.findData(text(name))
            if index >= 0:
                combo.setCurrentIndex(index)

    def _text(self, name: str) -> str:
        value = self._settings.value(f"brief/{name}", "")
        return value if isinstance(value, str) else ""


def _file_stem(heading: str) -> str:
    """A file name from the heading: "Week 6: AI & compute" → "Week-6-AI-compute"."""
    words = re.findall(r"[^\W_]+", heading)
    return "-".join(words)[:60] or "brief"


def _day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _later(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(a, b) if a and b else a or b
