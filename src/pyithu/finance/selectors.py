"""Reads shared by the finance pages: a citizen's wallets, transfers and statement lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from pyithu.accounts.models import User
from pyithu.finance.models import (
    AccountKind,
    Customer,
    Entry,
    FixedDeposit,
    LedgerAccount,
    NodePayout,
    Transfer,
    TransferState,
)
from pyithu.finance.money import format_amount


@dataclass(frozen=True)
class Line:
    """One row of a statement: signed amount and balance already formatted; ``reference`` is
    the payer's (unsealed) note when there is one."""

    at: Any
    kind: str
    reference: str
    amount: str
    balance: str


def has_wallet(user: Any) -> bool:
    return Customer.objects.filter(user=user).exists()


def wallets_of(user: Any) -> QuerySet[LedgerAccount]:
    return LedgerAccount.objects.filter(owner=user, kind=AccountKind.CUSTOMER).select_related(
        "currency"
    )


def wallet_in(user: Any, currency: str) -> LedgerAccount | None:
    return wallets_of(user).filter(currency_id=currency).first()


def recent_transfers(user: Any, limit: int = 10) -> list[dict[str, Any]]:
    """The user's latest transfers, signed from their side and formatted."""
    mine = set(wallets_of(user).values_list("pk", flat=True))
    rows = (
        Transfer.objects.filter(Q(debit_account__in=mine) | Q(credit_account__in=mine))
        .select_related("currency")
        .order_by("-created_at")[:limit]
    )
    return [
        {
            "at": t.created_at,
            "kind": t.kind,
            "state": t.get_state_display(),
            "reference": t.note or t.reference,
            "amount": format_amount(
                -t.amount if t.debit_account_id in mine else t.amount, t.currency.exponent
            ),
            "currency": t.currency_id,
        }
        for t in rows
    ]


def statement(account: LedgerAccount, limit: int | None = None) -> list[Line]:
    """Posted entries of one account, newest first."""
    exponent = account.currency.exponent
    entries = Entry.objects.filter(account=account).select_related("transfer").order_by("-id")
    if limit is not None:
        entries = entries[:limit]
    return [
        Line(
            at=e.at,
            kind=e.transfer.kind,
            reference=e.transfer.note or e.transfer.reference,
            amount=format_amount(e.amount, exponent),
            balance=format_amount(e.balance_after, exponent),
        )
        for e in entries
    ]


def citizen_by_handle(handle: str) -> User | None:
    return User.objects.filter(handle=handle.strip().lower(), is_active=True).first()


def pending_cash_outs(user: Any) -> list[Transfer]:
    return list(
        Transfer.objects.filter(
            debit_account__owner=user, kind="cash_out", state=TransferState.PENDING
        ).order_by("-created_at")
    )


def node_payouts(transfer_ids: list[Any]) -> dict[Any, NodePayout]:
    """Of these held transfers, those bound to a township point (0026), by transfer id."""
    found = NodePayout.objects.filter(transfer_id__in=transfer_ids)
    return {p.transfer_id: p for p in found}


def deposits_of(user: Any) -> QuerySet[FixedDeposit]:
    return FixedDeposit.objects.filter(owner=user).select_related("account").order_by("-created_at")
