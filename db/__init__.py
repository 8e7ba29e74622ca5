"""The local SQLite store: opening and migrating it, saving scraped announcements, user data,
the tracker's queries, full-text search and CSV export/import. Knows neither Qt nor scrapers."""
