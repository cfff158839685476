"""The remittance desk (agent abroad -> agent in a township), the officers' crowdfunding and
merchant pages: exact balances, refusals that keep input and change nothing, role checks,
and resubmitted forms that move money once."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import create_citizen_account, has_role
from pyithu.core.models import AuditEntry
from pyithu.finance.models import (
    Agent,
    Campaign,
    CodedTransfer,
    Disbursement,
    LogLeaf,
    Merchant,
    Transfer,
)
from pyithu.finance.services import agents, crowdfunding, wallets
from pyithu.finance.services.checks import ledger_problems


@pytest.fixture
def htet(make_staff, currencies) -> User:
    return make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")


@pytest.fixture
def kyaw(make_staff, htet) -> User:
    """An agent in a township, with no float yet."""
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agents.register_agent(user, 5_000_000, by=htet)
    return user


@pytest.fixture
def somchai(make_staff, htet) -> User:
    """An agent in Thailand with 1,000,000 kyat of float."""
    user = make_staff("agent-somchai", Role.AGENT, "finance")
    agent = agents.register_agent(user, 5_000_000, by=htet, country="TH")
    agents.fund_float(agent, "MMK", 1_000_000, "float-th", by=htet)
    return user


@pytest.fixture
def bob(db: Any) -> User:
    return create_citizen_account("bob", "tea leaf salad 1988")[0]


def as_user(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def float_of(user: User) -> int:
    return agents.float_for(Agent.objects.get(user=user), "MMK").balance


def test_only_the_right_role_opens_each_new_page(alice, htet, kyaw) -> None:
    citizen, officer, agent = as_user(alice), as_user(htet), as_user(kyaw)
    for url in ["/finance/officer/campaigns/", "/finance/officer/merchants/"]:
        assert [c.get(url).status_code for c in (citizen, agent, officer)] == [403, 403, 200]
    for url in ["/finance/agent/remit/", "/finance/agent/remit/pay-out/"]:
        assert [c.get(url).status_code for c in (citizen, officer, agent)] == [403, 403, 200]


# --- remittance -------------------------------------------------------------------------------


def test_a_remittance_from_abroad_is_paid_out_in_the_township(somchai, kyaw) -> None:
    abroad, home = as_user(somchai), as_user(kyaw)
    # Given Somchai in Thailand takes 250,000 kyat from a sender
    key = key_of(abroad.get("/finance/agent/remit/").content.decode())
    data = {"to_agent": "agent-kyaw", "currency": "MMK", "amount": "250,000", "key": key}
    # When the form is sent twice (a double tap), one remittance is reserved
    assert abroad.post("/finance/agent/remit/", data).status_code == 302
    assert abroad.post("/finance/agent/remit/", data).status_code == 302
    assert Transfer.objects.filter(kind="remit_out").count() == 1
    page = abroad.get("/finance/agent/remit/").content.decode()
    code = re.search(r'<span class="codes" translate="no">([a-z0-9]{10})</span>', page).group(1)
    assert '<td translate="no">agent-kyaw</td><td>250,000 MMK</td>' in page
    assert page.count('class="codes"') == 1
    assert AuditEntry.objects.filter(action="finance.remit_send").count() == 1
    # Then Kyaw sees it waiting, and the sender's float is reserved, not yet paid
    waiting = home.get("/finance/agent/remit/pay-out/").content.decode()
    assert '<td translate="no">agent-somchai</td><td>250,000 MMK</td>' in waiting
    assert (float_of(somchai), float_of(kyaw)) == (1_000_000, 0)
    # When the recipient shows the code and Kyaw sends the form twice, it is paid once
    pay_key = key_of(waiting)
    for _ in range(2):
        done = home.post("/finance/agent/remit/pay-out/", {"code": code, "key": pay_key})
        assert done.status_code == 302
    assert (float_of(somchai), float_of(kyaw)) == (750_000, 250_000)
    after = home.get("/finance/agent/remit/pay-out/").content.decode()
    assert "Remittance released: pay the recipient 250,000 MMK." in after
    assert "agent-somchai" not in after
    assert ledger_problems() == []
    # And a new form with the same code is refused: the code is used
    again = home.post("/finance/agent/remit/pay-out/", {"code": code, "key": "d" * 32})
    assert again.status_code == 400
    assert "This code is not valid or was already used." in again.content.decode()
    assert (float_of(somchai), float_of(kyaw)) == (750_000, 250_000)


def test_a_remittance_past_the_float_is_refused_with_input_kept(somchai, kyaw) -> None:
    data = {"to_agent": "agent-kyaw", "currency": "MMK", "amount": "1000001", "key": "a" * 32}
    response = as_user(somchai).post("/finance/agent/remit/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Not enough money in this account." in page
    assert 'value="1000001"' in page and 'value="agent-kyaw"' in page
    assert not Transfer.objects.filter(kind="remit_out").exists()
    assert float_of(somchai) == 1_000_000


def test_a_remittance_to_someone_who_is_not_an_agent_is_refused(somchai, alice) -> None:
    data = {"to_agent": "alice", "currency": "MMK", "amount": "1000", "key": "b" * 32}
    response = as_user(somchai).post("/finance/agent/remit/", data)
    assert response.status_code == 400
    assert "This person is not an agent." in response.content.decode()
    assert not Transfer.objects.filter(kind="remit_out").exists()
    assert not CodedTransfer.objects.exists()


def test_a_wrong_code_or_the_wrong_agent_cannot_release_a_remittance(somchai, kyaw) -> None:
    _transfer, code = agents.send_remittance(
        somchai, Agent.objects.get(user=kyaw), "MMK", 10_000, "r-1"
    )
    wrong = as_user(kyaw).post("/finance/agent/remit/pay-out/", {"code": "zzzz", "key": "e" * 32})
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "This code is not valid or was already used." in page and 'value="zzzz"' in page
    sender = as_user(somchai).post("/finance/agent/remit/pay-out/", {"code": code, "key": "f" * 32})
    assert sender.status_code == 400
    assert Transfer.objects.get(kind="remit_out").state == "pending"
    assert (float_of(somchai), float_of(kyaw)) == (1_000_000, 0)


def test_a_citizen_cannot_post_a_remittance(alice, kyaw) -> None:
    data = {"to_agent": "agent-kyaw", "currency": "MMK", "amount": "1000", "key": "a" * 32}
    assert as_user(alice).post("/finance/agent/remit/", data).status_code == 403
    assert as_user(alice).post("/finance/agent/remit/pay-out/", {"code": "x"}).status_code == 403
    assert not Transfer.objects.filter(kind="remit_out").exists()


# --- crowdfunding -----------------------------------------------------------------------------


def _give(user: User, campaign: Campaign, amount: int, fund: Any) -> None:
    fund(wallets.wallet_for(user, "MMK"), amount)
    crowdfunding.donate(user, campaign, amount, f"give-{user.handle}")


def test_the_officer_opens_a_campaign_and_pays_out_of_it(htet, alice, bob, fund) -> None:
    officer = as_user(htet)
    data = {
        "slug": "flood-relief",
        "title_en": "Flood relief",
        "title_my": "ရေဘေးကယ်ဆယ်ရေး",
        "currency": "MMK",
        "goal": "5,000,000",
    }
    # When the officer opens a campaign, citizens see it and give
    assert officer.post("/finance/officer/campaigns/", data).status_code == 302
    campaign = Campaign.objects.get(slug="flood-relief")
    assert (campaign.title_my, campaign.goal, campaign.account.currency_id) == (
        "ရေဘေးကယ်ဆယ်ရေး",
        5_000_000,
        "MMK",
    )
    assert AuditEntry.objects.filter(action="finance.campaign_create").count() == 1
    _give(alice, campaign, 300_000, fund)
    # When the officer records a disbursement to Bob, sending the form twice
    key = key_of(officer.get("/finance/officer/campaigns/").content.decode())
    pay = {
        "campaign": "flood-relief",
        "recipient": "bob",
        "amount": "120000",
        "purpose": "Rice for Hlaing Tharyar shelter",
        "key": key,
        "disburse": "1",
    }
    for _ in range(2):
        assert officer.post("/finance/officer/campaigns/", pay).status_code == 302
    # Then the money moved once, with exact balances
    campaign.account.refresh_from_db()
    assert campaign.account.balance == 180_000
    assert wallets.wallet_for(bob, "MMK").balance == 120_000
    assert Disbursement.objects.count() == 1
    assert ledger_problems() == []
    # And it shows on the officer's list, the campaign page and the public log
    desk = officer.get("/finance/officer/campaigns/").content.decode()
    assert "<td>180,000 MMK</td><td>120,000 MMK</td><td>5,000,000 MMK</td>" in desk
    public = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = public.get("/finance/give/flood-relief/").content.decode()
    assert "<td>Rice for Hlaing Tharyar shelter</td><td>120,000 MMK</td>" in page
    assert "Spent: 120,000 MMK" in page
    leaf = json.loads(LogLeaf.objects.get(index=1).data)
    assert (leaf["type"], leaf["amount"], leaf["purpose"]) == (
        "disbursement",
        120_000,
        "Rice for Hlaing Tharyar shelter",
    )
    log = public.get("/finance/log/").content.decode()
    assert "The log holds 2 entries." in log
    assert "Rice for Hlaing Tharyar shelter" in log


def test_a_disbursement_beyond_the_money_given_is_refused(htet, alice, bob, fund) -> None:
    campaign = crowdfunding.create_campaign(htet, "school", "School", "ကျောင်း", "MMK", 1_000_000)
    _give(alice, campaign, 50_000, fund)
    pay = {
        "campaign": "school",
        "recipient": "bob",
        "amount": "50001",
        "purpose": "Desks",
        "key": "a" * 32,
        "disburse": "1",
    }
    response = as_user(htet).post("/finance/officer/campaigns/", pay)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Not enough money in this account." in page
    assert 'value="50001"' in page and 'value="Desks"' in page and 'value="bob"' in page
    campaign.account.refresh_from_db()
    assert campaign.account.balance == 50_000
    assert not Disbursement.objects.exists()
    assert LogLeaf.objects.count() == 1


def test_a_campaign_with_a_used_short_name_is_refused(htet) -> None:
    crowdfunding.create_campaign(htet, "school", "School", "ကျောင်း", "MMK", 1_000_000)
    data = {
        "slug": "school",
        "title_en": "Another school",
        "title_my": "ကျောင်း",
        "currency": "MMK",
        "goal": "20000",
    }
    response = as_user(htet).post("/finance/officer/campaigns/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "A campaign already uses this short name." in page and 'value="Another school"' in page
    assert list(Campaign.objects.values_list("title_en", flat=True)) == ["School"]


def test_a_citizen_cannot_open_a_campaign_or_disburse(alice, htet, bob) -> None:
    campaign = crowdfunding.create_campaign(htet, "school", "School", "ကျောင်း", "MMK", 1_000)
    data = {"slug": "mine", "title_en": "M", "title_my": "M", "currency": "MMK", "goal": "1"}
    assert as_user(alice).post("/finance/officer/campaigns/", data).status_code == 403
    pay = {"campaign": "school", "recipient": "bob", "amount": "1", "purpose": "x"}
    pay |= {"key": "a" * 32, "disburse": "1"}
    assert as_user(alice).post("/finance/officer/campaigns/", pay).status_code == 403
    assert list(Campaign.objects.all()) == [campaign]
    assert not Disbursement.objects.exists()


# --- merchants --------------------------------------------------------------------------------


def test_a_registered_merchant_gets_a_working_qr_page(htet, alice, fund) -> None:
    owner = create_citizen_account("teashop-mya", "tea leaf salad 1988")[0]
    shop = as_user(owner)
    assert "Ask the bank to register your shop." in shop.get("/finance/merchant/").content.decode()
    # When the officer registers her shop
    data = {"merchant": "teashop-mya", "name": "Mya tea"}
    assert as_user(htet).post("/finance/officer/merchants/", data).status_code == 302
    assert Merchant.objects.get(user=owner).name == "Mya tea"
    assert AuditEntry.objects.filter(action="finance.register_merchant").count() == 1
    assert has_role(owner, Role.MERCHANT, "finance")  # her desk is listed for her
    assert (
        '<td translate="no">Mya tea</td><td translate="no">teashop-mya</td>'
        in as_user(htet).get("/finance/officer/merchants/").content.decode()
    )
    # Then her QR page makes a signed code that Alice pays once
    page = shop.get("/finance/merchant/", {"amount": "3500", "reference": "tea"}).content.decode()
    token = re.search(r'<p><code translate="no">([^<]+)</code></p>', page).group(1)
    fund(wallets.wallet_for(alice, "MMK"), 10_000)
    payer = as_user(alice)
    key = key_of(payer.get("/finance/pay/", {"r": token}).content.decode())
    for _ in range(2):
        sent = payer.post("/finance/pay/", {"request": token, "key": key, "confirm": "1"})
        assert sent.status_code == 302
    assert wallets.wallet_for(alice, "MMK").balance == 6_500
    assert "Received so far: <b>3,500 MMK</b>" in shop.get("/finance/merchant/").content.decode()


def test_registering_an_unknown_handle_is_refused(htet) -> None:
    data = {"merchant": "nobody", "name": "Ghost shop"}
    response = as_user(htet).post("/finance/officer/merchants/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "No one has this handle. Check the spelling." in page and 'value="Ghost shop"' in page
    assert not Merchant.objects.exists()


def test_a_citizen_cannot_register_a_merchant(alice) -> None:
    data = {"merchant": "alice", "name": "My shop"}
    assert as_user(alice).post("/finance/officer/merchants/", data).status_code == 403
    assert not Merchant.objects.exists()
