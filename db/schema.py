"""The store's schema as named, append-only migrations (never edit one that has shipped).

Each migration runs inside the transaction `db.connection` opens around all pending ones, so an
upgrade is all or nothing. `PRAGMA user_version` mirrors the number of migrations applied (a
newer file is refused before anything is touched) and `PRAGMA application_id` marks the file
as ours, so a stranger's SQLite file is never "upgraded" into a tracker.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APPLICATION_ID = int.from_bytes(b"PTrk", "big")  # 0x5054726B, bytes 68-71 of the file header
MIGRATION_SET = "policy_tracker"
MIGRATIONS = Migrations(MIGRATION_SET)
SCHEMA_VERSION = 6  # the number of migrations below; a test checks they agree

STATUSES = ("new", "reviewing", "done", "archived")

# The scraped columns of `records`, in Announcement's names: the only columns a refresh writes.
SCRAPED_FIELDS = (
    "title",
    "summary",
    "body",
    "category",
    "jurisdiction",
    "organisation",
    "identifier",
    "published_at",
    "updated_at",
    "opens_at",
    "deadline_at",
    "budget_amount",
    "budget_currency",
    "call_status",
    "programme",
    "action_type",
)
# Written only by the user-data methods and CSV import, never by a refresh.
USER_FIELDS = ("note", "note_updated_at", "status", "starred", "read_at", "tags_text", "followed")

_TOKENIZER = "unicode61 remove_diacritics 2"

_INITIAL = [
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        jurisdiction TEXT,
        category TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        config TEXT NOT NULL DEFAULT '{}',
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        last_item_count INTEGER,
        item_count_history TEXT NOT NULL DEFAULT '[]',
        etag TEXT,
        last_modified TEXT
    )
    """,
    # Deleting a source never deletes a record (a note or star may hang on it).
    """
    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        source_id TEXT REFERENCES sources(id) ON DELETE SET NULL,
        title TEXT NOT NULL DEFAULT '',
        summary TEXT,
        body TEXT,
        category TEXT,
        jurisdiction TEXT,
        organisation TEXT,
        identifier TEXT,
        published_at TEXT,
        updated_at TEXT,
        opens_at TEXT,
        deadline_at TEXT,
        budget_amount REAL,
        budget_currency TEXT,
        call_status TEXT,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        changed_at TEXT,
        content_hash TEXT,
        note TEXT,
        note_updated_at TEXT,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'reviewing', 'done', 'archived')),
        starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
        read_at TEXT,
        tags_text TEXT NOT NULL DEFAULT ''
    )
    """,
    # `said`: a digest of each field this source last gave, so that two sources that word a
    # record differently do not overwrite each other on every refresh (db.saving).
    """
    CREATE TABLE record_sources (
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        said TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (record_id, source_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX record_sources_by_source ON record_sources(source_id, record_id)",
    """
    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        colour TEXT
    )
    """,
    """
    CREATE TABLE record_tags (
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (record_id, tag_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX record_tags_by_tag ON record_tags(tag_id, record_id)",
    """
    CREATE TABLE record_versions (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        changed_at TEXT NOT NULL,
        source_id TEXT,
        changed_fields TEXT NOT NULL,
        previous TEXT NOT NULL,
        current TEXT NOT NULL
    )
    """,
    "CREATE INDEX record_versions_by_record ON record_versions(record_id, id)",
    # One index per sort key, ties broken by id so that a reverse scan serves the other
    # direction. Each ends with `status, read_at` so that All and Unread page through the
    # index alone: a deep OFFSET in a million rows then stays a fast index walk.
    "CREATE INDEX records_by_title ON records(title COLLATE NOCASE, id, status, read_at)",
    "CREATE INDEX records_by_category ON records(category, id, status, read_at)",
    "CREATE INDEX records_by_jurisdiction ON records(jurisdiction, id, status, read_at)",
    "CREATE INDEX records_by_source ON records(source_id, id, status, read_at)",
    "CREATE INDEX records_by_starred ON records(starred, id, status, read_at)",
    "CREATE INDEX records_by_tags ON records(tags_text COLLATE NOCASE, id, status, read_at)",
    # Notes sort by their beginning, so a long note is not copied whole into an index.
    "CREATE INDEX records_by_note ON records(substr(note, 1, 64) COLLATE NOCASE, id, status, read_at)",
    """
    CREATE INDEX records_by_status ON records(
        (CASE status WHEN 'new' THEN 0 WHEN 'reviewing' THEN 1 WHEN 'done' THEN 2 ELSE 3 END),
        id, status, read_at)
    """,
    # Keys whose empty values sort last in both directions need one index per direction.
    *(
        f"CREATE INDEX records_by_{column}_{suffix} "
        f"ON records(({column} IS NULL), {column} {direction}, id {direction}, status, read_at)"
        for column in ("published_at", "deadline_at", "budget_amount")
        for suffix, direction in (("asc", "ASC"), ("desc", "DESC"))
    ),
    # Filters and view counts. The partial indexes hold the few records with a note or a
    # change, so those views and their counts never scan the whole table.
    "CREATE INDEX records_by_status_value ON records(status)",
    "CREATE INDEX records_by_read ON records(read_at, status)",
    "CREATE INDEX records_by_deadline ON records(deadline_at, status)",
    "CREATE INDEX records_by_published ON records(published_at, status)",
    "CREATE INDEX records_with_note ON records(status) WHERE note IS NOT NULL AND note != ''",
    """
    CREATE INDEX records_changed ON records(changed_at, read_at, status)
    WHERE changed_at IS NOT NULL
    """,
    # Funding open: the count reads this index alone, however many records there are.
    "CREATE INDEX records_funding ON records(category, deadline_at, call_status, status)",
    # Full text: external content on records, so the text is stored once. The update trigger
    # names only the text columns: a star or a note never rewrites these rows.
    f"""
    CREATE VIRTUAL TABLE records_fts USING fts5(
        title, summary, body, content='records', content_rowid='id', tokenize='{_TOKENIZER}')
    """,
    """
    CREATE TRIGGER records_fts_after_insert AFTER INSERT ON records BEGIN
        INSERT INTO records_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER records_fts_after_delete AFTER DELETE ON records BEGIN
        INSERT INTO records_fts(records_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER records_fts_after_update AFTER UPDATE OF title, summary, body ON records
    WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary OR old.body IS NOT new.body
    BEGIN
        INSERT INTO records_fts(records_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO records_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    # Notes have their own index, kept by their own triggers, so typing a note costs one small
    # FTS row. Every record has a row (an empty note indexes nothing) so that FTS5's
    # integrity-check against the content table holds.
    f"""
    CREATE VIRTUAL TABLE notes_fts USING fts5(
        note, content='records', content_rowid='id', tokenize='{_TOKENIZER}')
    """,
    """
    CREATE TRIGGER notes_fts_after_insert AFTER INSERT ON records BEGIN
        INSERT INTO notes_fts(rowid, note) VALUES (new.id, new.note);
    END
    """,
    """
    CREATE TRIGGER notes_fts_after_delete AFTER DELETE ON records BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, note) VALUES ('delete', old.id, old.note);
    END
    """,
    """
    CREATE TRIGGER notes_fts_after_update AFTER UPDATE OF note ON records
    WHEN old.note IS NOT new.note
    BEGIN
        INSERT INTO notes_fts(notes_fts, rowid, note) VALUES ('delete', old.id, old.note);
        INSERT INTO notes_fts(rowid, note) VALUES (new.id, new.note);
    END
    """,
]


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    """Sources, records with their user fields, tags, versions, indexes and full-text search."""
    for statement in _INITIAL:
        db.execute(statement)


# Whether a call's own status says it is open (or about to open): part of the "Funding open" view.
CALL_OPEN_SQL = (
    "(lower(coalesce(call_status, '')) LIKE 'open%'"
    " OR lower(coalesce(call_status, '')) LIKE 'forthcoming%'"
    " OR lower(coalesce(call_status, '')) LIKE 'upcoming%')"
)

_SCALE = [
    # Counts that test each record by id (the records a search, a source or a tag lists) read
    # this narrow index, in id order, instead of a million table rows (3 to 6 times faster).
    "CREATE INDEX records_state ON records(id, status, read_at, starred)",
    # The funding calls whose status says open: a few percent of the funding records, which
    # the "Funding open" view otherwise finds by testing the status text of every one.
    f"CREATE INDEX records_call_open ON records(deadline_at) WHERE category = 'funding' AND {CALL_OPEN_SQL}",
]


@MIGRATIONS(name="0002_scale_indexes")
def _scale(db: Database) -> None:
    """Indexes for a store of a million records (benchmarks/README.md)."""
    for statement in _SCALE:
        db.execute(statement)


_SOURCE_PROFILES = [
    # The shapes of each source's last good refreshes (db/profiles.py, desktop/site_change.py).
    """
    CREATE TABLE source_profiles (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        recorded_at TEXT NOT NULL,
        items INTEGER NOT NULL,
        dated INTEGER NOT NULL,
        with_deadline INTEGER NOT NULL,
        with_budget INTEGER NOT NULL,
        with_text INTEGER NOT NULL
    )
    """,
    "CREATE INDEX source_profiles_by_source ON source_profiles(source_id, id)",
    # The "site changed?" mark: the reasons as a JSON list, NULL when the source looks as usual.
    "ALTER TABLE sources ADD COLUMN site_changed TEXT",
    "ALTER TABLE sources ADD COLUMN site_changed_since TEXT",
    # The item counts that were the only shape kept before: superseded by source_profiles.
    "ALTER TABLE sources DROP COLUMN item_count_history",
]


@MIGRATIONS(name="0003_source_profiles")
def _source_profiles(db: Database) -> None:
    """Source profiles and the site-changed mark (docs/ARCHITECTURE.md, "The site-changed alarm")."""
    for statement in _SOURCE_PROFILES:
        db.execute(statement)


# The watchlists a new store starts with (docs/WATCHLISTS.md): seeded by the migration, so once
# only; one the user deletes never comes back. (name, words, category)
DEFAULT_WATCHLISTS: tuple[tuple[str, str, str | None], ...] = (
    (
        "AI sovereignty",
        'sovereign OR sovereignty OR DeepSeek OR "open model" OR LLM OR GPT-NL OR Apertus OR SOOFI'
        " OR OpenEuroLLM OR EuroLLM",
        None,
    ),
    ("AI Act", '"AI Act" OR "Artificial Intelligence Act"', None),
    (
        "DSA and Online Safety Act enforcement",
        '"Digital Services Act" OR DSA OR "Online Safety Act" OR Ofcom',
        None,
    ),
    (
        "Compute",
        'EuroHPC OR "AI Factories" OR "AI Factory" OR gigafactory OR gigafactories OR Isambard'
        ' OR "AI Research Resource" OR supercomputer OR supercomputing',
        None,
    ),
    ("AI funding", 'AI OR "artificial intelligence" OR "machine learning" OR LLM', "funding"),
)

_WATCHLISTS = [
    # A named saved query (db/watchlists.py): the search box's words plus the filters.
    """
    CREATE TABLE watchlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) != ''),
        words TEXT NOT NULL DEFAULT '',
        source_id TEXT,
        category TEXT,
        jurisdiction TEXT,
        status TEXT CHECK (status IS NULL OR status IN ('new', 'reviewing', 'done', 'archived')),
        tag TEXT,
        deadline_within_days INTEGER CHECK (deadline_within_days IS NULL OR deadline_within_days >= 0),
        auto_tag TEXT,
        notify INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),
        last_seen_at TEXT
    )
    """,
    # "New since the last look" counts the records first seen after a moment: a range of this.
    "CREATE INDEX records_by_first_seen ON records(first_seen_at)",
    # Following a call is the user's own mark, like a star (schema.USER_FIELDS).
    "ALTER TABLE records ADD COLUMN followed INTEGER NOT NULL DEFAULT 0 CHECK (followed IN (0, 1))",
    # The Followed view and its count read the few followed records only.
    "CREATE INDEX records_followed ON records(deadline_at, status) WHERE followed = 1",
]


@MIGRATIONS(name="0004_watchlists")
def _watchlists(db: Database) -> None:
    """Watchlists with their defaults, and the followed mark (docs/WATCHLISTS.md).

    The defaults count what the store already holds as seen (their last look is its newest
    record's first sighting), so an upgrade does not announce years of records as new.
    """
    for statement in _WATCHLISTS:
        db.execute(statement)
    newest = db.execute("SELECT max(first_seen_at) FROM records").fetchone()[0]
    db.conn.executemany(
        "INSERT INTO watchlists (name, words, category, last_seen_at) VALUES (?, ?, ?, ?)",
        [(name, words, category, newest) for name, words, category in DEFAULT_WATCHLISTS],
    )


_FUNDING_FACETS = [
    # What a funding call says of itself (scrapers.model.Announcement): scraped, like its status.
    "ALTER TABLE records ADD COLUMN programme TEXT",
    "ALTER TABLE records ADD COLUMN action_type TEXT",
    # One index per facet serves its sort (ties broken by id, ending `status, read_at` like
    # the other sort indexes, so a deep page is a walk of the index alone) and its filter.
    # Empty values sort first going up, as a category's do: one index per key, not two.
    "CREATE INDEX records_by_call_status ON records(call_status COLLATE NOCASE, id, status, read_at)",
    "CREATE INDEX records_by_programme ON records(programme COLLATE NOCASE, id, status, read_at)",
    "CREATE INDEX records_by_action_type ON records(action_type COLLATE NOCASE, id, status, read_at)",
    "CREATE INDEX records_by_opens ON records(opens_at, id, status, read_at)",
]


@MIGRATIONS(name="0005_funding_facets")
def _funding_facets(db: Database) -> None:
    """A call's programme and type of action, and the indexes of the funding facets' sorts and
    filters (docs/EU_SOURCES.md, "Funding facets"). Existing records keep every value: the new columns
    start empty and the next refresh fills them."""
    for statement in _FUNDING_FACETS:
        db.execute(statement)


_KEPT_COUNTS = [
    # The store's generations (db/kept_counts.py): `content` moves with every committed write a
    # count could see, `marks` with read marks and stars alone. One row, moved once per
    # write transaction, never per changed row.
    """
    CREATE TABLE count_generation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        content INTEGER NOT NULL,
        marks INTEGER NOT NULL
    )
    """,
    "INSERT INTO count_generation (id, content, marks) VALUES (1, 0, 0)",
    # Counts made for a generation, by the digest of their SQL and parameters. `marks` is -1
    # for a count that does not read marks or stars. The id orders them by when they were kept,
    # so that the oldest go first past the cap.
    """
    CREATE TABLE kept_counts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        content INTEGER NOT NULL,
        marks INTEGER NOT NULL,
        number INTEGER NOT NULL
    )
    """,
]


@MIGRATIONS(name="0006_kept_counts")
def _kept_counts(db: Database) -> None:
    """Counts kept in the store, valid across connections, processes and restarts until a
    write moves the generation they were made at (docs/SEARCH.md, "Kept counts")."""
    for statement in _KEPT_COUNTS:
        db.execute(statement)
