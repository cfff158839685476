"""`pyithu finance daily`: interest, maturity and expiry, idempotent per day."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from pyithu.accounts.models import Role
from pyithu.finance.models import DepositState, LedgerAccount, Transfer
from pyithu.finance.services import agents, deposits, wallets
from pyithu.finance.services.checks import ledger_problems


@pytest.fixture
def kyaw(make_staff, currencies):
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(user, 10**8, by=htet)
    agents.fund_float(agent, "MMK", 10**7, "float-1", by=htet)
    return user


def run(day) -> str:
    out = StringIO()
    call_command("finance", "daily", "--date", day.isoformat(), stdout=out)
    return out.getvalue().strip()


def test_daily_books_interest_once_per_day(alice, kyaw) -> None:
    # Given Alice holds a 1,000,000 kyat deposit at 6% for 90 days
    agents.cash_in(kyaw, alice, "MMK", 1_000_000, "ci")
    fd = deposits.open_deposit(alice, "MMK", 1_000_000, 90, "fd-1")
    day10 = fd.opened_on + timedelta(days=10)
    # When the daily run covers day 10, twice
    first = run(day10)
    transfers = Transfer.objects.count()
    second = run(day10)
    # Then ten days of interest are booked once: floor(1,000,000 * 600 * 10 / 3,650,000)
    assert (
        first
        == f"{day10}: 1 open deposit(s), 10 booking(s), 0 matured, 0 expired pending transfer(s)"
    )
    assert (
        second
        == f"{day10}: 1 open deposit(s), 0 booking(s), 0 matured, 0 expired pending transfer(s)"
    )
    assert Transfer.objects.count() == transfers
    fd.refresh_from_db()
    assert (fd.accrued_days, fd.accrued) == (10, 1_643)
    assert LedgerAccount.objects.get(pk=fd.account_id).balance == 1_001_643
    assert ledger_problems() == []


def test_daily_pays_a_matured_deposit_once(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 1_000_000, "ci")
    fd = deposits.open_deposit(alice, "MMK", 1_000_000, 90, "fd-1")
    # When the run reaches the maturity day (twice)
    run(fd.matures_on)
    assert run(fd.matures_on).endswith(
        "0 open deposit(s), 0 booking(s), 0 matured, 0 expired pending transfer(s)"
    )
    # Then principal and all 90 days of interest are back in the wallet, once
    fd.refresh_from_db()
    assert fd.state == DepositState.MATURED
    assert wallets.wallet_for(alice, "MMK").balance == 1_014_794
    assert LedgerAccount.objects.get(pk=fd.account_id).balance == 0
    assert ledger_problems() == []


def test_daily_expires_timed_out_cash_outs(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 100_000, "ci")
    transfer, code = agents.start_cash_out(alice, "MMK", 40_000, "co-1")
    Transfer.objects.filter(pk=transfer.pk).update(timeout_at=timezone.now() - timedelta(seconds=1))
    # When the daily run passes
    assert run(timezone.localdate()).endswith("1 expired pending transfer(s)")
    # Then the reservation is released and the code no longer pays out
    wallet = wallets.wallet_for(alice, "MMK")
    assert (wallet.balance, wallet.pending_debits) == (100_000, 0)
    with pytest.raises(agents.LedgerError, match="not valid"):
        agents.complete_cash_out(kyaw, code, "late")
    assert run(timezone.localdate()).endswith("0 expired pending transfer(s)")
    assert ledger_problems() == []


def test_daily_refuses_a_bad_date(db) -> None:
    with pytest.raises(CommandError, match="not a date: 2025-13-01"):
        call_command("finance", "daily", "--date", "2025-13-01")
    assert Transfer.objects.count() == 0
