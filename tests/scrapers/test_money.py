"""Budgets as sites write them: symbol or code before or after, thousands separators of every
kind, "million" and "bn", and the continental "1.500.000"; a figure without a currency is none."""

from __future__ import annotations

import pytest

from scrapers.money import parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£30,000,000", (30_000_000.0, "GBP")),
        ("EUR 2.5 million", (2_500_000.0, "EUR")),
        ("€ 1 500 000", (1_500_000.0, "EUR")),
        ("€\u00a01\u202f500\u202f000", (1_500_000.0, "EUR")),  # no-break and narrow no-break spaces
        ("1.500.000 EUR", (1_500_000.0, "EUR")),  # the continental way
        ("up to 4 bn euros", (4e9, "EUR")),
        ("£250k", (250_000.0, "GBP")),
        ("$12.75", (12.75, "USD")),
        ("CHF 300 thousand", (300_000.0, "CHF")),
        ("5 million pounds", (5_000_000.0, "GBP")),
    ],
)
def test_a_budget_is_read_as_its_amount_and_currency(text: str, expected: tuple[float, str]) -> None:
    assert parse_amount(text) == expected


def test_the_first_figure_with_a_currency_is_the_budget() -> None:
    assert parse_amount("Call 2026-03 of 12 topics: €3 million each") == (3_000_000.0, "EUR")


@pytest.mark.parametrize("text", [None, "", "2026", "12 topics, 40 partners", "TBC"])
def test_no_currency_no_budget(text: str | None) -> None:
    assert parse_amount(text) == (None, None)
