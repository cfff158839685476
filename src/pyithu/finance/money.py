"""Amounts as text <-> integers in a currency's minor unit. No floats, ever."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# Digits, optionally a point and more digits; thousands separators are allowed and dropped.
_AMOUNT = re.compile(r"^([0-9]{1,18})(?:\.([0-9]{1,9}))?$")
# Burmese digits are welcome; every other script's digits are refused.
_MYANMAR_DIGITS = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")
MAX_AMOUNT = 10**17  # far below the 64-bit limit, so sums of many balances never overflow


class AmountError(ValueError):
    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def parse_amount(text: str, exponent: int) -> int:
    """'1,234.50' with exponent 2 -> 123450. Refuses more decimals than the currency has."""
    cleaned = (text or "").strip().replace(",", "").translate(_MYANMAR_DIGITS)
    match = _AMOUNT.match(cleaned)
    if not match:
        raise AmountError(_("Enter an amount such as 1500 or 12.50."))
    whole, frac = match.group(1), match.group(2) or ""
    if len(frac) > exponent:
        raise AmountError(
            _("This currency has at most %(n)d decimal places.") % {"n": exponent}
            if exponent
            else _("This currency has no decimal places.")
        )
    minor = int(whole) * 10**exponent + int((frac or "0").ljust(exponent, "0") or "0")
    if minor <= 0:
        raise AmountError(_("The amount must be more than zero."))
    if minor > MAX_AMOUNT:
        raise AmountError(_("The amount is too large."))
    return minor


def format_amount(minor: int, exponent: int) -> str:
    """123450 with exponent 2 -> '1,234.50'."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(int(minor)), 10**exponent)
    text = f"{whole:,}"
    if exponent:
        text += "." + str(frac).rjust(exponent, "0")
    return sign + text


def to_decimal(minor: int, exponent: int) -> Decimal:
    return Decimal(int(minor)).scaleb(-exponent)


def validate_minor(amount: object) -> int:
    """An amount that arrives already in minor units (API): a positive int, never bool/float."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AmountError(_("The amount must be a whole number of minor units."))
    if amount <= 0:
        raise AmountError(_("The amount must be more than zero."))
    if amount > MAX_AMOUNT:
        raise AmountError(_("The amount is too large."))
    return amount
