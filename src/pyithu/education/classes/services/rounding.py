"""The one rounding rule for marks and percentages: exact fractions, rounded half up once."""

from __future__ import annotations

from fractions import Fraction
from math import floor


def round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))
