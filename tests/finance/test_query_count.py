"""How many statements moving money costs, pinned so a change that adds round trips shows.

A posted transfer: lock both accounts, look the key up, insert the transfer, one conditional
UPDATE for both balances, insert both entries. A batch looks all keys up at once and writes
all entries at once. On PostgreSQL the database function does all of it in one statement per
transfer (decision 0034); the Python path is pinned there too. (Savepoint statements of the
test's own transaction are not counted.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pyithu.finance.models import Entry
from pyithu.finance.services import ledger
from pyithu.finance.services.checks import ledger_problems

Req = ledger.TransferRequest


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"].split()[0]
        for q in ctx.captured_queries
        if "SAVEPOINT" not in q["sql"] and q["sql"] not in ("BEGIN", "COMMIT")
    ]


def test_one_transfer_is_five_statements(wallet, fund, alice, ledger_path) -> None:
    a, b = fund(wallet(alice), 10_000), wallet()
    with CaptureQueriesContext(connection) as ctx:
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 2_500))
    if ledger_path == "function":
        assert statements(ctx) == ["SELECT"]
        assert any("pyithu_ledger_transfer" in q["sql"] for q in ctx.captured_queries)
    else:
        assert statements(ctx) == ["SELECT", "SELECT", "INSERT", "UPDATE", "INSERT"]
    # A retry only locks and finds the first transfer (the function, then reading it back)
    with CaptureQueriesContext(connection) as ctx:
        again = ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 2_500))
    assert statements(ctx) == ["SELECT", "SELECT"]
    assert again.amount == 2_500
    assert ledger_problems() == []


def test_a_batch_of_twenty_looks_keys_up_and_writes_entries_once(
    wallet, fund, alice, ledger_path
) -> None:
    a, b = fund(wallet(alice), 100_000), wallet()
    items = [(f"k{i}", Req(a.pk, b.pk, 100 + i)) for i in range(20)]
    with CaptureQueriesContext(connection) as ctx:
        ledger.transfer_batch("user:a", items)
    expected = 1 + 20 if ledger_path == "function" else 1 + 1 + 20 * 2 + 1
    assert len(statements(ctx)) == expected
    a.refresh_from_db()
    assert a.balance == 100_000 - sum(100 + i for i in range(20))
    assert list(
        Entry.objects.filter(account=a).order_by("id").values_list("balance_after", flat=True)
    )[-2:] == [
        100_000 - sum(100 + i for i in range(19)),
        a.balance,
    ]
    assert ledger_problems() == []


def test_a_refused_transfer_in_the_single_update_changes_nothing(
    wallet, fund, alice, ledger_path
) -> None:
    a, b = fund(wallet(alice), 1_000), wallet()
    with pytest.raises(ledger.InsufficientFunds, match=r"^Not enough money in this account\.$"):
        ledger.transfer("user:a", "k1", Req(a.pk, b.pk, 1_001))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.balance, a.version, b.balance, b.version) == (1_000, 1, 0, 0)
