"""Ledger edge cases restated from TigerBeetle's semantics: a pending transfer does not post
into an account closed meanwhile, and no balance or reserved sum can leave 64 bits."""

from __future__ import annotations

import pytest

from pyithu.finance.models import LedgerAccount, TransferState
from pyithu.finance.services import ledger
from pyithu.finance.services.checks import ledger_problems

# On PostgreSQL each test runs through the database function and the Python path (conftest).
pytestmark = pytest.mark.usefixtures("ledger_path")

Req = ledger.TransferRequest


def state(*accounts: LedgerAccount) -> list[tuple[int, int, int]]:
    for account in accounts:
        account.refresh_from_db()
    return [(a.balance, a.pending_debits, a.pending_credits) for a in accounts]


def test_a_pending_transfer_does_not_post_into_an_account_closed_meanwhile(wallet, fund) -> None:
    # Given 600 reserved from a to b
    a, b = fund(wallet(), 1_000), wallet()
    t = ledger.transfer("agent", "p1", Req(a.pk, b.pk, 600, pending=True))
    # When b is closed before the transfer posts
    LedgerAccount.objects.filter(pk=b.pk).update(is_open=False)
    # Then posting is refused and nothing moved
    with pytest.raises(ledger.AccountClosed):
        ledger.post_pending(t.pk)
    assert state(a, b) == [(1_000, 600, 0), (0, 0, 600)]
    # And voiding gives the reservation back
    assert ledger.void_pending(t.pk).state == TransferState.VOIDED
    assert state(a, b) == [(1_000, 0, 0), (0, 0, 0)]
    assert ledger_problems() == []


def test_a_balance_cannot_grow_past_the_limit(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    LedgerAccount.objects.filter(pk=b.pk).update(balance=ledger.BALANCE_LIMIT - 500)
    with pytest.raises(ledger.BalanceLimit) as refused:
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 501))
    assert refused.value.code == "balance_limit" and refused.value.field == "amount"
    assert state(a, b) == [(1_000, 0, 0), (ledger.BALANCE_LIMIT - 500, 0, 0)]
    ledger.transfer("user:a", "k2", Req(a.pk, b.pk, 500))
    assert state(b) == [(ledger.BALANCE_LIMIT, 0, 0)]


def test_reserved_sums_cannot_grow_past_the_limit(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    LedgerAccount.objects.filter(pk=b.pk).update(pending_credits=ledger.BALANCE_LIMIT - 10)
    with pytest.raises(ledger.BalanceLimit):
        ledger.transfer("agent", "p1", Req(a.pk, b.pk, 11, pending=True))
    assert state(a, b) == [(1_000, 0, 0), (0, 0, ledger.BALANCE_LIMIT - 10)]


def test_posting_cannot_take_a_balance_past_the_limit(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    t = ledger.transfer("agent", "p1", Req(a.pk, b.pk, 100, pending=True))
    LedgerAccount.objects.filter(pk=b.pk).update(balance=ledger.BALANCE_LIMIT - 50)
    with pytest.raises(ledger.BalanceLimit):
        ledger.post_pending(t.pk)
    assert state(a, b) == [(1_000, 100, 0), (ledger.BALANCE_LIMIT - 50, 0, 100)]


def test_the_database_itself_refuses_a_balance_past_the_limit(wallet) -> None:
    from django.db import IntegrityError, transaction

    account = wallet()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerAccount.objects.filter(pk=account.pk).update(balance=ledger.BALANCE_LIMIT + 1)
    assert state(account) == [(0, 0, 0)]
