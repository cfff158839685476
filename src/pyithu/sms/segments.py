"""How many SMS parts a text takes, and in which encoding (3GPP TS 23.038).

A text that uses only the GSM 7-bit alphabet travels 160 characters in one part, or 153 per part
when split (the rest carries the joining header); a character from the extension table (``€``,
``[``, ``{``...) costs two. Any other character (Burmese, "…", an emoji) switches the whole text
to UCS-2: 70 UTF-16 units in one part, 67 per part when split. A part never ends half-way
through an escaped character or a surrogate pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "gsm7"
UCS2 = "ucs2"
# (characters in a single part, characters per part of a split message)
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class Measure:
    encoding: str
    units: int
    segments: int


def encoding(text: str) -> str:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return GSM7
    return UCS2


def _widths(text: str, kind: str) -> list[int]:
    if kind == GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _parts(widths: list[int], per_part: int) -> int:
    parts, used = 1, 0
    for width in widths:
        if used + width > per_part:
            parts, used = parts + 1, 0
        used += width
    return parts


def measure(text: str) -> Measure:
    kind = encoding(text)
    widths = _widths(text, kind)
    units = sum(widths)
    single, split = LIMITS[kind]
    segments = 1 if units <= single else _parts(widths, split)
    return Measure(kind, units, segments)


def segments(text: str) -> int:
    return measure(text).segments


def minimum_segments(units: int, kind: str) -> int:
    """The fewest parts ``units`` characters can take (for explaining budgets in docs/tests)."""
    single, split = LIMITS[kind]
    return 1 if units <= single else math.ceil(units / split)
