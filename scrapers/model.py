"""Plain data passed from the scrapers to the store: sources, announcements and fetch results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("funding", "policy", "consultation", "legislation", "press", "speech", "other")


class ScrapeError(Exception):
    """A source could not be read; the message is the plain-language reason shown to the user."""


class NetworkError(ScrapeError):
    """No server answered: the connection was refused, the host name is unknown, or it timed
    out. Unlike an HTTP error, every source failing this way means the machine is offline."""


class ParseError(ScrapeError):
    """A payload arrived but is not what the source's kind expects (the site may have changed)."""


@dataclass(frozen=True)
class Source:
    """One `[[source]]` of a sources file."""

    id: str
    name: str
    kind: str
    url: str
    jurisdiction: str = ""
    category: str = "other"
    enabled: bool = True
    organisation: str = ""
    # Kind-specific keys (e.g. `selectors`, `organisations`, `max_pages`), kept as given.
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Announcement:
    """One announcement as a source shows it.

    A field left as None means "this source did not say", so saving it never clears what an
    earlier, fuller fetch (a detail page) stored. Dates are ISO 8601 strings in UTC.
    """

    url: str
    title: str
    summary: str | None = None
    body: str | None = None
    category: str | None = None
    jurisdiction: str | None = None
    organisation: str | None = None
    identifier: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    opens_at: str | None = None
    deadline_at: str | None = None
    budget_amount: float | None = None
    budget_currency: str | None = None
    call_status: str | None = None
    # The funding programme, with its part where the source names one ("Horizon Europe ·
    # Cluster 4: Digital, Industry and Space"), and the type of action ("HORIZON Research and
    # Innovation Actions", a UKRI "Grant"): the facets a funding officer filters by.
    programme: str | None = None
    action_type: str | None = None
    # Where the details (full text, dates, budget) can be read, when the kind has detail pages.
    detail_url: str | None = None


@dataclass(frozen=True)
class Validators:
    """What the server said last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Listing:
    """What one fetch of a source's listing gave."""

    announcements: list[Announcement]
    not_modified: bool = False
    validators: Validators = field(default_factory=Validators)
