"""Words a reader meets for the bank's fixed reference data: transfer kinds and currencies.

The codes (``p2p``, ``cash_in``, ``XAU``...) are fixed in code, so their names are translated by
gettext here rather than stored; templates show them through the ``finance_labels`` filters.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, str | Promise] = {
    "transfer": _("transfer"),
    "p2p": _("sent to a person"),
    "merchant": _("paid to a shop"),
    "cash_in": _("cash in at an agent"),
    "cash_out": _("cash out at an agent"),
    "commission": _("agent commission"),
    "float_in": _("agent float paid in"),
    "remit_out": _("remittance"),
    "exchange": _("currency exchange"),
    "fx_fee": _("exchange fee"),
    "deposit_open": _("fixed deposit opened"),
    "deposit_close": _("fixed deposit paid back"),
    "interest": _("interest"),
    "penalty": _("early withdrawal fee"),
    "lottery": _("lottery ticket"),
    "prize": _("lottery prize"),
    "donation": _("gift to a campaign"),
    "disbursement": _("campaign payment"),
    "reversal": _("correction"),
}

CURRENCIES: dict[str, str | Promise] = {
    "MMK": _("kyat"),
    "USD": _("US dollar"),
    "THB": _("Thai baht"),
    "USDS": _("digital dollar"),
    "XAU": _("gold (milligrams)"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def currency_name(code: str) -> str:
    return str(CURRENCIES.get(code, code))


CODES_AS_NAMES = {"MMK", "USD", "THB"}


def unit(code: str) -> str:
    """What follows an amount: the code where readers use it as a name, else the name."""
    return code if code in CODES_AS_NAMES else currency_name(code)


def currency_choices(codes: list[str]) -> list[tuple[str, str | Promise]]:
    """Choices for a currency select: the code is sent, the name is shown."""
    return [(code, CURRENCIES.get(code, code)) for code in codes]
