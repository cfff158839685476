"""The ledger core: double entry, idempotency, two-phase transfers, refusals, invariants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pyithu.core.models import AppendOnlyError
from pyithu.finance.models import Entry, LedgerAccount, Transfer, TransferState
from pyithu.finance.money import AmountError, format_amount, parse_amount
from pyithu.finance.services import ledger
from pyithu.finance.services.checks import ledger_problems

# On PostgreSQL each test runs through the database function and the Python path (conftest).
pytestmark = pytest.mark.usefixtures("ledger_path")

Req = ledger.TransferRequest


def balances(*accounts: LedgerAccount) -> list[tuple[int, int]]:
    out = []
    for account in accounts:
        account.refresh_from_db()
        out.append((account.balance, account.pending_debits))
    return out


def test_a_posted_transfer_moves_money_and_writes_two_entries(wallet, fund, alice) -> None:
    # Given Alice's wallet holds 10,000 kyat and Bob's is empty
    a, b = fund(wallet(alice), 10_000), wallet()
    # When Alice pays Bob 2,500
    t = ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 2_500))
    # Then the money moved, the transfer is posted and two entries record it
    assert balances(a, b) == [(7_500, 0), (2_500, 0)]
    assert t.state == TransferState.POSTED
    assert list(t.entries.values_list("amount", "balance_after")) == [
        (-2_500, 7_500),
        (2_500, 2_500),
    ]
    assert ledger_problems() == []


def test_same_key_same_request_returns_the_first_transfer(wallet, fund) -> None:
    a, b = fund(wallet(), 10_000), wallet()
    first = ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 1_000))
    # When the client retries with the same key and request
    again = ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 1_000))
    # Then it gets the first transfer and money moved once
    assert again.pk == first.pk
    assert balances(a, b) == [(9_000, 0), (1_000, 0)]
    assert Transfer.objects.filter(idempotency_key="k1").count() == 1


def test_same_key_different_request_is_refused_and_changes_nothing(wallet, fund) -> None:
    a, b = fund(wallet(), 10_000), wallet()
    ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 1_000))
    with pytest.raises(ledger.IdempotencyConflict):
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 9_000))
    assert balances(a, b) == [(9_000, 0), (1_000, 0)]
    # Another client may use the same key string for its own request
    ledger.transfer("user:b", "k1", Req(a.pk, b.pk, 500))
    assert balances(a, b) == [(8_500, 0), (1_500, 0)]


def test_overdraft_is_refused_and_nothing_changes(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    with pytest.raises(ledger.InsufficientFunds):
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 1_001))
    assert balances(a, b) == [(1_000, 0), (0, 0)]
    assert not Transfer.objects.filter(idempotency_key="k1").exists()
    assert Entry.objects.filter(account__in=[a, b]).count() == 1  # only the funding entry


@pytest.mark.parametrize("amount", [0, -5, True, 1.5, "100", 10**18])
def test_bad_amounts_are_refused(wallet, fund, amount) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    with pytest.raises((AmountError, ledger.LedgerError)):
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, amount))
    assert balances(a, b) == [(1_000, 0), (0, 0)]


def test_currencies_must_match_and_accounts_differ(wallet, fund) -> None:
    a, usd = fund(wallet(), 1_000), wallet(currency="USD")
    with pytest.raises(ledger.LedgerError, match="same currency"):
        ledger.transfer("user:a", "k1", Req(a.pk, usd.pk, 10))
    with pytest.raises(ledger.LedgerError, match="different account"):
        ledger.transfer("user:a", "k2", Req(a.pk, a.pk, 10))
    assert balances(a, usd) == [(1_000, 0), (0, 0)]


def test_pending_reserves_then_posts(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    t = ledger.transfer("agent", "p1", Req(a.pk, b.pk, 600, pending=True))
    # The reservation counts: a second spend that would exceed what is left is refused
    assert balances(a, b) == [(1_000, 600), (0, 0)]
    with pytest.raises(ledger.InsufficientFunds):
        ledger.transfer("user:a", "k2", Req(a.pk, b.pk, 401))
    assert ledger_problems() == []
    ledger.post_pending(t.pk)
    ledger.post_pending(t.pk)  # a retried post is harmless
    assert balances(a, b) == [(400, 0), (600, 0)]
    with pytest.raises(ledger.TransferNotPending):
        ledger.void_pending(t.pk)
    assert balances(a, b) == [(400, 0), (600, 0)]
    assert ledger_problems() == []


def test_void_releases_and_expiry_voids(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    t1 = ledger.transfer("agent", "p1", Req(a.pk, b.pk, 300, pending=True))
    t2 = ledger.transfer(
        "agent", "p2", Req(a.pk, b.pk, 200, pending=True, timeout=timedelta(minutes=5))
    )
    ledger.void_pending(t1.pk)
    assert balances(a, b) == [(1_000, 200), (0, 0)]
    # Nothing expires before its time; after it, the command voids it
    assert ledger.expire_pending() == 0
    assert ledger.expire_pending(timezone.now() + timedelta(minutes=6)) == 1
    t2.refresh_from_db()
    assert t2.state == TransferState.VOIDED
    assert balances(a, b) == [(1_000, 0), (0, 0)]
    assert ledger_problems() == []


def test_an_expired_pending_cannot_be_posted(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    t = ledger.transfer("agent", "p", Req(a.pk, b.pk, 300, pending=True, timeout=timedelta(0)))
    with pytest.raises(ledger.TransferNotPending, match="expired"):
        ledger.post_pending(t.pk)
    assert balances(a, b) == [(1_000, 300), (0, 0)]


def test_reversal_moves_money_back_once(wallet, fund) -> None:
    a, b = fund(wallet(), 1_000), wallet()
    t = ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 700))
    r = ledger.reverse(t, "officer", "rev-1")
    assert r.reversal_of_id == t.pk
    assert balances(a, b) == [(1_000, 0), (0, 0)]
    with pytest.raises(ledger.LedgerError, match="already reversed"):
        ledger.reverse(t, "officer", "rev-2")
    assert balances(a, b) == [(1_000, 0), (0, 0)]
    assert ledger_problems() == []


def test_batch_is_all_or_nothing(wallet, fund) -> None:
    a, b, c = fund(wallet(), 1_000), wallet(), wallet()
    with pytest.raises(ledger.InsufficientFunds):
        ledger.transfer_batch(
            "user:a", [("b1", Req(a.pk, b.pk, 600)), ("b2", Req(a.pk, c.pk, 600))]
        )
    assert balances(a, b, c) == [(1_000, 0), (0, 0), (0, 0)]
    done = ledger.transfer_batch(
        "user:a", [("b1", Req(a.pk, b.pk, 600)), ("b2", Req(a.pk, c.pk, 400))]
    )
    assert [t.amount for t in done] == [600, 400]
    assert balances(a, b, c) == [(0, 0), (600, 0), (400, 0)]


def test_settlement_may_go_negative_and_currency_still_sums_to_zero(
    settlement, wallet, fund
) -> None:
    fund(wallet(), 5_000)
    settlement.refresh_from_db()
    assert settlement.balance == -5_000
    assert ledger_problems() == []


def test_entries_are_append_only(wallet, fund) -> None:
    a = fund(wallet(), 5_000)
    entry = Entry.objects.get(account=a)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    # Even raw SQL is refused by the database trigger
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE finance_entry SET amount = 1 WHERE id = %s", [entry.pk])


def test_the_database_refuses_a_direct_overdraft(wallet) -> None:
    # Even a buggy update that skips the service cannot overdraw a customer wallet
    a = wallet()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerAccount.objects.filter(pk=a.pk).update(balance=-1)
    assert balances(a) == [(0, 0)]


def test_ledger_check_command_finds_tampering(wallet, fund) -> None:
    a = fund(wallet(), 5_000)
    call_command("ledger", "check")
    # When someone edits a balance behind the ledger's back (allowed kind, so no constraint)
    LedgerAccount.objects.filter(pk=a.pk).update(balance=4_000)
    with pytest.raises(CommandError):
        call_command("ledger", "check")
    assert any("entries" in p for p in ledger_problems())
    assert any("sum to" in p for p in ledger_problems())


@pytest.mark.parametrize(
    ("text", "exponent", "minor"),
    [
        ("1500", 0, 1500),
        ("1,234.50", 2, 123450),
        ("0.000001", 6, 1),
        ("12.5", 2, 1250),
        ("၁၅၀၀", 0, 1500),
    ],
)
def test_amounts_parse_by_exponent(text, exponent, minor) -> None:
    assert parse_amount(text, exponent) == minor
    assert parse_amount(format_amount(minor, exponent), exponent) == minor


@pytest.mark.parametrize(
    ("text", "exponent"),
    [("1.5", 0), ("1.001", 2), ("0", 2), ("-3", 0), ("1e3", 0), ("", 0), ("١٢", 0)],
)
def test_bad_amount_text_is_refused(text, exponent) -> None:
    with pytest.raises(AmountError):
        parse_amount(text, exponent)
