"""Entry script of the frozen app: `policy-tracker` (desktop.cli.main), failures shown, not dumped.

PyInstaller needs a script, not a `module:function` entry point. Besides calling the CLI, this
makes sure a frozen start never ends in a console traceback: an error while opening the window
is a dialog naming the log file (desktop.ui.fatal_error), an error in a command is one line.
"""

from __future__ import annotations

import multiprocessing
import sys

COMMANDS = {"fetch", "export", "import", "sources", "brief"}
TEXT_ONLY = {"-h", "--help", "--version"}


def opens_window(argv: list[str]) -> bool:
    """True when the command line asks for the window (no command, no --help or --version)."""
    return not (COMMANDS | TEXT_ONLY) & set(argv)


def main() -> int:
    from desktop.ui.fatal_error import EXIT_FATAL, qt_unavailable_reason, run_guarded, show_fatal_error

    argv = sys.argv[1:]
    from desktop.briefs import PDF_CHILD_ARG

    if argv[:1] == [PDF_CHILD_ARG]:  # the PDF child of `brief --format pdf` (desktop/briefs/output.py)
        from desktop.ui.brief_pdf import main as render_pdf

        return render_pdf(argv[1:])
    gui = opens_window(argv)
    if gui:
        reason = qt_unavailable_reason()
        if reason is not None:
            show_fatal_error(reason)  # Qt cannot start: this goes to stderr (or a native box)
            return EXIT_FATAL

    def start() -> int:
        from desktop.cli import main as cli_main

        return cli_main(argv)

    return run_guarded(start, gui=gui)


if __name__ == "__main__":
    # A refresh fetches in a spawned worker process (docs/ARCHITECTURE.md, "The fetch process"):
    # in the frozen app that process starts this script again, and must run the worker, not main.
    multiprocessing.freeze_support()
    sys.exit(main())
