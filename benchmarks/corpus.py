"""Generated, realistic announcements for the benchmarks: deterministic for a seed and a size.

Titles, summaries and detail-page text are drawn from policy vocabulary (programmes, topics,
institutions) plus a long tail of rarer words (names, places, acronyms), so that the search
index has a realistic shape: a few words in nearly every record, many in a few. 30 % are
funding calls with an identifier, opening date, deadline, budget and status. One word,
`RARE_WORD`, is put in about one record in ten thousand, for the "rare word" search.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from scrapers.model import Announcement

RARE_WORD = "agrivoltaics"
RARE_SHARE = 1e-4
COMMON_WORD = "funding"
PHRASE = "artificial intelligence"
FUNDING_SHARE = 0.30
YEARS = 8
ANCHOR = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SourceSpec:
    id: str
    name: str
    jurisdiction: str
    category: str
    organisation: str
    url_pattern: str  # "{n}" is the record's number, "{slug}" a few title words
    weight: float  # share of the non-funding (or funding) records


# The default sources (resources/sources.toml): funding sources share the funding records.
FUNDING_SOURCES = (
    SourceSpec(
        "eu-funding-calls",
        "EU Funding & Tenders: Horizon Europe and Digital Europe calls",
        "EU",
        "funding",
        "European Commission",
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
        "topic-details/{ident}",
        0.7,
    ),
    SourceSpec(
        "ukri-opportunities",
        "UKRI funding opportunities",
        "UK",
        "funding",
        "UK Research and Innovation",
        "https://www.ukri.org/opportunity/{slug}-{n}/",
        0.3,
    ),
)
OTHER_SOURCES = (
    SourceSpec(
        "govuk-dsit-aisi-news",
        "GOV.UK: DSIT and AI Security Institute news",
        "UK",
        "press",
        "Department for Science, Innovation and Technology",
        "https://www.gov.uk/government/news/{slug}-{n}",
        0.16,
    ),
    SourceSpec(
        "govuk-ai-policy",
        "GOV.UK: AI policy papers and consultations",
        "UK",
        "policy",
        "Department for Science, Innovation and Technology",
        "https://www.gov.uk/government/publications/{slug}-{n}",
        0.10,
    ),
    SourceSpec(
        "ukri-news",
        "UKRI news",
        "UK",
        "press",
        "UK Research and Innovation",
        "https://www.ukri.org/news/{slug}-{n}/",
        0.08,
    ),
    SourceSpec(
        "ec-presscorner",
        "European Commission press corner",
        "EU",
        "press",
        "European Commission",
        "https://ec.europa.eu/commission/presscorner/detail/en/{ident}",
        0.24,
    ),
    SourceSpec(
        "digital-strategy-news",
        "Shaping Europe's digital future: news",
        "EU",
        "policy",
        "European Commission (DG CONNECT)",
        "https://digital-strategy.ec.europa.eu/en/news/{slug}-{n}",
        0.14,
    ),
    SourceSpec(
        "eurohpc-news",
        "EuroHPC Joint Undertaking news",
        "EU",
        "press",
        "EuroHPC JU",
        "https://eurohpc-ju.europa.eu/{slug}-{n}_en",
        0.06,
    ),
    SourceSpec(
        "europarl-press",
        "European Parliament press releases",
        "EU",
        "press",
        "European Parliament",
        "https://www.europarl.europa.eu/news/en/press-room/{ident}/{slug}",
        0.14,
    ),
    SourceSpec(
        "ec-research-innovation-news",
        "European Commission: research and innovation news",
        "EU",
        "policy",
        "European Commission (DG RTD)",
        "https://research-and-innovation.ec.europa.eu/news/all-research-and-innovation-news/{slug}-{n}_en",
        0.08,
    ),
)
SOURCES = FUNDING_SOURCES + OTHER_SOURCES

TOPICS = (
    "artificial intelligence", "the AI Act", "general-purpose AI models", "frontier AI safety",
    "semiconductors", "the Chips Act", "quantum technologies", "quantum sensing", "cybersecurity",
    "common European data spaces", "cloud and edge infrastructure", "high-performance computing",
    "AI factories", "AI gigafactories", "digital skills", "online platforms",
    "the Digital Services Act", "the Digital Markets Act", "open source software",
    "research infrastructures", "clean hydrogen", "battery supply chains", "space technologies",
    "biotechnology", "health data", "child safety online", "compute capacity", "gigabit networks",
    "6G research", "the European Digital Identity Wallet", "interoperable public services",
    "AI standards", "public procurement of innovation", "copyright and AI", "data protection",
    "critical raw materials", "regulatory sandboxes", "responsible AI research",
    "trustworthy AI", "digital sovereignty", "startups and scale-ups", "green and digital skills",
    "robotics", "photonics", "microelectronics", "advanced materials", "smart grids",
    "climate adaptation", "the Data Act", "the Cyber Resilience Act", "media freedom",
    "disinformation", "research security", "open science", "talent and mobility",
)  # fmt: skip
PROGRAMMES = (
    ("HORIZON", "CL4"), ("HORIZON", "CL5"), ("HORIZON", "CL3"), ("HORIZON", "HLTH"),
    ("HORIZON", "INFRA"), ("HORIZON", "EIC"), ("HORIZON", "MSCA"), ("DIGITAL", "ECCC"),
    ("DIGITAL", "2027-AI"), ("DIGITAL", "2027-SKILLS"), ("DIGITAL", "2027-CLOUD-AI"),
    ("EUROHPC", "JU"),
)  # fmt: skip
ORGS = (
    "The Commission", "The European Parliament", "The Council", "DSIT", "UKRI", "Innovate UK",
    "EPSRC", "The AI Security Institute", "EuroHPC JU", "The European Research Council",
    "The European Innovation Council", "The Department for Business and Trade", "Ofcom",
    "The Information Commissioner's Office", "DG CONNECT", "DG RTD", "The Chips JU",
)  # fmt: skip
PEOPLE = (
    "Executive Vice-President Virkkunen", "Commissioner Zaharieva", "the Secretary of State",
    "the Science Minister", "President von der Leyen", "the rapporteur", "the Chief Executive",
    "the Director-General", "the AI Minister", "the Chair of the ITRE committee",
)  # fmt: skip
TITLE_TEMPLATES = (
    "{org} launches consultation on {topic}",
    "{org} publishes guidance on {topic}",
    "New £{small} million fund for {topic}",
    "€{small} million to boost {topic} across Europe",
    "Statement by {person} on {topic}",
    "Speech by {person}: {topic} and {topic2}",
    "Council and Parliament reach deal on {topic}",
    "{org} opens call on {topic}",
    "Call for evidence: {topic} and {topic2}",
    "{org} announces {small} new hubs for {topic}",
    "Report: the state of {topic} in {year}",
    "{org} and {org2} sign agreement on {topic}",
    "Commission proposes rules on {topic}",
    "Funding competition: {topic} feasibility studies",
    "Questions and answers on {topic}",
)
FUNDING_TITLES = (
    "{topic}: research and innovation actions",
    "Call for proposals on {topic} ({ident})",
    "{topic} — coordination and support action",
    "{topic} pilots for public administrations",
    "Innovation grants for {topic}",
    "Doctoral networks in {topic}",
    "{topic} testing and experimentation facilities",
)
SENTENCES = (
    "{org} today announced {small} million in funding for {topic}, with a focus on {topic2}.",
    "The initiative will support projects in {place} and help {topic} reach the market.",
    "According to {person}, {topic} is essential to Europe's competitiveness and security.",
    "Applicants must demonstrate how their work on {topic} contributes to {topic2}.",
    "The consultation closes on {date}; responses will inform the next steps on {topic}.",
    "A first set of results from the {word} pilot in {place} is expected in {year}.",
    "The {word} consortium, led by {place}, brings together {small} partners from industry.",
    "Member States are invited to nominate experts on {topic} by {date}.",
    "This follows the publication of the {word} report on {topic} and {topic2}.",
    "The programme builds on earlier work on {topic} funded under {programme}.",
    "Stakeholders raised concerns about the cost of compliance for small businesses.",
    "The agreement must now be formally adopted by both the Parliament and the Council.",
    "Further details, including eligibility criteria, are available on the funding portal.",
    "{org} will work with {org2} to make sure that {topic} benefits citizens and businesses.",
    "The {word} facility in {place} will offer access to compute for researchers and startups.",
    "The government will respond to the consultation on {topic} within twelve weeks.",
    "Researchers at {place} showed how {topic} could cut energy use by {small} per cent.",
    "Budget: up to {small} million per project; expected duration {small} months.",
)
PLACES = (
    "Brussels", "Luxembourg", "Strasbourg", "London", "Edinburgh", "Cardiff", "Belfast", "Paris",
    "Berlin", "Madrid", "Rome", "Warsaw", "Helsinki", "Barcelona", "Bologna", "Jülich", "Kajaani",
    "Ostrava", "Sofia", "Lisbon", "Dublin", "Cambridge", "Oxford", "Manchester", "Bristol",
    "Leuven", "Eindhoven", "Grenoble", "Dresden", "Tartu",
)  # fmt: skip
STATUSES_OPEN = ("Open", "Forthcoming")

_SYLLABLES = (
    "ar", "be", "con", "da", "el", "fi", "gra", "hel", "is", "jo", "ka", "lu", "mar", "ne", "or",
    "pol", "qui", "ren", "sto", "tri", "ux", "vel", "wen", "xa", "yor", "zen", "tal", "mos", "ric",
)  # fmt: skip


def _long_tail(rng: random.Random, size: int) -> list[str]:
    """Pseudo-words standing for project names, acronyms and places: a rare vocabulary."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Corpus:
    """`count` announcements, the same ones for the same seed and `now`."""

    def __init__(self, count: int, now: datetime | None = None, seed: int = 4) -> None:
        self.count = count
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.seed = seed
        rng = random.Random(seed)
        self._tail = _long_tail(rng, 40_000)
        # Zipf-like weights for the long tail: a few of its words are common, most are rare.
        self._tail_cumulative = list(accumulate(1.0 / (rank + 10) for rank in range(len(self._tail))))
        self._sentences = [self._sentence(rng) for _ in range(20_000)]
        self.sources = SOURCES

    # -- pieces ----------------------------------------------------------------------------

    def _fill(self, rng: random.Random, template: str, **extra: str) -> str:
        values = {
            "org": rng.choice(ORGS),
            "org2": rng.choice(ORGS),
            "topic": rng.choice(TOPICS),
            "topic2": rng.choice(TOPICS),
            "person": rng.choice(PEOPLE),
            "place": rng.choice(PLACES),
            "small": str(rng.randint(2, 400)),
            "year": str(rng.randint(2020, 2030)),
            "date": f"{rng.randint(1, 28)} {rng.choice(('March', 'June', 'September', 'December'))}",
            "word": rng.choices(self._tail, cum_weights=self._tail_cumulative)[0],
            "programme": " ".join(rng.choice(PROGRAMMES)),
            **extra,
        }
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def _sentence(self, rng: random.Random) -> str:
        return self._fill(rng, rng.choice(SENTENCES))

    def _text(self, rng: random.Random, sentences: int, rare: bool) -> str:
        parts = rng.sample(self._sentences, sentences)
        if rare:
            parts.insert(rng.randrange(len(parts) + 1), f"It also covers {RARE_WORD} on farmland.")
        return " ".join(parts)

    # -- announcements ---------------------------------------------------------------------

    def announcements(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[str, Announcement]]:
        """(source id, announcement) for records number `start` to `stop`, oldest first."""
        stop = self.count if stop is None else stop
        for number in range(start, stop):
            yield self.announcement(number)

    def announcement(self, number: int, revision: int = 0) -> tuple[str, Announcement]:
        """Record `number` as its source lists it; a `revision` changes its text and dates a little,
        as a source that edits an announcement would."""
        rng = random.Random(f"{self.seed}:{number}")
        funding = rng.random() < FUNDING_SHARE
        rare = rng.random() < RARE_SHARE
        pool = FUNDING_SOURCES if funding else OTHER_SOURCES
        spec = rng.choices(pool, weights=[s.weight for s in pool])[0]
        # Older records first, so that ids grow with publication date as they do in real use.
        span = timedelta(days=365 * YEARS)
        share = (number + rng.random()) / max(1, self.count)
        published = min(self.now - span + span * share, self.now - timedelta(minutes=5))
        # Identifiers (and so links) from a fixed calendar, not today's: the same record has
        # the same link whichever day the corpus is made.
        dated = ANCHOR - span + span * share
        topic = rng.choice(TOPICS)
        ident = None
        deadline = opens = status = currency = None
        budget = None
        if funding:
            programme, part = rng.choice(PROGRAMMES)
            year = dated.year + 1
            ident = f"{programme}-{part}-{year}-{rng.randint(1, 4):02d}-{number}"
            title = self._fill(rng, rng.choice(FUNDING_TITLES), topic=topic, ident=ident)
            opening = published + timedelta(days=rng.randint(0, 40))
            closing = (opening + timedelta(days=rng.randint(30, 200))).replace(
                hour=16 if spec.jurisdiction == "UK" else 15, minute=0, second=0
            )
            if revision:
                closing += timedelta(days=14 * revision)
            opens, deadline = _iso(opening), _iso(closing)
            budget = float(rng.randint(5, 2000) * 100_000)
            currency = "GBP" if spec.jurisdiction == "UK" else "EUR"
            status = "Forthcoming" if opening > self.now else ("Open" if closing > self.now else "Closed")
            category = "funding"
        else:
            title = self._fill(rng, rng.choice(TITLE_TEMPLATES), topic=topic)
            if spec.id == "ec-presscorner":
                ident = f"IP/{dated:%y}/{number}"
            elif spec.id == "europarl-press":
                ident = f"{dated:%Y%m%d}IPR{number}"
            category = rng.choices(
                (spec.category, "consultation", "legislation", "speech", "policy", "press"),
                weights=(6, 1, 1, 1, 1, 1),
            )[0]
        slug = "-".join(w.lower() for w in title.split()[:6] if w.isalnum())
        if revision:
            title = f"{title} (update {revision})"
        url = spec.url_pattern.format(
            n=number, slug=slug or "item", ident=(ident or str(number)).replace("/", "_").lower()
        )
        summary = self._text(rng, 2, rare=False)
        body = self._text(rng, rng.randint(5, 9), rare=rare)
        if revision:
            body += f" Update {revision} on {self.now:%d %B %Y}: the deadline and budget were revised."
        return spec.id, Announcement(
            url=url,
            title=title,
            summary=summary,
            body=body,
            category=category,
            jurisdiction=spec.jurisdiction,
            organisation=spec.organisation,
            identifier=ident,
            published_at=_iso(published),
            opens_at=opens,
            deadline_at=deadline,
            budget_amount=budget,
            budget_currency=currency,
            call_status=status,
        )


def source_rows() -> list[dict[str, object]]:
    """The benchmark's sources, for `Store.sync_sources`."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "kind": "feed",
            "url": f"https://example.org/{s.id}/feed",
            "jurisdiction": s.jurisdiction,
            "category": s.category,
            "enabled": True,
            "config": {},
        }
        for s in SOURCES
    ]
