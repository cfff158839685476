"""Issue 6 "Done when", tried as a new user would, through the pages only: open a
pseudonymous wallet, cash in at an agent, pay a merchant by QR, open a fixed deposit, buy a
lottery ticket and verify the draw, give and verify the receipt against the log; an officer
sees balanced books."""

from __future__ import annotations

import html
import json
import re
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from pyithu.accounts.models import Role
from pyithu.accounts.services import create_citizen_account
from pyithu.finance.models import Customer, FixedDeposit, LedgerAccount, Lottery, Merchant
from pyithu.finance.services import crowdfunding
from pyithu.finance.services.checks import ledger_problems


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def mmk(user: Any) -> int:
    return LedgerAccount.objects.get(owner=user, kind="customer", currency_id="MMK").balance


def test_a_new_user_does_everything_and_the_books_balance(
    alice, make_staff, currencies, tmp_path
) -> None:
    htet = signed_in(make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance"))
    kyaw_user = make_staff("agent-kyaw", Role.AGENT, "finance")
    kyaw = signed_in(kyaw_user)
    shop_user = create_citizen_account("teashop-mya", "tea leaf salad 1988")[0]
    Merchant.objects.create(user=shop_user, name="Mya tea")
    shop = signed_in(shop_user)
    me = signed_in(alice)

    # The officer authorises agent Kyaw and records 1,000,000 kyat of float he paid in
    page = htet.get("/finance/officer/agents/").content.decode()
    form = {"agent": "agent-kyaw", "daily_limit": "5,000,000", "commission_bps": "50"}
    assert htet.post("/finance/officer/agents/", form).status_code == 302
    fund = {"agent": "agent-kyaw", "currency": "MMK", "amount": "1000000", "key": key_of(page)}
    assert htet.post("/finance/officer/agents/", {**fund, "fund": "1"}).status_code == 302

    # 1. Alice opens a pseudonymous wallet with one button
    assert "My wallet" in me.get("/finance/").content.decode()  # the money services page
    assert "Open my wallet" in me.get("/finance/wallet/").content.decode()
    assert me.post("/finance/open/").status_code == 302
    assert Customer.objects.get(user=alice).tier == "pseudonymous"

    # 2. She hands Kyaw 300,000 kyat; his page pays her wallet from his float
    key = key_of(kyaw.get("/finance/agent/cash-in/").content.decode())
    data = {"customer": "alice", "currency": "MMK", "amount": "300,000", "key": key}
    assert kyaw.post("/finance/agent/cash-in/", data).status_code == 302
    assert mmk(alice) == 300_000

    # 3. The tea shop shows a signed QR for 3,500 kyat; Alice opens it and confirms once
    page = shop.get("/finance/merchant/", {"amount": "3500", "reference": "tea"}).content.decode()
    assert "<svg" in page
    token = html.unescape(re.search(r'<code translate="no">([^<]+)</code>', page).group(1))
    page = me.get("/finance/pay/", {"r": token}).content.decode()
    assert "Signature checked" in page and "3,500 MMK" in page
    pay = {"request": token, "key": key_of(page), "confirm": "1"}
    assert me.post("/finance/pay/", pay).status_code == 302
    assert mmk(alice) == 296_500

    # 4. She opens a 90-day fixed deposit of 100,000 kyat
    key = key_of(me.get("/finance/deposits/").content.decode())
    data = {"currency": "MMK", "amount": "100000", "term": "90", "key": key}
    assert me.post("/finance/deposits/", data).status_code == 302
    assert FixedDeposit.objects.get(owner=alice).principal == 100_000
    assert "Interest so far" in me.get("/finance/deposits/").content.decode()
    assert mmk(alice) == 196_500

    # 5. The officer opens a draw; Alice buys two tickets; sales close; the draw is run
    draw = {
        "name": "Nway Oo",
        "currency": "MMK",
        "ticket_price": "1000",
        "prizes": "1500",
        "beacon_name": "drand quicknet round 12345",
        "create": "1",
    }
    assert htet.post("/finance/officer/lottery/", draw).status_code == 302
    game = Lottery.objects.get()
    key = key_of(me.get("/finance/lottery/").content.decode())
    buy = {"lottery": str(game.pk), "count": "2", "key": key}
    assert me.post("/finance/lottery/", buy).status_code == 302
    assert me.post("/finance/lottery/", buy).status_code == 302  # sent twice: bought once
    assert mmk(alice) == 194_500
    close = {"lottery": str(game.pk), "close": "1"}
    assert htet.post("/finance/officer/lottery/", close).status_code == 302
    run = {"lottery": str(game.pk), "draw": "1", "beacon_value": "9f2c77e0a1"}
    assert htet.post("/finance/officer/lottery/", run).status_code == 302
    game.refresh_from_db()
    checked = me.get(f"/finance/lottery/{game.pk}/", {"check": "1"}).content.decode()
    assert "repeating the draw gives exactly these winners" in checked
    experts = me.get("/finance/check-yourself/", {"lottery": str(game.pk)}).content.decode()
    assert game.commitment in experts and game.revealed_seed in experts
    assert game.tickets_hash in experts and "pyithu lottery verify draw.json" in experts
    assert mmk(alice) == 196_000  # her winning ticket paid 1,500
    # and anyone re-runs the draw from the published record
    record = tmp_path / "draw.json"
    record.write_bytes(me.get(f"/api/finance/lottery/{game.pk}").content)
    out = StringIO()
    call_command("lottery", "verify", str(record), stdout=out)
    assert out.getvalue().strip() == f"draw verified: winners {game.winners}"

    # 6. Alice gives 20,000 kyat anonymously and checks her receipt against the log
    crowdfunding.create_campaign(
        make_staff("bankofficer-su", Role.BANK_OFFICER, "finance"),
        "quake",
        "Earthquake relief",
        "ငလျင်",
        "MMK",
        10**7,
    )
    key = key_of(me.get("/finance/give/quake/").content.decode())
    give = {"amount": "20000", "anonymous": "on", "key": key}
    response = me.post("/finance/give/quake/", give)
    assert response.status_code == 302 and response.url == "/finance/give/receipt/"
    page = me.get("/finance/give/receipt/").content.decode()
    code = re.search(r'<p class="codes" translate="no">([0-9]+-[0-9a-f]{8})</p>', page).group(1)
    # Anyone types the receipt's short code on the public log (or scans its QR code)
    checked = Client(HTTP_ACCEPT_LANGUAGE="en").get("/finance/log/", {"code": code})
    assert "Entry 0: a gift of 20,000 MMK to Earthquake relief." in checked.content.decode()
    # The full receipt file, for experts: on their page and with the offline command
    receipt = me.get("/finance/give/receipt/json/").content.decode()
    checked = me.post("/finance/check-yourself/", {"receipt": receipt}).content.decode()
    assert "This gift is in the log, the log signed it" in checked
    (tmp_path / "r.json").write_text(receipt)
    out = StringIO()
    call_command("transparency", "verify", "--receipt", str(tmp_path / "r.json"), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "verified: receipt"
    assert "alice" not in json.loads(receipt)["leaf_data"]
    assert mmk(alice) == 176_000

    # 7. The officer sees balanced books
    books = htet.get("/finance/books/").content.decode()
    assert "Balanced" in books and "problems" not in books
    assert ledger_problems() == []
