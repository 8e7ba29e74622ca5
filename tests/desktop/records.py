"""Generated records for the window's tests: varied, deterministic, saved through the store API."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.store import Store
from scrapers.model import Announcement

SOURCES = (
    ("ec-news", "European Commission news", "EU"),
    ("eu-funding", "EU Funding & Tenders", "EU"),
    ("govuk-dsit", "GOV.UK: DSIT news", "UK"),
    ("ukri-funding", "UKRI funding opportunities", "UK"),
    ("europarl", "European Parliament press releases", "EU"),
)
CATEGORIES = ("funding", "policy", "consultation", "legislation", "press", "speech", "other")
WORDS = (
    "AI",
    "Act",
    "compute",
    "sovereignty",
    "Horizon",
    "Europe",
    "Digital",
    "skills",
    "data",
    "safety",
    "chips",
    "cloud",
    "research",
    "innovation",
    "standards",
    "trustworthy",
    "models",
    "frontier",
    "health",
    "climate",
    "quantum",
    "robotics",
    "security",
    "regulation",
    "call",
)
SEARCH_WORD = "photonics"  # in the title of every 37th record, nowhere else
TAGS = (("AI Act", 9), ("compute", 17), ("for Friday", 23))


def source_rows() -> list[dict[str, object]]:
    return [
        {
            "id": sid,
            "name": name,
            "kind": "feed",
            "url": f"https://example.org/{sid}/feed",
            "jurisdiction": jurisdiction,
            "category": "press",
            "enabled": True,
            "config": {},
        }
        for sid, name, jurisdiction in SOURCES
    ]


def announcement(number: int, rng: random.Random, now: datetime) -> tuple[str, Announcement]:
    source_id, _name, jurisdiction = SOURCES[number % len(SOURCES)]
    category = CATEGORIES[(number * 7 + number // 5) % len(CATEGORIES)]
    words = rng.sample(WORDS, 5)
    if number % 37 == 0:
        words[2] = SEARCH_WORD
    # Mixed case and repeated titles, so NOCASE ordering and id tie-breaks are exercised.
    title = " ".join(words) if number % 53 else "Repeated title"
    title = title.capitalize() if number % 3 else title.upper() if number % 2 else title.lower()
    published = None if number % 41 == 0 else _iso(now - timedelta(hours=rng.randint(0, 24 * 700)))
    deadline = budget = currency = call_status = None
    if category in ("funding", "consultation") and number % 4:
        deadline = _iso(now + timedelta(hours=rng.randint(-24 * 60, 24 * 200)))
    if category == "funding":
        call_status = ("open", "forthcoming", "closed")[number % 3]
        if number % 6:
            budget = float(rng.randint(5, 400) * 100_000)
            currency = "EUR" if jurisdiction == "EU" else "GBP"
    return source_id, Announcement(
        url=f"https://example.org/{source_id}/item-{number}",
        title=title,
        summary=f"Summary of item {number}: {' '.join(rng.sample(WORDS, 8))}.",
        body=f"Full text of item {number}.\n\n{' '.join(rng.sample(WORDS, 12))}.",
        category=category,
        jurisdiction=jurisdiction,
        organisation="European Commission" if jurisdiction == "EU" else "UK Research and Innovation",
        identifier=f"ID-{number:05d}",
        published_at=published,
        deadline_at=deadline,
        budget_amount=budget,
        budget_currency=currency,
        call_status=call_status,
    )


def fill(store: Store, count: int, *, seed: int = 7, user_data: bool = True) -> None:
    """Save `count` generated records (one batch per source), then user data on some of them."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    store.sync_sources(source_rows())
    batches: dict[str, list[Announcement]] = {sid: [] for sid, _n, _j in SOURCES}
    for number in range(1, count + 1):
        source_id, item = announcement(number, rng, now)
        batches[source_id].append(item)
    for source_id, items in batches.items():
        store.save_announcements(source_id, items)
    if not user_data:
        return
    ids = [row[0] for row in store.db.conn.execute("SELECT id FROM records ORDER BY id").fetchall()]
    store.set_starred([i for i in ids if i % 7 == 0], True)
    store.set_status([i for i in ids if i % 5 == 0], "reviewing")
    store.set_status([i for i in ids if i % 11 == 0], "done")
    store.set_status([i for i in ids if i % 13 == 0], "archived")
    for name, step in TAGS:
        store.add_tag([i for i in ids if i % step == 0], name)
    for record_id in ids[::97]:
        store.set_note(record_id, f"Note on {record_id}\nsecond line")
    store.mark_read([i for i in ids if i % 2 == 0])


def build(path: Path, count: int, **kwargs: object) -> Path:
    store = Store.open(path)
    try:
        fill(store, count, **kwargs)  # type: ignore[arg-type]
    finally:
        store.close()
    return path


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
