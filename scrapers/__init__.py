"""Reading the web: one polite HTTP client and one module per kind of source. No Qt, no SQLite."""
