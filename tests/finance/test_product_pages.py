"""Citizen product pages: cash-out code, exchange (quote then confirm), gold, fixed deposits.
Every money form is idempotent by its hidden key; refusals keep input and answer 400."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import create_citizen_account
from pyithu.finance.models import DepositState, FixedDeposit, LedgerAccount, Transfer
from pyithu.finance.services import agents, deposits, wallets
from pyithu.finance.services.checks import ledger_problems


@pytest.fixture
def htet(make_staff, currencies) -> User:
    return make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")


@pytest.fixture
def kyaw(make_staff, htet) -> User:
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(user, 5_000_000, by=htet)
    agents.fund_float(agent, "MMK", 3_000_000, "float-1", by=htet)
    return user


@pytest.fixture
def me(alice, kyaw) -> Client:
    """Alice, signed in, with 800,000 kyat cashed in at agent Kyaw."""
    agents.cash_in(kyaw, alice, "MMK", 800_000, "ci-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def wallet(user: User, currency: str = "MMK") -> LedgerAccount:
    return wallets.wallet_for(user, currency)


# --- cash-out ---------------------------------------------------------------------------------


def test_cash_out_shows_a_code_that_the_agent_completes(me: Client, alice, kyaw) -> None:
    # Given Alice asks to cash out 40,000 kyat (twice, as a double tap would)
    key = key_of(me.get("/finance/cash-out/").content.decode())
    data = {"currency": "MMK", "amount": "40000", "key": key}
    assert me.post("/finance/cash-out/", data).status_code == 302
    assert me.post("/finance/cash-out/", data).status_code == 302
    # Then 40,000 is reserved once and her page shows the one-time code
    page = me.get("/finance/cash-out/").content.decode()
    code = re.search(r'<p class="codes" translate="no">([a-z0-9]{10})</p>', page).group(1)
    assert (wallet(alice).balance, wallet(alice).pending_debits) == (800_000, 40_000)
    # When agent Kyaw enters the code on his page
    agent = Client(HTTP_ACCEPT_LANGUAGE="en")
    agent.force_login(kyaw)
    key = key_of(agent.get("/finance/agent/cash-out/").content.decode())
    done = agent.post("/finance/agent/cash-out/", {"code": code, "key": key})
    assert done.status_code == 302
    assert "pay the customer 40,000 MMK" in agent.get(done.url).content.decode()
    # Then the money left her wallet, his float got it back with 0.5% commission
    assert (wallet(alice).balance, wallet(alice).pending_debits) == (760_000, 0)
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == 3_000_000 - 800_000 + 40_200
    # and the same form sent again moves nothing more
    assert agent.post("/finance/agent/cash-out/", {"code": code, "key": key}).status_code == 302
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == 2_240_200
    assert '<p class="codes">' not in me.get("/finance/cash-out/").content.decode()
    assert ledger_problems() == []


def test_a_wrong_code_is_refused_on_the_agent_page(me: Client, alice, kyaw) -> None:
    agents.start_cash_out(alice, "MMK", 40_000, "co-1")
    agent = Client(HTTP_ACCEPT_LANGUAGE="en")
    agent.force_login(kyaw)
    response = agent.post("/finance/agent/cash-out/", {"code": "wrongcode2", "key": "a" * 32})
    page = response.content.decode()
    assert response.status_code == 400 and "This code is not valid or was already used." in page
    assert 'value="wrongcode2"' in page
    assert wallet(alice).pending_debits == 40_000 and wallet(alice).balance == 800_000


def test_a_cash_out_can_be_cancelled(me: Client, alice) -> None:
    transfer, _code = agents.start_cash_out(alice, "MMK", 40_000, "co-1")
    response = me.post("/finance/cash-out/", {"cancel": str(transfer.pk)})
    assert response.status_code == 302
    assert (wallet(alice).balance, wallet(alice).pending_debits) == (800_000, 0)
    assert Transfer.objects.get(pk=transfer.pk).state == "voided"


def test_cash_out_over_the_limit_is_refused_with_input_kept(me: Client, alice) -> None:
    response = me.post(
        "/finance/cash-out/", {"currency": "MMK", "amount": "600000", "key": "b" * 32}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This is more than your limit for one payment." in page and 'value="600000"' in page
    assert wallet(alice).pending_debits == 0


def test_cash_out_refusal_is_in_burmese_for_a_burmese_reader(me: Client, alice) -> None:
    me.cookies["lang"] = "my"
    response = me.post("/finance/cash-out/", {"currency": "MMK", "amount": "abc", "key": "c" * 32})
    assert response.status_code == 400
    assert 'lang="my"' in response.content.decode()
    assert wallet(alice).pending_debits == 0


# --- exchange and gold ------------------------------------------------------------------------


def test_exchange_quotes_first_then_confirms_once(me: Client, alice, htet) -> None:
    wallets.set_rate("USD", "MMK", Decimal("4500"), 100, by=htet)
    key = key_of(me.get("/finance/exchange/").content.decode())
    data = {"currency": "MMK", "target": "USD", "amount": "450,000", "key": key}
    # The quote shows the fee and what she gets; nothing moves
    quote = me.post("/finance/exchange/", data).content.decode()
    assert "450,000 MMK" in quote and "4,500 MMK" in quote and "99.00 USD" in quote
    assert wallet(alice).balance == 800_000
    # Confirming (twice) exchanges once
    confirm = {**data, "expect": "9900", "confirm": "1"}
    assert me.post("/finance/exchange/", confirm).status_code == 302
    assert me.post("/finance/exchange/", confirm).status_code == 302
    assert (wallet(alice).balance, wallet(alice, "USD").balance) == (350_000, 9_900)
    assert ledger_problems() == []


def test_exchange_refuses_when_the_rate_changed_since_the_quote(me: Client, alice, htet) -> None:
    wallets.set_rate("USD", "MMK", Decimal("4500"), 100, by=htet)
    data = {"currency": "MMK", "target": "USD", "amount": "450000", "key": "d" * 32}
    wallets.set_rate("USD", "MMK", Decimal("5000"), 100, by=htet)
    response = me.post("/finance/exchange/", {**data, "expect": "9900", "confirm": "1"})
    assert response.status_code == 400
    assert "The rate changed. Check the new quote and confirm again." in response.content.decode()
    assert wallet(alice).balance == 800_000 and wallet(alice, "USD").balance == 0


def test_exchange_without_a_rate_is_refused(me: Client, alice) -> None:
    data = {"currency": "MMK", "target": "THB", "amount": "1000", "key": "e" * 32}
    response = me.post("/finance/exchange/", data)
    assert response.status_code == 400
    assert "There is no rate for this exchange yet." in response.content.decode()
    assert wallet(alice).balance == 800_000


def test_buy_and_sell_gold_at_the_officer_price(me: Client, alice, htet) -> None:
    # 396,000 kyat a gram = 396 kyat a milligram, no spread
    wallets.set_rate("XAU", "MMK", Decimal("396"), 0, by=htet)
    page = me.get("/finance/gold/").content.decode()
    assert "396,000 MMK" in page
    buy = {"side": "buy", "amount": "396000", "key": key_of(page)}
    assert me.post("/finance/gold/", {**buy, "expect": "1000", "confirm": "1"}).status_code == 302
    assert wallet(alice, "XAU").balance == 1_000
    sell = {"side": "sell", "amount": "250", "key": "f" * 32, "expect": "99000", "confirm": "1"}
    assert me.post("/finance/gold/", sell).status_code == 302
    assert (wallet(alice).balance, wallet(alice, "XAU").balance) == (503_000, 750)
    assert ledger_problems() == []


# --- fixed deposits ---------------------------------------------------------------------------


def test_open_a_deposit_and_withdraw_early_seeing_the_penalty_first(me: Client, alice) -> None:
    key = key_of(me.get("/finance/deposits/").content.decode())
    data = {"currency": "MMK", "amount": "500000", "term": "180", "key": key}
    assert me.post("/finance/deposits/", data).status_code == 302
    assert me.post("/finance/deposits/", data).status_code == 302  # opened once
    fd = FixedDeposit.objects.get(owner=alice)
    assert wallet(alice).balance == 300_000
    # Given it was opened thirty days ago: floor(500,000 * 750 * 30 / 3,650,000) = 3,082
    FixedDeposit.objects.filter(pk=fd.pk).update(opened_on=fd.opened_on - timedelta(days=30))
    # The first press shows what she loses; nothing moves
    preview = me.post("/finance/deposits/", {"deposit": str(fd.pk)}).content.decode()
    assert "Interest you give up: 3,082 MMK" in preview
    assert "Early withdrawal fee: 5,000 MMK" in preview
    assert "Back to your wallet: <b>495,000 MMK</b>" in preview
    assert FixedDeposit.objects.get(pk=fd.pk).state == DepositState.OPEN
    # Confirming closes it (pressed twice: once)
    confirm = {"deposit": str(fd.pk), "confirm": "1"}
    assert me.post("/finance/deposits/", confirm).status_code == 302
    assert me.post("/finance/deposits/", confirm).status_code == 302
    assert FixedDeposit.objects.get(pk=fd.pk).state == DepositState.WITHDRAWN
    assert wallet(alice).balance == 300_000 + 495_000
    assert ledger_problems() == []


def test_someone_elses_deposit_cannot_be_withdrawn(me: Client, alice, kyaw) -> None:
    bob = create_citizen_account("bob", "tea leaf salad 1988")[0]
    agents.cash_in(kyaw, bob, "MMK", 100_000, "ci-bob")
    fd = deposits.open_deposit(bob, "MMK", 100_000, 90, "fd-bob")
    response = me.post("/finance/deposits/", {"deposit": str(fd.pk), "confirm": "1"})
    assert response.status_code == 400 and "No such open deposit." in response.content.decode()
    assert FixedDeposit.objects.get(pk=fd.pk).state == DepositState.OPEN


def test_a_deposit_beyond_the_balance_is_refused_with_input_kept(me: Client, alice) -> None:
    data = {"currency": "MMK", "amount": "900000", "term": "90", "key": "a" * 32}
    response = me.post("/finance/deposits/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "Not enough money in this account." in page
    assert 'value="900000"' in page
    assert not FixedDeposit.objects.exists() and wallet(alice).balance == 800_000
