"""Fixed deposits: principal moves to the deposit's own account; interest accrues daily from
the bank's interest account; at maturity everything returns to the wallet.

Rounding (docs/decisions/0022-fixed-deposit-interest.md): interest owed after d days is
floor(principal * rate_bps * d / (10000 * 365)); each day books the difference between day d
and day d-1, so daily rounding never drifts and the total equals the exact amount rounded down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.finance.models import AccountKind, DepositState, FixedDeposit, LedgerAccount
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError, TransferRequest
from pyithu.finance.services.wallets import client_of, wallet_for

TERMS = {90: 600, 180: 750, 365: 900}  # term in days: yearly rate in basis points
PENALTY_BPS = 100  # early withdrawal: accrued interest forfeited and 1% of principal


def interest_after(principal: int, rate_bps: int, days: int) -> int:
    return principal * rate_bps * days // (10_000 * 365)


def open_deposit(user: Any, currency: str, amount: int, term_days: int, key: str) -> FixedDeposit:
    if term_days not in TERMS:
        raise LedgerError(_("Choose one of the offered terms."), field="term")
    wallet = wallet_for(user, currency)
    client = client_of(user)

    def run() -> FixedDeposit:
        existing = FixedDeposit.objects.filter(
            account__credit_transfers__client=client,
            account__credit_transfers__idempotency_key=key,
        ).first()
        if existing:
            return existing
        account = LedgerAccount.objects.create(
            owner=user, currency_id=currency, kind=AccountKind.DEPOSIT
        )
        request = TransferRequest(wallet.pk, account.pk, amount, kind="deposit_open")
        ledger.transfer(client, key, request)
        today = timezone.localdate()
        return FixedDeposit.objects.create(
            owner=user,
            wallet=wallet,
            account=account,
            principal=amount,
            rate_bps=TERMS[term_days],
            penalty_bps=PENALTY_BPS,
            term_days=term_days,
            opened_on=today,
            matures_on=today + timedelta(days=term_days),
        )

    return ledger.in_transaction(run)


def accrue(deposit_id: Any, through: date | None = None) -> FixedDeposit:
    """Book interest for every day up to ``through`` (capped at the term). Safe to re-run:
    each day's transfer has its own key, and ``accrued_days`` moves by a conditional update."""
    through = through or timezone.localdate()

    def run() -> FixedDeposit:
        fd = FixedDeposit.objects.select_for_update().get(pk=deposit_id)
        if fd.state != DepositState.OPEN:
            return fd
        days = min((through - fd.opened_on).days, fd.term_days)
        source = ledger.system_account(AccountKind.INTEREST, fd.account.currency_id)
        for day in range(fd.accrued_days + 1, days + 1):
            owed = interest_after(fd.principal, fd.rate_bps, day)
            step = owed - interest_after(fd.principal, fd.rate_bps, day - 1)
            if step:
                request = TransferRequest(source.pk, fd.account_id, step, kind="interest")
                ledger.transfer("system:deposits", f"fd:{fd.pk}:day:{day}", request)
        if days > fd.accrued_days:
            FixedDeposit.objects.filter(pk=fd.pk, accrued_days=fd.accrued_days).update(
                accrued_days=days,
                accrued=interest_after(fd.principal, fd.rate_bps, days),
                updated_at=timezone.now(),
            )
        fd.refresh_from_db()
        return fd

    return ledger.in_transaction(run)


def _close(fd: FixedDeposit, state: str, penalty: int) -> FixedDeposit:
    account = LedgerAccount.objects.get(pk=fd.account_id)
    legs = []
    if penalty:
        fee = ledger.system_account(AccountKind.FEE, account.currency_id, "deposits")
        legs.append(
            (f"fd:{fd.pk}:penalty", TransferRequest(account.pk, fee.pk, penalty, "penalty"))
        )
    back = account.balance - penalty
    legs.append(
        (f"fd:{fd.pk}:close", TransferRequest(account.pk, fd.wallet_id, back, "deposit_close"))
    )
    ledger.transfer_batch("system:deposits", legs)
    FixedDeposit.objects.filter(pk=fd.pk, state=DepositState.OPEN).update(
        state=state, updated_at=timezone.now()
    )
    fd.refresh_from_db()
    return fd


def mature(deposit_id: Any, today: date | None = None) -> FixedDeposit:
    """Pay principal and all interest to the wallet once the term is over."""
    today = today or timezone.localdate()

    def run() -> FixedDeposit:
        fd = accrue(deposit_id, today)
        if fd.state != DepositState.OPEN:
            return fd
        if today < fd.matures_on:
            raise LedgerError(_("This deposit has not matured yet."))
        return _close(fd, DepositState.MATURED, 0)

    return ledger.in_transaction(run)


def withdraw_early(user: Any, deposit_id: Any, today: date | None = None) -> FixedDeposit:
    """Close before maturity: accrued interest goes back to the bank, and a penalty of
    ``penalty_bps`` of the principal is booked to the fee account."""
    today = today or timezone.localdate()

    def run() -> FixedDeposit:
        fd = accrue(deposit_id, today)
        if fd.owner_id != user.pk:
            raise LedgerError(_("This is not your deposit."))
        if fd.state != DepositState.OPEN:
            return fd
        if today >= fd.matures_on:
            return _close(fd, DepositState.MATURED, 0)
        forfeit = fd.accrued + fd.principal * fd.penalty_bps // 10_000
        return _close(fd, DepositState.WITHDRAWN, min(forfeit, fd.principal + fd.accrued))

    return ledger.in_transaction(run)


@dataclass(frozen=True)
class EarlyWithdrawal:
    """What closing a deposit today would do, shown before the customer confirms."""

    accrued: int  # interest earned so far, forfeited
    fee: int  # penalty_bps of the principal
    paid_back: int  # what returns to the wallet


def early_withdrawal_quote(fd: FixedDeposit, today: date | None = None) -> EarlyWithdrawal:
    today = today or timezone.localdate()
    days = max(0, min((today - fd.opened_on).days, fd.term_days))
    accrued = interest_after(fd.principal, fd.rate_bps, days)
    forfeit = min(accrued + fd.principal * fd.penalty_bps // 10_000, fd.principal + accrued)
    return EarlyWithdrawal(accrued, forfeit - accrued, fd.principal + accrued - forfeit)
