"""The lottery, giving and merchant pages: public records anyone can check, forms that never
move money twice, and refusals that keep what was typed."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import create_citizen_account
from pyithu.finance.models import Donation, LedgerAccount, LogLeaf, Merchant, Ticket
from pyithu.finance.services import agents, crowdfunding, lottery, payments, wallets


@pytest.fixture
def htet(make_staff, currencies) -> User:
    return make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")


@pytest.fixture
def me(alice, htet, make_staff) -> Client:
    """Alice, signed in, with 100,000 kyat."""
    kyaw = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(kyaw, 5_000_000, by=htet)
    agents.fund_float(agent, "MMK", 1_000_000, "float-1", by=htet)
    agents.cash_in(kyaw, alice, "MMK", 100_000, "ci-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def mmk(user: User) -> int:
    return wallets.wallet_for(user, "MMK").balance


# --- lottery ----------------------------------------------------------------------------------


def test_tickets_cost_the_price_and_show_under_my_tickets(me: Client, alice, htet) -> None:
    game = lottery.create_lottery(htet, "Nway Oo", "MMK", 2_000, [3_000], "drand round 7")
    page = me.get("/finance/lottery/").content.decode()
    assert "Nway Oo" in page and "2,000 MMK" in page
    buy = {"lottery": str(game.pk), "count": "3", "key": key_of(page)}
    response = me.post("/finance/lottery/", buy)
    assert response.status_code == 302
    assert "Your ticket numbers: 1, 2, 3" in me.get(response.url).content.decode()
    assert mmk(alice) == 94_000 and Ticket.objects.count() == 3


def test_too_many_tickets_are_refused_and_nothing_is_bought(me: Client, alice, htet) -> None:
    game = lottery.create_lottery(htet, "Nway Oo", "MMK", 2_000, [3_000], "drand round 7")
    response = me.post(
        "/finance/lottery/", {"lottery": str(game.pk), "count": "11", "key": "a" * 32}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 10." in page and 'value="11"' in page
    assert mmk(alice) == 100_000 and not Ticket.objects.exists()


def test_tickets_beyond_the_balance_are_all_refused(me: Client, alice, htet) -> None:
    game = lottery.create_lottery(htet, "Big", "MMK", 40_000, [50_000], "drand round 7")
    response = me.post(
        "/finance/lottery/", {"lottery": str(game.pk), "count": "3", "key": "b" * 32}
    )
    assert response.status_code == 400
    assert "Not enough money in this account." in response.content.decode()
    assert mmk(alice) == 100_000 and not Ticket.objects.exists()
    assert LedgerAccount.objects.get(pk=game.pool_id).balance == 0


def test_the_public_draw_page_shows_each_step(client, me: Client, alice, htet) -> None:
    game = lottery.create_lottery(htet, "Nway Oo", "MMK", 1_000, [1_500], "drand round 7")
    page = client.get(f"/finance/lottery/{game.pk}/").content.decode()
    assert "Not drawn yet." in page and "Check this draw" not in page
    experts = client.get("/finance/check-yourself/", {"lottery": str(game.pk)}).content.decode()
    assert game.commitment in experts and "drand round 7" in experts
    lottery.buy_ticket(alice, game, "t-1")
    lottery.buy_ticket(alice, game, "t-2")
    game = lottery.run_draw(htet, lottery.close_sales(htet, game), "beacon-42")
    page = client.get(f"/finance/lottery/{game.pk}/").content.decode()
    assert f"Ticket {game.winners[0]} wins 1,500 MMK" in page and "Check this draw" in page
    # The draw page repeats the draw for a reader (the same check as `pyithu lottery verify`)
    checked = client.get(f"/finance/lottery/{game.pk}/", {"check": "1"}).content.decode()
    assert "repeating the draw gives exactly these winners" in checked
    # Its raw record, the commands and the algorithm are on the page for experts only
    experts = client.get("/finance/check-yourself/", {"lottery": str(game.pk)}).content.decode()
    assert game.tickets_hash in experts and game.revealed_seed in experts
    assert "beacon-42" in experts and f"/api/finance/lottery/{game.pk}" in experts
    assert "pyithu lottery verify draw.json" in experts
    assert game.commitment not in page and "pyithu" not in page.replace("Pyithu", "")
    assert client.get("/finance/lottery/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_buying_a_ticket_needs_a_login(client, htet) -> None:
    game = lottery.create_lottery(htet, "Nway Oo", "MMK", 1_000, [1_500], "drand round 7")
    response = client.post("/finance/lottery/", {"lottery": str(game.pk), "count": "1"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Ticket.objects.exists()


# --- giving and the public log ----------------------------------------------------------------


@pytest.fixture
def quake(htet):
    return crowdfunding.create_campaign(htet, "quake", "Earthquake relief", "ငလျင်", "MMK", 10**7)


def test_a_named_gift_is_thanked_and_an_anonymous_one_is_not(me: Client, alice, quake) -> None:
    key = key_of(me.get("/finance/give/quake/").content.decode())
    # Unticking "anonymous" (the checkbox is simply absent from the POST)
    assert me.post("/finance/give/quake/", {"amount": "5000", "key": key}).status_code == 302
    key = key_of(me.get("/finance/give/quake/").content.decode())
    gift = {"amount": "7000", "anonymous": "on", "key": key}
    assert me.post("/finance/give/quake/", gift).status_code == 302
    page = me.get("/finance/give/quake/").content.decode()
    assert '<li><span translate="no">alice</span>: 5,000 MMK</li>' in page
    assert "7,000" not in page.split("Thank you")[1]
    assert "Given: <b>12,000 MMK</b>" in page
    assert [d.show_name for d in Donation.objects.order_by("leaf_index")] == [True, False]
    assert all("alice" not in leaf.data for leaf in LogLeaf.objects.all())


def test_a_gift_sent_twice_is_given_once(me: Client, alice, quake) -> None:
    gift = {"amount": "5000", "anonymous": "on", "key": "c" * 32}
    assert me.post("/finance/give/quake/", gift).status_code == 302
    again = me.post("/finance/give/quake/", gift)
    assert again.status_code == 400
    assert "This donation was already made" in again.content.decode()
    assert mmk(alice) == 95_000 and LogLeaf.objects.count() == 1


def test_a_bad_amount_is_refused_with_input_kept(me: Client, alice, quake) -> None:
    response = me.post("/finance/give/quake/", {"amount": "12.5", "key": "d" * 32})
    page = response.content.decode()
    assert response.status_code == 400 and "This currency has no decimal places." in page
    assert 'value="12.5"' in page and mmk(alice) == 100_000 and not LogLeaf.objects.exists()


def test_the_log_checks_a_receipt_and_refuses_a_forged_one(
    client, alice, me: Client, quake
) -> None:
    receipt = crowdfunding.donate(alice, quake, 5_000, "d-1")
    crowdfunding.donate(alice, quake, 1_000, "d-2")  # the log grew since the receipt
    page = client.get("/finance/log/").content.decode()
    assert "The log holds 2 entries." in page and receipt["public_key"] not in page
    # The whole receipt file is checked on the page for experts
    experts = "/finance/check-yourself/"
    assert receipt["public_key"] in client.get(experts).content.decode()
    ok = client.post(experts, {"receipt": json.dumps(receipt)})
    assert ok.status_code == 200 and "This gift is in the log" in ok.content.decode()
    forged = client.post(experts, {"receipt": json.dumps({**receipt, "secret": "mine"})})
    assert forged.status_code == 400
    assert "This receipt does not check out" in forged.content.decode()
    junk = client.post(experts, {"receipt": "not json"})
    assert junk.status_code == 400 and "This is not a receipt file." in junk.content.decode()
    assert LogLeaf.objects.count() == 2


def test_the_receipt_is_only_for_the_donor_session(client, me: Client, quake) -> None:
    assert "No receipt to show" in client.get("/finance/give/receipt/").content.decode()
    assert client.get("/finance/give/receipt/json/").status_code == 404


# --- the merchant's QR ------------------------------------------------------------------------


def test_a_merchant_page_signs_a_payment_request(db, currencies) -> None:
    owner = create_citizen_account("teashop-mya", "tea leaf salad 1988")[0]
    shop = Merchant.objects.create(user=owner, name="Mya tea")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(owner)
    page = client.get("/finance/merchant/", {"amount": "3,500", "reference": "table 4"}).content
    page = page.decode()
    token = re.search(r'<code translate="no">([A-Za-z0-9_\-.]+)</code>', page).group(1)
    assert "<svg" in page and "3,500 MMK" in page
    found = payments.read_request(token)
    assert (found["merchant"], found["amount"], found["reference"]) == (shop, 3_500, "table 4")
    bad = client.get("/finance/merchant/", {"amount": "3.5"})
    assert bad.status_code == 400 and "This currency has no decimal places." in bad.content.decode()


def test_a_citizen_without_a_shop_is_told_so(me: Client) -> None:
    page = me.get("/finance/merchant/").content.decode()
    assert "This account is not a merchant." in page and "<svg" not in page
