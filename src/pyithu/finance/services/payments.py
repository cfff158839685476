"""Merchant payment requests: signed (Ed25519) so a forged or altered QR is refused."""

from __future__ import annotations

import base64
import json
from typing import Any

import nacl.exceptions
import segno
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import grant_role, has_role
from pyithu.core import audit
from pyithu.finance import keys
from pyithu.finance.models import AccountKind, LedgerAccount, Merchant, Transfer
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.services.wallets import pay


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def merchant_account(merchant: Merchant, currency: str) -> LedgerAccount:
    found = LedgerAccount.objects.filter(
        owner=merchant.user, currency_id=currency, kind=AccountKind.MERCHANT
    ).first()
    return found or ledger.open_account(merchant.user, currency, kind=AccountKind.MERCHANT)


def register_merchant(user: Any, name: str, by: Any) -> Merchant:
    """A bank officer registers a merchant (or renames one); its account opens on first use."""
    if not has_role(by, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))
    merchant, _created = Merchant.objects.update_or_create(user=user, defaults={"name": name})
    if not has_role(user, Role.MERCHANT, "finance"):
        grant_role(user, Role.MERCHANT, "finance", by=by)  # the shop's desk is listed for it
    audit.record(by, "finance.register_merchant", merchant, summary=name)
    return merchant


def payment_request(merchant: Merchant, currency: str, amount: int | None, reference: str) -> str:
    """A compact signed token: base64url(JSON) '.' base64url(signature)."""
    body = json.dumps(
        {"m": str(merchant.pk), "c": currency, "a": amount, "r": reference[:40]},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    signature = keys.payment_key().sign(body).signature
    return f"{_b64(body)}.{_b64(signature)}"


def read_request(token: str) -> dict[str, Any]:
    try:
        body_text, sig_text = token.split(".", 1)
        body = _unb64(body_text)
        keys.payment_key().verify_key.verify(body, _unb64(sig_text))
        data = json.loads(body)
        merchant = Merchant.objects.get(pk=data["m"])
    except (
        ValueError,
        KeyError,
        TypeError,
        nacl.exceptions.BadSignatureError,
        Merchant.DoesNotExist,
    ):
        raise LedgerError(_("This payment code is not valid."), field="request") from None
    return {
        "merchant": merchant,
        "currency": data["c"],
        "amount": data["a"],
        "reference": data["r"],
    }


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3)


def pay_request(user: Any, token: str, amount: int | None, key: str) -> Transfer:
    """Pay a merchant's signed request; a fixed amount in the request wins over ``amount``."""
    data = read_request(token)
    fixed = data["amount"]
    if fixed is not None and amount is not None and amount != fixed:
        raise LedgerError(_("The amount is fixed by the merchant."), field="amount")
    to = merchant_account(data["merchant"], data["currency"])
    return pay(
        user,
        to,
        data["currency"],
        fixed if fixed is not None else (amount or 0),
        key,
        kind="merchant",
        reference=data["reference"],
    )
