"""The refresh pipeline shared by `policy-tracker fetch` and the window's Refresh.

Fetching and parsing run in a worker process (`desktop/fetch_process.py`: a small pool there
fetches sources on different hosts at once; its client keeps one host's requests serial and
spaced). Every write happens here, through one Store owned by the calling thread, one
transaction per source, so a failing source never costs another its records.

A refresh has a time budget: when it runs out, the worker's requests end themselves and what
was fetched is saved; a worker still busy (a parser chewing on a hostile payload) a grace
period later is killed, as it is at once on Cancel, and the sources it had not finished are
reported as timed out or cancelled. A dead server or a stuck parser therefore costs one budget
at most, never a hung refresh or a frozen window.

Whatever goes wrong while saving one source (a full disk, text SQLite refuses, a bug) fails
that source only, with a readable reason; every error is stored and shown through
`db/safe_text.py` (control characters escaped, passwords in addresses hidden).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.synchronize
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from db.safe_text import shown
from db.store import Store, StoreError
from desktop import site_change
from desktop.fetch_process import EventFlag, Fetched, fetch_all
from desktop.sources_file import source_row
from scrapers.http import HttpClient
from scrapers.model import Announcement, Source, Validators

logger = logging.getLogger(__name__)

DEFAULT_BUDGET_S = 900.0  # a whole refresh; each request also has the client's own deadline
# How long past the budget to wait for the fetch process (its requests end at the budget) before
# killing it: only a parser still busy then needs it.
OVERRUN_GRACE_S = 2.0
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class SourceOutcome:
    """What one source's refresh gave: counts, or the reason it failed."""

    source_id: str
    name: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: bool = False
    error: str | None = None
    detail_errors: tuple[str, ...] = ()
    cancelled: bool = False  # stopped by the user before it finished: nothing saved, not a failure
    site_changed: tuple[str, ...] = ()  # what collapsed against its last good refreshes
    first_listed: int = 0  # of the unchanged: first listed here, already brought by another source
    unreachable: bool = False  # failed for want of a network (refused, no such host, timed out)

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        """The outcome under the source's id (the command line, where `--only` takes ids)."""
        return f"{self.source_id}: {self.result()}"

    def result(self) -> str:
        """What happened, without the source: the window puts the source's name in front."""
        if self.cancelled:
            return "cancelled before it finished (nothing saved)"
        if self.error:
            return f"FAILED: {self.error}"
        if self.not_modified:
            return "unchanged (not modified since last fetch)"
        if self.site_changed:  # loud, and first: the counts alone would look like a success
            reasons = "; ".join(self.site_changed)
            text = f"SITE CHANGED? {reasons} ({self.new} new; stored records left as they were)"
        else:
            text = self._counts()
        if self.detail_errors:
            text += f"; {len(self.detail_errors)} detail pages failed ({self.detail_errors[0]})"
        return text

    def _counts(self) -> str:
        """Only the counts that are not zero, "new" always: a first fetch reads "8 new"."""
        if self.new + self.changed + self.unchanged == 0:
            return "0 new (no items: check the site or the source's settings)"
        parts = [f"{self.new} new"]
        if self.changed:
            parts.append(f"{self.changed} updated")
        if unchanged := self.unchanged - self.first_listed:
            parts.append(f"{unchanged} unchanged")
        if self.first_listed:
            parts.append(f"{self.first_listed} already brought by another source")
        return ", ".join(parts)


@dataclass(frozen=True)
class RefreshSummary:
    """Every source's outcome, in the order they finished, and whether the user cancelled."""

    outcomes: tuple[SourceOutcome, ...] = ()
    cancelled: bool = False

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def changed(self) -> int:
        return sum(o.changed for o in self.outcomes)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def site_changed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.site_changed]

    @property
    def offline(self) -> bool:
        """Every source tried failed for want of a network: one "you seem to be offline" says
        more than a failure per source. An HTTP error means a server answered: not offline."""
        tried = [o for o in self.outcomes if not o.cancelled]
        return bool(tried) and all(o.unreachable for o in tried)

    def lines(self) -> list[str]:
        return [o.line() for o in self.outcomes]

    def text(self) -> str:
        failed = len(self.failed)
        parts = [f"{self.new} new", f"{self.changed} changed"]
        if failed:
            parts.append(f"{failed} source{'s' if failed != 1 else ''} failed")
        if marked := len(self.site_changed):
            parts.append(f"{marked} source{'s' if marked != 1 else ''} may have changed")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)

    def offline_text(self) -> str:
        """Said once instead of a failure per source, when `offline`."""
        count = len(self.failed)
        which = "the source" if count == 1 else f"any of the {count} sources"
        return (
            f"You seem to be offline: could not reach {which} (no connection, no such host or no "
            "answer). Nothing stored was changed; refresh again once you are connected."
        )


ProgressCallback = Callable[[SourceOutcome, int, int], None]


def refresh(
    db_path: Path,
    sources: Sequence[Source],
    *,
    client: HttpClient | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: EventFlag | None = None,
    workers: int = 4,
    budget: float | None = DEFAULT_BUDGET_S,
) -> RefreshSummary:
    """Fetch every enabled source and save each one's announcements in its own transaction.

    The fetching and parsing run in a worker process (`desktop/fetch_process.py`) built with
    `client`'s settings; this process saves each result as it arrives. Returns within `budget`
    seconds (plus `OVERRUN_GRACE_S`) and promptly after `cancel`, whatever a server or a parser
    does: the worker is killed then, and the sources it had not finished are reported.
    A `cancel` made by `new_cancel_flag()` is seen by the worker itself at once.
    """
    cancel = cancel or threading.Event()
    enabled = [s for s in sources if s.enabled]
    settings = dict(client.settings) if client is not None else {}
    outcomes: list[SourceOutcome] = []
    give_up = time.monotonic() + budget if budget is not None else None
    store = Store.open(db_path)
    try:
        store.sync_sources([source_row(s) for s in sources])
        validators = {s.id: Validators(*store.validators(s.id)) for s in enabled}

        def report(fetched: Fetched) -> None:
            outcome = _save(store, fetched)
            outcomes.append(outcome)
            if on_progress:
                on_progress(outcome, len(outcomes), len(enabled))

        if enabled:
            unfinished = _run_worker(
                db_path, enabled, validators, settings, workers, give_up, _overrun(budget), cancel, report
            )
            for source, reason in unfinished:
                report(Fetched(source, error=reason, cancelled=reason is None))
        cancelled = cancel.is_set()
    finally:
        store.close()
    return RefreshSummary(tuple(outcomes), cancelled)


def fetch_one(source: Source, client: HttpClient, *, budget: float) -> Fetched:
    """Fetch and parse one source in a worker process, saving nothing (the Add source preview):
    a hostile page can cost `budget` seconds at most, and never the window's responsiveness.

    Kinds with detail pages would read the store to choose them; only the listing is read here.
    """
    got: list[Fetched] = []
    give_up = time.monotonic() + budget
    reason = f"no answer within {budget:g} s"
    unfinished = _run_worker(
        Path(),
        [source],
        {source.id: Validators()},
        dict(client.settings),
        1,
        give_up,
        reason,
        threading.Event(),
        got.append,
        details=False,
    )
    return got[0] if got else Fetched(source, error=unfinished[0][1] or reason)


def _run_worker(
    db_path: Path,
    sources: list[Source],
    validators: dict[str, Validators],
    settings: dict[str, object],
    workers: int,
    give_up: float | None,
    overrun: str,
    cancel: EventFlag,
    report: Callable[[Fetched], None],
    *,
    details: bool = True,
) -> list[tuple[Source, str | None]]:
    """Run the fetch process, `report` each result it sends; returns the sources it did not
    finish, each with the reason to record (None: cancelled by the user, nothing recorded)."""
    context = multiprocessing.get_context("spawn")
    shared = cancel if isinstance(cancel, multiprocessing.synchronize.Event) else context.Event()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=fetch_all,
        args=(sender, db_path, sources, validators, settings, give_up, overrun, workers, shared, details),
        name="policy-tracker-fetch",
        daemon=True,  # a parent that exits takes it along
    )
    process.start()
    sender.close()  # the child holds the only writing end: its death is our end of file
    waiting = {s.id: s for s in sources}
    reason: str | None = None
    try:
        while waiting:
            if cancel.is_set():
                shared.set()
                break
            if give_up is not None and time.monotonic() > give_up + OVERRUN_GRACE_S:
                reason = overrun  # stuck past every deadline (a parser that never ends)
                break
            fetched = _receive(receiver, timeout=0.1)
            if fetched is _ENDED:
                process.join(1)
                code = process.exitcode
                reason = f"the fetch stopped unexpectedly (exit code {code}) before this source finished"
                break
            if isinstance(fetched, Fetched) and waiting.pop(fetched.source.id, None) is not None:
                report(fetched)
    finally:
        _stop(process)
        while waiting and (fetched := _receive(receiver, timeout=0)) not in (None, _ENDED):
            if isinstance(fetched, Fetched) and waiting.pop(fetched.source.id, None) is not None:
                report(fetched)  # finished before the stop: kept
        receiver.close()
    return [(source, reason) for source in waiting.values()]


_ENDED = object()  # the fetch process closed its end of the pipe (finished or died)


def _receive(receiver: Connection, timeout: float) -> object:
    """The next result, None when there is none yet, `_ENDED` once the child is gone."""
    try:
        if not receiver.poll(timeout):
            return None
        return receiver.recv()
    except (EOFError, OSError):  # a message cut short by the kill is an end, not a result
        return _ENDED


def _stop(process: BaseProcess) -> None:
    """End the fetch process now and reap it: no process is ever left behind."""
    if process.is_alive():
        process.kill()
    process.join(5)
    if process.exitcode is not None:  # reaped; else left to multiprocessing's own clean-up
        process.close()


def new_cancel_flag() -> EventFlag:
    """A Cancel the fetch process shares: set from any thread, obeyed there before its next
    source starts, even in the moment before the process is killed (the window's Cancel)."""
    return multiprocessing.get_context("spawn").Event()


def _overrun(budget: float | None) -> str:
    return f"the refresh reached its time limit ({budget:g} s) before this source finished"


def _save(store: Store, fetched: Fetched) -> SourceOutcome:
    source = fetched.source
    base = SourceOutcome(source.id, source.name)
    if fetched.cancelled:
        return replace(base, cancelled=True)
    if fetched.error is not None:
        return _failed(store, replace(base, unreachable=fetched.unreachable), fetched.error)
    assert fetched.listing is not None
    try:
        if fetched.listing.not_modified:
            store.record_not_modified(source.id)
            return replace(base, not_modified=True)
        announcements = [_storable(_with_defaults(a, source)) for a in fetched.announcements]
        validators: Validators | None = fetched.listing.validators
        alarm = site_change.check(store, source, fetched.listing.announcements)
        if alarm:  # keep every record as it was, take only new links, re-read the page next time
            announcements, validators = store.unknown_items(announcements), None
        result = store.save_announcements(source.id, announcements, validators)
    except StoreError as exc:  # a full disk, say: this batch is rolled back, the source says why
        return _failed(store, base, f"could not save: {exc}")
    except Exception as exc:  # a bug must cost this source only, never the refresh
        logger.exception("saving %s failed unexpectedly", source.id)
        return _failed(store, base, f"could not save: unexpected error: {exc.__class__.__name__}: {exc}")
    return replace(
        base,
        new=result.new,
        changed=result.changed,
        unchanged=result.unchanged,
        first_listed=result.first_listed,
        detail_errors=tuple(shown(e) for e in fetched.detail_errors),
        site_changed=tuple(alarm),
    )


def _failed(store: Store, base: SourceOutcome, error: str) -> SourceOutcome:
    """Record and return a failure; the reason as it may be stored and shown (one line,
    controls escaped, credentials hidden: it may quote a server's status line or a URL)."""
    reason = shown(error)
    try:
        store.record_failure(base.source_id, reason)
    except Exception:  # the store is failing too: the outcome still says why the source failed
        logger.warning("could not record the failure of %s", base.source_id, exc_info=True)
    return replace(base, error=reason)


def _storable(item: Announcement) -> Announcement:
    """Text as the store can keep it: a lone surrogate (a JSON "\\ud800") cannot be encoded as
    UTF-8 and would fail the whole batch, so it becomes U+FFFD, once, here at the boundary."""
    changes: dict[str, Any] = {
        f.name: _SURROGATE.sub("\ufffd", value)
        for f in fields(item)
        if isinstance(value := getattr(item, f.name), str) and _SURROGATE.search(value)
    }
    return replace(item, **changes) if changes else item


def _with_defaults(item: Announcement, source: Source) -> Announcement:
    """A source's jurisdiction, category and organisation fill what the item did not say."""
    return replace(
        item,
        jurisdiction=item.jurisdiction or source.jurisdiction or None,
        category=item.category or source.category or None,
        organisation=item.organisation or source.organisation or None,
    )
