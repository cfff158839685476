"""The currencies the bank keeps books in (also written by migration 0002)."""

from __future__ import annotations

from pyithu.finance.models import Currency

CURRENCIES = [
    ("MMK", 0, "Myanmar kyat"),
    ("USD", 2, "US dollar"),
    ("THB", 2, "Thai baht"),
    ("USDS", 6, "US dollar stablecoin"),
    ("XAU", 0, "Gold (milligrams)"),
]
CODES = [code for code, _e, _n in CURRENCIES]


def ensure_currencies() -> None:
    for code, exponent, name in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"exponent": exponent, "name": name})


def exponent_of(code: str) -> int:
    for known, exponent, _name in CURRENCIES:
        if known == code:
            return exponent
    return Currency.objects.get(code=code).exponent
