"""The Qt binding keeps Python's reference counts: a long session must not abort the interpreter.

PySide6 6.12.0 on CPython 3.11 drops a reference to True on every `signal.emit()` made from
Python and to None each time a Python override returns None to C++ (a model's `data()`). On
3.12+ those objects are immortal and nothing happens; on 3.11 the interpreter aborts
("bool_dealloc" / "none_dealloc") after a few thousand selections. pyproject.toml keeps 3.11 on
an earlier PySide6; this test fails loudly if a broken combination comes back.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal


class _Emitter(QObject):
    happened = Signal(int)


class _Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 3

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 3

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return None


def test_emits_and_none_returns_keep_reference_counts(qapp) -> None:
    emitter = _Emitter()
    model = _Model()
    gc.collect()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(200):
        emitter.happened.emit(number)
        model.dataChanged.emit(model.index(0, 0), model.index(0, 2))
        model.index(1, 1).data(Qt.ItemDataRole.FontRole)
    gc.collect()
    assert sys.getrefcount(True) - true_before > -50, "signal emits leak references to True"
    assert sys.getrefcount(None) - none_before > -50, "None returned to C++ leaks a reference"
