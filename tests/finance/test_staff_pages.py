"""Agents' and officers' pages: role checks, audited actions, refusals that change nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.core.models import AuditEntry
from pyithu.finance.models import Agent, Customer, ExchangeRate, LedgerAccount, Lottery
from pyithu.finance.services import agents, wallets

OFFICER_PAGES = [
    "/finance/books/",
    "/finance/officer/rates/",
    "/finance/officer/customers/",
    "/finance/officer/agents/",
    "/finance/officer/lottery/",
]
AGENT_PAGES = ["/finance/agent/", "/finance/agent/cash-in/", "/finance/agent/cash-out/"]


@pytest.fixture
def htet(make_staff, currencies) -> User:
    return make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")


@pytest.fixture
def kyaw(make_staff, htet) -> User:
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(user, 500_000, by=htet)
    agents.fund_float(agent, "MMK", 1_000_000, "float-1", by=htet)
    return user


def as_user(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def test_only_the_right_role_opens_each_staff_page(alice, htet, kyaw) -> None:
    citizen, officer, agent = as_user(alice), as_user(htet), as_user(kyaw)
    for url in OFFICER_PAGES:
        assert [c.get(url).status_code for c in (citizen, agent, officer)] == [403, 403, 200]
    for url in AGENT_PAGES:
        assert [c.get(url).status_code for c in (citizen, officer, agent)] == [403, 403, 200]


def test_a_citizen_cannot_post_a_rate(alice, currencies) -> None:
    data = {"base": "USD", "quote": "MMK", "rate": "9000", "spread_bps": "0"}
    assert as_user(alice).post("/finance/officer/rates/", data).status_code == 403
    assert not ExchangeRate.objects.exists()


# --- agent ------------------------------------------------------------------------------------


def test_the_agent_page_shows_float_operations_and_a_balanced_report(kyaw, alice) -> None:
    agent = as_user(kyaw)
    key = key_of(agent.get("/finance/agent/cash-in/").content.decode())
    data = {"customer": "alice", "currency": "MMK", "amount": "120000", "key": key}
    assert agent.post("/finance/agent/cash-in/", data).status_code == 302
    assert agent.post("/finance/agent/cash-in/", data).status_code == 302  # once
    page = agent.get("/finance/agent/").content.decode()
    assert "<td>kyat</td><td>880,000 MMK</td>" in page
    assert "<td>kyat</td><td>0 MMK</td><td>1,000,000 MMK</td><td>120,000 MMK</td>" in page
    assert "<td>880,000 MMK</td><td>Balanced</td>" in page
    assert "<td>cash in at an agent</td><td>120,000 MMK</td>" in page
    assert wallets.wallet_for(alice, "MMK").balance == 120_000


def test_cash_in_past_the_agent_limit_is_refused_with_input_kept(kyaw, alice) -> None:
    data = {"customer": "alice", "currency": "MMK", "amount": "500001", "key": "a" * 32}
    response = as_user(kyaw).post("/finance/agent/cash-in/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "This would pass the agent&#x27;s daily limit." in page and 'value="500001"' in page
    assert not LedgerAccount.objects.filter(owner=alice, balance__gt=0).exists()


def test_cash_in_to_an_unknown_handle_is_refused(kyaw) -> None:
    data = {"customer": "nobody", "currency": "MMK", "amount": "1000", "key": "b" * 32}
    response = as_user(kyaw).post("/finance/agent/cash-in/", data)
    assert response.status_code == 400
    assert "No one has this handle. Check the spelling." in response.content.decode()
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == 1_000_000


# --- officer ----------------------------------------------------------------------------------


def test_the_officer_sets_a_rate_and_the_gold_price(htet) -> None:
    officer = as_user(htet)
    data = {"base": "USD", "quote": "MMK", "rate": "4,500", "spread_bps": "100"}
    assert officer.post("/finance/officer/rates/", data).status_code == 302
    gold = {"per_gram": "396000", "spread_bps": "50", "gold": "1"}
    assert officer.post("/finance/officer/rates/", gold).status_code == 302
    assert wallets.current_rate("USD", "MMK").rate == Decimal("4500")
    assert wallets.current_rate("XAU", "MMK").rate == Decimal("396")
    page = officer.get("/finance/officer/rates/").content.decode()
    assert "<td>US dollar / kyat</td><td>4500</td><td>100</td>" in page
    assert "<td>gold (milligrams) / kyat</td><td>396</td><td>50</td>" in page
    assert AuditEntry.objects.filter(action="finance.set_rate").count() == 2


def test_a_bad_rate_is_refused_and_nothing_is_set(htet) -> None:
    data = {"base": "USD", "quote": "USD", "rate": "abc", "spread_bps": "100"}
    response = as_user(htet).post("/finance/officer/rates/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a number such as 4500 or 0.25." in page and 'value="abc"' in page
    assert not ExchangeRate.objects.exists()


def test_the_officer_changes_a_customer_tier(htet, alice) -> None:
    officer = as_user(htet)
    page = officer.get("/finance/officer/customers/").content.decode()
    assert "<td>pseudonymous</td><td>kyat</td><td>500,000 MMK</td><td>1,000,000 MMK</td>" in page
    data = {"customer": "alice", "tier": "verified"}
    assert officer.post("/finance/officer/customers/", data).status_code == 302
    assert Customer.objects.get(user=alice).tier == "verified"
    assert AuditEntry.objects.filter(action="finance.set_tier").count() == 1


def test_the_officer_sets_an_agents_limit_and_funds_the_float(htet, kyaw) -> None:
    officer = as_user(htet)
    data = {"agent": "agent-kyaw", "daily_limit": "2,000,000", "commission_bps": "80"}
    assert officer.post("/finance/officer/agents/", data).status_code == 302
    agent = Agent.objects.get(user=kyaw)
    assert (agent.daily_limit, agent.commission_bps) == (2_000_000, 80)
    key = key_of(officer.get("/finance/officer/agents/").content.decode())
    fund = {"agent": "agent-kyaw", "currency": "MMK", "amount": "250000", "key": key, "fund": "1"}
    assert officer.post("/finance/officer/agents/", fund).status_code == 302
    assert officer.post("/finance/officer/agents/", fund).status_code == 302  # once
    assert agents.float_for(agent, "MMK").balance == 1_250_000
    page = officer.get("/finance/officer/agents/").content.decode()
    row = '<td translate="no">agent-kyaw</td><td>Myanmar (Burma)</td>'
    row += "<td>2,000,000 MMK</td><td>0.80%</td>"
    assert row in page


def test_funding_someone_who_is_not_an_agent_is_refused(htet, alice) -> None:
    fund = {"agent": "alice", "currency": "MMK", "amount": "1000", "key": "c" * 32, "fund": "1"}
    response = as_user(htet).post("/finance/officer/agents/", fund)
    assert response.status_code == 400
    assert "This person is not an agent." in response.content.decode()
    assert not LedgerAccount.objects.filter(owner=alice).exists()


def test_a_lottery_with_a_bad_prize_is_refused(htet) -> None:
    data = {
        "name": "L",
        "currency": "MMK",
        "ticket_price": "1000",
        "prizes": "5000, abc",
        "beacon_name": "drand round 1",
        "create": "1",
    }
    response = as_user(htet).post("/finance/officer/lottery/", data)
    assert response.status_code == 400
    assert "Enter an amount such as 1500 or 12.50." in response.content.decode()
    assert not Lottery.objects.exists()
