"""Export the current view to CSV and import records from CSV, in the background.

Both run in a worker with their own Store (desktop/ui/worker.py) and come back as frozen
results; an import is recorded as one change, so Undo can take it back like any action.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from db.safe_text import shown
from db.store import Query, Store, UserChange
from desktop.formatting import records_text
from desktop.ui.message_box import ask_to_replace, warn
from desktop.ui.tracker_model import TrackerModel
from desktop.ui.worker import Task, run_task


@dataclass(frozen=True)
class ExportResult:
    """An export's end: how many records went to `path`, or why it failed."""

    path: str
    rows: int = 0
    error: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """An import's end: its counts and the change Undo puts back, or why it failed."""

    path: str
    new: int = 0
    updated: int = 0
    changes: str = ""
    change: UserChange | None = None
    error: str | None = None


def export_view(db_path: Path, query: Query, path: Path) -> ExportResult:
    store = Store.open(db_path)
    try:
        rows = store.export_csv(path, query)
    finally:
        store.close()
    return ExportResult(str(path), rows)


def import_file(db_path: Path, path: Path) -> ImportResult:
    """Runs in a worker; the change it records is what Undo puts back."""
    store = Store.open(db_path)
    try:
        with store.recording() as change:
            result = store.import_csv(path)
    finally:
        store.close()
    return ImportResult(str(path), result.new, result.updated, result.changes_text(), change)


class TransferController(QObject):
    before_transfer = Signal()  # pending notes must reach the store first: the worker reads it
    imported = Signal()  # records came in: re-read rows and counts
    undoable = Signal(str, UserChange)  # what the status line says, and what Undo puts back
    export_finished = Signal(ExportResult)
    import_finished = Signal(ImportResult)
    status = Signal(str)

    def __init__(self, window: QWidget, db_path: Path, model: TrackerModel) -> None:
        super().__init__(window)
        self._window = window
        self._db_path = db_path
        self._model = model
        self._closed = False

    def close(self) -> None:
        self._closed = True

    def choose_export(self) -> None:
        view = self._model.query.view.replace("_", "-")
        suggested = Path.home() / f"policy-tracker-{view}-{date.today():%Y-%m-%d}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            "Export the current view to CSV",
            str(suggested),
            "CSV files (*.csv)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked below, whichever dialog it was
        )
        if path and (
            not Path(path).exists()
            or ask_to_replace(
                self._window, Path(path), "Exporting replaces it with the records of this view."
            )
        ):
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Task:
        """Write what the table shows (its filters and order) to `path`, in the background."""
        self.before_transfer.emit()
        query = replace(self._model.query)
        self.status.emit(f"Exporting {self._model.rowCount():,} records…")
        return run_task(
            export_view,
            self._db_path,
            query,
            path,
            on_result=self._on_exported,
            on_error=lambda message: self._on_exported(ExportResult(str(path), error=message)),
        )

    def _on_exported(self, result: ExportResult) -> None:
        if result.error is not None:
            self.status.emit(f"Export failed: {result.error}")
            if not self._closed:
                warn(self._window, "Export failed", shown(result.path), shown(result.error, 2000))
        else:
            self.status.emit(f"Exported {records_text(result.rows)} to {result.path}.")
        self.export_finished.emit(result)

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Import records from CSV", str(Path.home()), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> Task:
        self.before_transfer.emit()
        self.status.emit(f"Importing {path.name}…")
        return run_task(
            import_file,
            self._db_path,
            path,
            on_result=self._on_imported,
            on_error=lambda message: self._on_imported(ImportResult(str(path), error=message)),
        )

    def _on_imported(self, result: ImportResult) -> None:
        if result.error is not None:
            self.status.emit(f"Import failed: {result.error}")
            if not self._closed:
                warn(self._window, "Import failed", shown(result.path), shown(result.error, 2000))
        elif not self._closed:
            self.imported.emit()
            changes = f" ({result.changes})" if result.changes else ""
            text = f"Imported {result.path}: {result.new} new, {result.updated} updated{changes}."
            if result.change:
                self.undoable.emit(text, result.change)
            else:
                self.status.emit(text)
        self.import_finished.emit(result)
