"""Untrusted text is shown escaped and with credentials hidden (db/safe_text.py)."""

from db.safe_text import redact, shown


def test_terminal_escape_sequences_are_escaped() -> None:
    status = "404 Not Found \x1b]0;owned\x07\x1b[2J"
    assert shown(status) == "404 Not Found \\x1b]0;owned\\x07\\x1b[2J"


def test_newlines_tabs_surrogates_and_bidi_overrides_are_escaped() -> None:
    assert shown("a\nb\tc\ud800d\u202ee") == "a\\x0ab\\x09c\\ud800d\\u202ee"


def test_ordinary_text_is_unchanged() -> None:
    text = "Horizon Europe – 17:00 Brussels, €2 500 000 «AI»"
    assert shown(text) == text


def test_credentials_in_addresses_are_hidden() -> None:
    assert redact("failed: http://user:pass@host:8801/x and https://tok@h/") == (
        "failed: http://***@host:8801/x and https://***@h/"
    )
    assert "pass" not in shown("GET http://user:pass@127.0.0.1/feed refused")


def test_long_text_is_cut() -> None:
    assert shown("x" * 1000, limit=10) == "x" * 10 + "…"
