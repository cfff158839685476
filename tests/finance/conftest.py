"""Finance fixtures: currencies, the bank's settlement account and funded wallets."""

from __future__ import annotations

import os
from typing import Any

import pytest

from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import AccountKind, LedgerAccount
from pyithu.finance.services import ledger


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that ask for ``ledger_path`` run through each way a transfer can be applied:
    the database function and the Python path on PostgreSQL, the Python path on SQLite."""
    if "ledger_path" in metafunc.fixturenames:
        paths = ["function", "python"] if on_postgresql() else ["python"]
        metafunc.parametrize("ledger_path", paths, indirect=True)


@pytest.fixture
def ledger_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Force one path (the environment reaches spawned worker processes too)."""
    monkeypatch.setattr(ledger, "USE_FUNCTION", request.param == "function")
    monkeypatch.setenv("PYITHU_LEDGER_PATH", request.param)
    return request.param


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
