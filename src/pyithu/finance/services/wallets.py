"""Customer wallets, tiers and limits, person-to-person transfers, exchange and gold."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.finance.models import (
    AccountKind,
    Currency,
    Customer,
    ExchangeRate,
    LedgerAccount,
    Tier,
    Transfer,
    TransferState,
)
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError, TransferRequest

# Limits in whole major units per tier; converted to minor units by the currency's exponent.
LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    # tier: currency: (per transfer, per day)
    Tier.PSEUDONYMOUS: {
        "MMK": (500_000, 1_000_000),
        "USD": (200, 500),
        "THB": (5_000, 15_000),
        "USDS": (200, 500),
        "XAU": (10_000, 20_000),
    },
    Tier.VERIFIED: {
        "MMK": (20_000_000, 50_000_000),
        "USD": (10_000, 20_000),
        "THB": (300_000, 600_000),
        "USDS": (10_000, 20_000),
        "XAU": (1_000_000, 2_000_000),
    },
}


def client_of(user: Any) -> str:
    return f"user:{user.pk}"


def customer_for(user: Any) -> Customer:
    customer, _created = Customer.objects.get_or_create(user=user)
    return customer


def wallet_for(user: Any, currency: str) -> LedgerAccount:
    """The user's wallet in a currency, opened on first use (one per currency)."""
    customer_for(user)
    found = LedgerAccount.objects.filter(
        owner=user, currency_id=currency, kind=AccountKind.CUSTOMER
    ).first()
    return found or ledger.open_account(user, currency)


def limits_for(user: Any, currency: str) -> tuple[int, int]:
    tier = customer_for(user).tier
    exponent = Currency.objects.get(code=currency).exponent
    per, daily = LIMITS[tier][currency]
    return per * 10**exponent, daily * 10**exponent


def spent_today(account: LedgerAccount) -> int:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    total = (
        Transfer.objects.filter(debit_account=account, created_at__gte=start)
        .exclude(state=TransferState.VOIDED)
        .exclude(kind__in=["reversal", "deposit_open"])
        .aggregate(s=Sum("amount"))["s"]
    )
    return total or 0


def limit_check(user: Any) -> ledger.Check:
    """Runs with the wallet row locked, so two racing payments cannot both pass the limit."""

    def check(debit: LedgerAccount, credit: LedgerAccount, request: TransferRequest) -> None:
        if debit.owner_id != user.pk:
            raise LedgerError(_("You can only pay from your own wallet."), field="from")
        per, daily = limits_for(user, debit.currency_id)
        if request.amount > per:
            raise LedgerError(_("This is more than your limit for one payment."), field="amount")
        if spent_today(debit) + request.amount > daily:
            raise LedgerError(_("This would pass your daily limit."), field="amount")

    return check


# What each kind of citizen payment may pay into.
PAYABLE_KINDS = {"p2p": AccountKind.CUSTOMER, "merchant": AccountKind.MERCHANT}


def pay(
    user: Any,
    to: LedgerAccount,
    currency: str,
    amount: int,
    key: str,
    kind: str = "p2p",
    reference: str = "",
    note: str = "",
) -> Transfer:
    """Pay another wallet from the user's wallet in ``currency`` (P2P or merchant).
    ``reference`` is non-personal (stored plain); ``note`` is the payer's words (sealed).

    A citizen pays only a person's wallet (P2P) or a merchant (a merchant payment): never a
    deposit, a campaign pool, the lottery pool, a float or the bank's own accounts, which
    their own services fill with the bookkeeping they need (a donation is counted, a ticket
    issued). Whatever the caller (page, API), the rule is here."""
    allowed = PAYABLE_KINDS.get(kind)
    if allowed is None or to.kind != allowed or to.owner_id == getattr(user, "pk", None):
        raise LedgerError(
            _("Payments go only to another person's wallet or to a merchant."), field="to"
        )
    source = wallet_for(user, currency)
    request = TransferRequest(
        source.pk, to.pk, amount, kind=kind, reference=reference[:80], note=note[:200]
    )
    return ledger.transfer(client_of(user), key, request, limit_check(user))


def require_officer(user: Any) -> None:
    if not has_role(user, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))


def set_tier(user: Any, tier: str, by: Any) -> Customer:
    require_officer(by)
    if tier not in Tier.values:
        raise LedgerError(_("Choose a tier."), field="tier")
    customer = customer_for(user)
    Customer.objects.filter(pk=customer.pk).update(tier=tier)
    audit.record(by, "finance.set_tier", customer, summary=tier)
    customer.refresh_from_db()
    return customer


# --- exchange and gold ------------------------------------------------------------------------


def set_rate(base: str, quote: str, rate: Decimal, spread_bps: int, by: Any) -> ExchangeRate:
    require_officer(by)
    if not isinstance(rate, Decimal) or rate <= 0:
        raise LedgerError(_("Enter a rate above zero."), field="rate")
    row = ExchangeRate.objects.create(
        base_id=base, quote_id=quote, rate=rate, spread_bps=spread_bps, set_by=by
    )
    audit.record(by, "finance.set_rate", row, summary=f"{base}/{quote} {rate} {spread_bps}bps")
    return row


def current_rate(base: str, quote: str) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(base_id=base, quote_id=quote).first()


def quote_exchange(source: str, target: str, amount: int) -> tuple[int, int]:
    """(fee in source minor units, amount received in target minor units), rounded for the bank:
    the fee up, the amount received down. Uses the newest rate for source->target, else the
    inverse of target->source."""
    rate_row, inverse = current_rate(source, target), False
    if rate_row is None:
        rate_row, inverse = current_rate(target, source), True
    if rate_row is None:
        raise LedgerError(_("There is no rate for this exchange yet."), field="target")
    fee = -(-amount * rate_row.spread_bps // 10_000)
    exp_s = Currency.objects.get(code=source).exponent
    exp_t = Currency.objects.get(code=target).exponent
    net = Decimal(amount - fee).scaleb(exp_t - exp_s)
    # Dividing by the rate (not multiplying by a rounded inverse) keeps exact results exact.
    received = net / rate_row.rate if inverse else net * rate_row.rate
    return fee, int(received.to_integral_value(rounding=ROUND_FLOOR))


def exchange(user: Any, source: str, target: str, amount: int, key: str) -> list[Transfer]:
    """Three transfers in one transaction: wallet->exchange position (net), wallet->fee (spread),
    exchange position->wallet in the target currency. A retry returns the same three."""
    if source == target:
        raise LedgerError(_("Choose two different currencies."), field="target")
    src, dst = wallet_for(user, source), wallet_for(user, target)
    pos_s = ledger.system_account(AccountKind.EXCHANGE, source)
    pos_t = ledger.system_account(AccountKind.EXCHANGE, target)
    fee_s = ledger.system_account(AccountKind.FEE, source, "exchange")
    client = client_of(user)

    def run() -> list[Transfer]:
        ledger.lock_accounts([src.pk, dst.pk, pos_s.pk, pos_t.pk, fee_s.pk])
        first = Transfer.objects.filter(client=client, idempotency_key=f"{key}:1").first()
        if first is not None:
            legs = Transfer.objects.filter(
                client=client, idempotency_key__in=[f"{key}:{i}" for i in (1, 2, 3)]
            )
            return sorted(legs, key=lambda t: t.idempotency_key)
        fee, received = quote_exchange(source, target, amount)
        if received <= 0 or amount - fee <= 0:
            raise LedgerError(_("This amount is too small to exchange."), field="amount")
        check = limit_check(user)
        legs = [
            (f"{key}:1", TransferRequest(src.pk, pos_s.pk, amount - fee, kind="exchange")),
            (f"{key}:3", TransferRequest(pos_t.pk, dst.pk, received, kind="exchange")),
        ]
        if fee:
            legs.insert(1, (f"{key}:2", TransferRequest(src.pk, fee_s.pk, fee, kind="fx_fee")))
        return ledger.transfer_batch(
            client, legs, lambda d, c, r: check(d, c, r) if d.owner_id else None
        )

    return ledger.in_transaction(run)


def account_by_id(raw: str | uuid.UUID) -> LedgerAccount:
    try:
        return LedgerAccount.objects.get(pk=uuid.UUID(str(raw)), is_open=True)
    except (ValueError, LedgerAccount.DoesNotExist):
        raise LedgerError(_("Unknown account."), field="to") from None
