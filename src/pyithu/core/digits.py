"""The digits rule: in Burmese, numbers read in a sentence are written ၀-၉.

Counts, dates and durations shown to a Burmese reader use Burmese digits, as the translated
texts around them do. Anything a person types, copies, or compares with a slip, a keypad or
another system keeps Latin digits in every language: codes, P-codes, handles, phone numbers,
amounts of money, form values, addresses. Forms accept Burmese digits as well (Python's ``int``
and ``Decimal`` read them; :func:`latin_digits` normalises text such as codes).

Templates: ``{% load digits %}`` then ``{{ n|digits }}`` or, so plural rules still see the number,
``{% blocktranslate count counter=n|digits %}``; dates: ``{{ day|date|digits }}``.
"""

from __future__ import annotations

from typing import Any

from pyithu.core.i18n import content_language

_TO_BURMESE = str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")
_TO_LATIN = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")


class BurmeseCount(int):
    """An int that prints in Burmese digits: plural rules and sums still see the number."""

    def __str__(self) -> str:
        return int.__str__(self).translate(_TO_BURMESE)

    def __format__(self, spec: str) -> str:
        return format(int(self), spec).translate(_TO_BURMESE)


def uses_burmese_digits(language: str | None = None) -> bool:
    return content_language(language) == "my"


def local_digits(value: Any, language: str | None = None) -> Any:
    """``value`` for reading in ``language`` (default: the active one): an int stays an int
    (printing in Burmese digits where the rule says so), anything else becomes text."""
    if not uses_burmese_digits(language):
        return value
    if isinstance(value, bool) or value is None or value == "":
        return value
    if isinstance(value, int):
        return BurmeseCount(value)
    return str(value).translate(_TO_BURMESE)


def latin_digits(text: str) -> str:
    """Text with any Burmese digits written as Latin ones (for codes people type)."""
    return text.translate(_TO_LATIN)
