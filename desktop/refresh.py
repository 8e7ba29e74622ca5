"""The refresh pipeline shared by `policy-tracker fetch` and the window's Refresh.

Network work runs in a small pool (sources on different hosts at once; the client keeps one
host's requests serial and spaced). Every write goes through one Store owned by the calling
thread, one transaction per source, so a failing source never costs another its records.

A refresh has a time budget: when it runs out (or the user cancels), the client stops every
request in flight, the sources still waiting are reported as not finished, and what was
fetched is saved. A dead server therefore costs one budget at most, never a hung refresh.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from db.store import Store, StoreError
from desktop import site_change
from scrapers.http import DeadlineExceeded, HttpClient
from scrapers.kinds import get_kind, has_details
from scrapers.model import Announcement, Listing, ScrapeError, Source, Validators

logger = logging.getLogger(__name__)

DEFAULT_BUDGET_S = 900.0  # a whole refresh; each request also has the client's own deadline
# How long past the budget to wait for a worker that somehow ignored it, before leaving it behind.
OVERRUN_GRACE_S = 5.0


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

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        if self.cancelled:
            return f"{self.source_id}: cancelled before it finished (nothing saved)"
        if self.error:
            return f"{self.source_id}: FAILED: {self.error}"
        if self.not_modified:
            return f"{self.source_id}: unchanged (not modified since last fetch)"
        counts = f"{self.new} new, {self.changed} updated, {self.unchanged} unchanged"
        text = f"{self.source_id}: {counts}"
        if self.site_changed:  # loud, and first: the counts alone would look like a success
            reasons = "; ".join(self.site_changed)
            kept = f"{self.new} new; stored records left as they were"
            text = f"{self.source_id}: SITE CHANGED? {reasons} ({kept})"
        elif self.new + self.changed + self.unchanged == 0:
            text += " (no items: check the site or the source's settings)"
        if self.detail_errors:
            text += f"; {len(self.detail_errors)} detail pages failed ({self.detail_errors[0]})"
        return text


@dataclass
class RefreshSummary:
    outcomes: list[SourceOutcome] = field(default_factory=list)
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


ProgressCallback = Callable[[SourceOutcome, int, int], None]


@dataclass(frozen=True)
class _Fetched:
    source: Source
    listing: Listing | None = None
    announcements: tuple[Announcement, ...] = ()
    error: str | None = None
    detail_errors: tuple[str, ...] = ()
    cancelled: bool = False


def refresh(
    db_path: Path,
    sources: Sequence[Source],
    *,
    client: HttpClient | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    workers: int = 4,
    budget: float | None = DEFAULT_BUDGET_S,
) -> RefreshSummary:
    """Fetch every enabled source and save each one's announcements in its own transaction.

    Returns within `budget` seconds (plus a few to save) whatever the servers do.
    """
    cancel = cancel or threading.Event()
    enabled = [s for s in sources if s.enabled]
    own_client = client is None
    client = client or HttpClient()
    summary = RefreshSummary()
    give_up = time.monotonic() + budget if budget is not None else None
    store = Store.open(db_path)
    if give_up is not None:
        client.stop_at(give_up, _overrun(budget))
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="fetch")
    try:
        store.sync_sources([_source_row(s) for s in sources])
        validators = {s.id: Validators(*store.validators(s.id)) for s in enabled}
        started = {
            pool.submit(_fetch_source, db_path, client, s, validators[s.id], cancel): s for s in enabled
        }
        pending: set[Future[_Fetched]] = set(started)
        cancelled = False
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if cancel.is_set() and not cancelled:
                cancelled = True
                client.stop_at(time.monotonic(), "cancelled")  # requests in flight end now
                for future in pending:
                    future.cancel()
            for future in done:
                if future.cancelled():
                    continue
                outcome = _save(store, future.result())
                summary.outcomes.append(outcome)
                if on_progress:
                    on_progress(outcome, len(summary.outcomes), len(enabled))
            if cancelled:
                pending = {f for f in pending if not f.cancelled()}
            if give_up is not None and pending and time.monotonic() > give_up + OVERRUN_GRACE_S:
                for future in pending:  # stuck past every deadline: report it, do not wait for it
                    outcome = _save(store, _Fetched(started[future], error=_overrun(budget)))
                    summary.outcomes.append(outcome)
                    if on_progress:
                        on_progress(outcome, len(summary.outcomes), len(enabled))
                pending = set()
        summary.cancelled = cancel.is_set()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        store.close()
        if own_client:
            client.close()
        else:
            client.stop_at(None)
    return summary


def _overrun(budget: float | None) -> str:
    return f"the refresh reached its time limit ({budget:g} s) before this source finished"


def _fetch_source(
    db_path: Path, client: HttpClient, source: Source, validators: Validators, cancel: threading.Event
) -> _Fetched:
    """Runs in the pool: only network work and one short read to decide which details to fetch."""
    if cancel.is_set():
        return _Fetched(source, cancelled=True)
    try:
        kind = get_kind(source.kind)
        listing = kind.fetch(client, source, validators)
    except ScrapeError as exc:
        if cancel.is_set():  # the user's Cancel ended the request, the site did nothing wrong
            return _Fetched(source, cancelled=True)
        return _Fetched(source, error=str(exc))
    except Exception as exc:  # a parser bug must cost one source, never the refresh
        logger.exception("source %s failed unexpectedly", source.id)
        return _Fetched(source, error=f"unexpected error: {exc.__class__.__name__}: {exc}")
    if listing.not_modified or not has_details(kind):
        return _Fetched(source, listing, tuple(listing.announcements))
    reader = Store.open(db_path)
    try:
        wanted = {a.url for a in reader.needs_detail(listing.announcements, source_id=source.id)}
    finally:
        reader.close()
    items: list[Announcement] = []
    errors: list[str] = []
    out_of_time = False
    for item in listing.announcements:
        if item.url in wanted and not cancel.is_set() and not out_of_time:
            try:
                item = kind.fetch_detail(client, source, item)
            except DeadlineExceeded as exc:  # keep the listing; the other details cannot be had now
                errors.append(str(exc))
                out_of_time = True
            except ScrapeError as exc:
                errors.append(str(exc))
            except Exception as exc:
                logger.exception("detail of %s failed unexpectedly", item.url)
                errors.append(f"unexpected error: {exc.__class__.__name__}")
        items.append(item)
    return _Fetched(source, listing, tuple(items), detail_errors=tuple(errors))


def _save(store: Store, fetched: _Fetched) -> SourceOutcome:
    source = fetched.source
    base = SourceOutcome(source.id, source.name)
    if fetched.cancelled:
        return replace(base, cancelled=True)
    if fetched.error is not None:
        _record_failure(store, source.id, fetched.error)
        return replace(base, error=fetched.error)
    assert fetched.listing is not None
    try:
        if fetched.listing.not_modified:
            store.record_not_modified(source.id)
            return replace(base, not_modified=True)
        announcements = [_with_defaults(a, source) for a in fetched.announcements]
        validators: Validators | None = fetched.listing.validators
        alarm = site_change.check(store, source, fetched.listing.announcements)
        if alarm:  # keep every record as it was, take only new links, re-read the page next time
            announcements, validators = store.unknown_items(announcements), None
        result = store.save_announcements(source.id, announcements, validators)
    except StoreError as exc:  # a full disk, say: this batch is rolled back, the source says why
        error = f"could not save: {exc}"
        _record_failure(store, source.id, error)
        return replace(base, error=error)
    return replace(
        base,
        new=result.new,
        changed=result.changed,
        unchanged=result.unchanged,
        detail_errors=fetched.detail_errors,
        site_changed=tuple(alarm),
    )


def _record_failure(store: Store, source_id: str, error: str) -> None:
    try:
        store.record_failure(source_id, error)
    except StoreError:
        logger.warning("could not record the failure of %s", source_id)


def _with_defaults(item: Announcement, source: Source) -> Announcement:
    """A source's jurisdiction, category and organisation fill what the item did not say."""
    return replace(
        item,
        jurisdiction=item.jurisdiction or source.jurisdiction or None,
        category=item.category or source.category or None,
        organisation=item.organisation or source.organisation or None,
    )


def _source_row(source: Source) -> dict[str, object]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "jurisdiction": source.jurisdiction,
        "category": source.category,
        "enabled": source.enabled,
        "config": source.options,
    }
