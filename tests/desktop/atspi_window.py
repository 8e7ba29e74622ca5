"""The window tests/desktop/test_atspi.py reads over AT-SPI: a generated store, a record shown.

Run by the project's Python on a real X server (Xvfb) with Qt's AT-SPI bridge on; the reader
(tests/desktop/atspi_reader.py) is another process, as a screen reader is.

    python tests/desktop/atspi_window.py STORE.sqlite3
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db.store import Store
from desktop.ui.app import application
from desktop.ui.controllers.tracker import build_window
from tests.desktop import records

RECORDS = 30


def main() -> int:
    app = application()
    store = Store.open(records.build(Path(sys.argv[1]), RECORDS))
    try:
        window, controller = build_window(store)
        window.resize(1440, 880)
        window.show()
        window.table.setFocus()

        def first_record() -> None:  # as J would once the rows land: read in the details pane
            controller.model.page_ready.disconnect(first_record)
            controller.place.select_row(0)

        controller.model.page_ready.connect(first_record)
        return app.exec()
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
