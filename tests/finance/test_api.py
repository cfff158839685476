"""The finance API: idempotent transfers, validation, public transparency endpoints."""

from __future__ import annotations

import pytest

from pyithu.accounts import services as account_services
from pyithu.accounts.models import Role
from pyithu.finance import merkle
from pyithu.finance.models import AccountKind, LedgerAccount
from pyithu.finance.services import agents, crowdfunding, wallets


@pytest.fixture
def funded(make_staff, alice, currencies):
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    kyaw = make_staff("agent-kyaw", Role.AGENT, "finance")
    agents.fund_float(agents.register_agent(kyaw, 10**7, by=htet), "MMK", 10**6, "f", by=htet)
    agents.cash_in(kyaw, alice, "MMK", 100_000, "ci")
    return htet, kyaw


def auth(user) -> dict[str, str]:
    if not user.is_staff:
        return {}  # citizens use their session (the tests log them in)
    _token, raw = account_services.create_api_token(user, "wallet app")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _signed_in(client_en, alice):
    client_en.force_login(alice)


def test_transfer_with_idempotency_key_applies_once(client_en, alice, funded) -> None:
    bob = account_services.create_citizen_account("bob", "tea leaf salad 1988")[0]
    to = wallets.wallet_for(bob, "MMK")
    headers = {**auth(alice), "HTTP_IDEMPOTENCY_KEY": "pay-1"}
    body = {"to": str(to.pk), "currency": "MMK", "amount": "2,500"}
    first = client_en.post(
        "/api/finance/transfers", body, content_type="application/json", **headers
    )
    again = client_en.post(
        "/api/finance/transfers", body, content_type="application/json", **headers
    )
    assert first.status_code == 200 and again.json()["id"] == first.json()["id"]
    to.refresh_from_db()
    assert to.balance == 2_500
    # The same key with a different amount is refused, and nothing changes
    changed = client_en.post(
        "/api/finance/transfers",
        {**body, "amount": "9"},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 400 and changed.json()["code"] == "idempotency_conflict"
    to.refresh_from_db()
    assert to.balance == 2_500


@pytest.mark.parametrize(
    "amount, currency", [("1.5", "MMK"), ("-1", "MMK"), ("1e9", "MMK"), ("10", "BTC"), ("", "MMK")]
)
def test_bad_amounts_and_currencies_are_400(client_en, alice, funded, amount, currency) -> None:
    to = wallets.wallet_for(funded[0], "MMK")
    response = client_en.post(
        "/api/finance/transfers",
        {"to": str(to.pk), "currency": currency, "amount": amount},
        content_type="application/json",
        **{**auth(alice), "HTTP_IDEMPOTENCY_KEY": "k"},
    )
    assert response.status_code == 400
    assert wallets.wallet_for(alice, "MMK").balance == 100_000


def test_an_officer_without_the_agent_role_cannot_cash_in(client_en, alice, funded) -> None:
    client_en.logout()
    response = client_en.post(
        "/api/finance/agents/cash-in",
        {"customer": "alice", "currency": "MMK", "amount": "1000"},
        content_type="application/json",
        **{**auth(funded[0]), "HTTP_IDEMPOTENCY_KEY": "k"},
    )
    assert response.status_code == 400
    assert wallets.wallet_for(alice, "MMK").balance == 100_000


def test_public_transparency_endpoints(client_en, alice, funded) -> None:
    camp = crowdfunding.create_campaign(funded[0], "c", "C", "C", "MMK", 10**6)
    for i in range(3):
        crowdfunding.donate(alice, camp, 1_000 + i, f"d{i}")
    sth = client_en.get("/api/finance/transparency/sth").json()
    assert sth["tree_size"] == 3
    leaves = client_en.get("/api/finance/transparency/leaves").json()
    proof = client_en.get("/api/finance/transparency/inclusion?index=1&size=3").json()["proof"]
    assert merkle.verify_inclusion(
        bytes.fromhex(leaves[1]["leaf_hash"]),
        1,
        3,
        [bytes.fromhex(p) for p in proof],
        bytes.fromhex(sth["root_hash"]),
    )
    assert (
        client_en.get("/api/finance/transparency/consistency?first=1&second=3").status_code == 200
    )
    assert (
        client_en.get("/api/finance/transparency/consistency?first=4&second=3").status_code == 400
    )
    assert client_en.get("/api/finance/transparency/inclusion?index=x&size=3").status_code in (
        400,
        422,
    )


@pytest.mark.parametrize(
    "kind",
    [
        AccountKind.SETTLEMENT,
        AccountKind.FLOAT,
        AccountKind.LOTTERY,
        AccountKind.CAMPAIGN,
        AccountKind.DEPOSIT,
        AccountKind.FEE,
    ],
)
def test_the_transfer_api_pays_only_into_another_persons_wallet(
    client_en, alice, funded, kind
) -> None:
    # Given an account that belongs to the bank's own bookkeeping
    target = LedgerAccount.objects.create(kind=kind, currency_id="MMK", label=f"probe-{kind}")
    mine = wallets.wallet_for(alice, "MMK")
    before = mine.balance
    # When alice pays it directly through the API
    response = client_en.post(
        "/api/finance/transfers",
        {"to": str(target.pk), "currency": "MMK", "amount": "1,000"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"probe-{kind}",
    )
    # Then she is refused and no money moved
    assert response.status_code == 400 and response.json()["code"]
    target.refresh_from_db()
    mine.refresh_from_db()
    assert target.balance == 0 and mine.balance == before


def test_nobody_pays_their_own_wallet(client_en, alice, funded) -> None:
    mine = wallets.wallet_for(alice, "MMK")
    response = client_en.post(
        "/api/finance/transfers",
        {"to": str(mine.pk), "currency": "MMK", "amount": "1"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="self",
    )
    assert response.status_code == 400
