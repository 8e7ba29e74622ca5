"""Read budgets such as "£30,000,000", "EUR 2.5 million" or "€ 1 500 000" as amount + currency."""

from __future__ import annotations

import re

_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
_CODES = ("GBP", "EUR", "USD", "CHF")
_CONTINENTAL = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_AMOUNT = re.compile(
    r"(?P<cur>[£€$]|\b(?:GBP|EUR|USD|CHF)\b)?\s*"
    r"(?P<num>\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<mult>billion|million|thousand|bn|m|k)?\b\s*"
    r"(?P<cur2>\b(?:GBP|EUR|USD|CHF)\b|euros?|pounds?)?",
    re.I,
)


def parse_amount(text: str | None) -> tuple[float | None, str | None]:
    """Return (amount, ISO currency) from the first figure with a currency, or (None, None)."""
    if not text:
        return None, None
    for match in _AMOUNT.finditer(text):
        currency = _currency(match.group("cur")) or _currency(match.group("cur2"))
        if currency is None:
            continue
        digits = re.sub(r"[ ,\u00a0\u202f]", "", match.group("num"))
        if _CONTINENTAL.match(digits):  # "1.500.000" written the continental way
            digits = digits.replace(".", "")
        amount = float(digits)
        multiplier = match.group("mult")
        if multiplier:
            amount *= _MULTIPLIERS[multiplier.lower()]
        return amount, currency
    return None, None


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    upper = token.upper()
    if upper in _CODES:
        return upper
    if upper.startswith("EURO"):
        return "EUR"
    if upper.startswith("POUND"):
        return "GBP"
    return None
