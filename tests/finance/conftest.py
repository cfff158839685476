"""Finance fixtures: currencies, the bank's settlement account and funded wallets."""

from __future__ import annotations

from typing import Any

import pytest

from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import AccountKind, LedgerAccount
from pyithu.finance.services import ledger


@pytest.fixture
def currencies(db: Any) -> None:
    ensure_currencies()


@pytest.fixture
def settlement(currencies: None) -> LedgerAccount:
    return ledger.system_account(AccountKind.SETTLEMENT, "MMK")


@pytest.fixture
def fund(settlement: LedgerAccount):
    """Move money from the bank's settlement account into an account (a cash deposit)."""
    counter = iter(range(10**6))

    def give(account: LedgerAccount, amount: int) -> LedgerAccount:
        source = ledger.system_account(AccountKind.SETTLEMENT, account.currency_id)
        request = ledger.TransferRequest(source.pk, account.pk, amount, kind="deposit")
        ledger.transfer("test", f"fund-{next(counter)}", request)
        account.refresh_from_db()
        return account

    return give


@pytest.fixture
def wallet(currencies: None):
    def make(owner: Any = None, currency: str = "MMK") -> LedgerAccount:
        return ledger.open_account(owner, currency)

    return make
