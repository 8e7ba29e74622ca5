"""`policy-tracker tags`: every tag with its records and colour; rename, merge, colour, delete.

The same store calls the window's Tags dialog makes (docs/TAGS.md). A merge and a delete are
the user's tags going away, so without `--yes` the command only says what it would do (how
many records) and changes nothing, as the window asks first.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from db.safe_text import shown
from db.store import TAG_COLOURS, Store, TagInfo
from desktop.commands.errors import EXIT_OK, EXIT_USAGE, UsageError
from desktop.commands.store_file import check_store_path
from desktop.formatting import records_text
from desktop.tag_changes import rename_text


def add_tags_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    tags = command(
        "tags", "list the tags with their records and colours; rename, merge, colour or delete one"
    )
    what = tags.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="every tag, its records and colour (the default)")
    what.add_argument(
        "--rename", nargs=2, metavar=("OLD", "NEW"), help="rename a tag; onto another's name: merge"
    )
    what.add_argument("--delete", metavar="NAME", help="remove the tag from every record and delete it")
    what.add_argument(
        "--colour",
        nargs=2,
        metavar=("NAME", "COLOUR"),
        help=f"give a tag a colour: {', '.join(TAG_COLOURS)} or none",
    )
    tags.add_argument(
        "--yes", action="store_true", help="do a merge or a delete (without: only say what it would do)"
    )


def run_tags(args: argparse.Namespace, db_path: Path) -> int:
    check_store_path(db_path)
    if not db_path.is_file():
        raise UsageError(f"{db_path}: no store there yet (run `policy-tracker fetch` first)")
    with Store.open(db_path) as store:
        known = {t.name.casefold(): t for t in store.tags()}

        def tag(name: str) -> TagInfo:
            found = known.get(" ".join(name.split()).casefold())
            if found is None:
                raise UsageError(f"there is no tag “{shown(name, 80)}” (see `policy-tracker tags`)")
            return found

        try:
            if args.rename:
                return _rename(store, tag(args.rename[0]).name, args.rename[1], args.yes)
            if args.delete:
                return _delete(store, tag(args.delete), args.yes)
            if args.colour:
                name, colour = tag(args.colour[0]).name, args.colour[1].lower()
                store.set_tag_colour(name, None if colour == "none" else colour)
                print(
                    f"the tag “{shown(name, 80)}” is now {colour if colour != 'none' else 'without a colour'}"
                )
                return EXIT_OK
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for info in known.values():
            print(f"{shown(info.name, 200)}\t{info.records}\t{info.colour or ''}")
    return EXIT_OK


def _rename(store: Store, old: str, new: str, yes: bool) -> int:
    plan = store.plan_rename(old, new)
    if plan.merge and not yes:
        print(
            f"would merge “{shown(plan.old, 80)}” into “{shown(plan.new, 80)}”: {records_text(plan.records)}"
            f" ({plan.both:,} already carry both); nothing changed, run again with --yes to merge"
        )
        return EXIT_USAGE
    print(rename_text(store.rename_tag(old, new)))
    return EXIT_OK


def _delete(store: Store, info: TagInfo, yes: bool) -> int:
    name = info.name
    if not yes:
        print(
            f"would remove the tag “{shown(name, 80)}” from {records_text(info.records)};"
            " nothing changed, run again with --yes to delete it"
        )
        return EXIT_USAGE
    untagged = store.delete_tag(name)
    print(f"deleted the tag “{shown(name, 80)}” ({records_text(untagged)} untagged)")
    return EXIT_OK
