"""Ways through the money services for a reader: the landing page and its desks, receipts
checked by the short code they show, reference data in Burmese, and a demo that can be walked
today (a drawn lottery, an open one, a merchant and two agents who can sign in)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import has_role
from pyithu.core.desks import desks_for
from pyithu.finance import demo
from pyithu.finance.models import Agent, LogLeaf, Lottery, LotteryState, Merchant
from pyithu.finance.services import agents, crowdfunding, payments, wallets

# --- the landing page and the desks -----------------------------------------------------------


def test_the_money_services_page_lists_the_services_to_anyone(client_en: Client, db) -> None:
    page = client_en.get("/finance/").content.decode()
    for url in ["/finance/wallet/", "/finance/cash-out/", "/finance/lottery/", "/finance/give/"]:
        assert f'href="{url}"' in page
    assert "/accounts/login/?next=/finance/" in page  # staff log in and come back to their desk
    assert "My desks" not in page


def test_each_finance_role_is_given_its_own_desk_and_no_other(make_staff, client_en) -> None:
    # Given an agent and a bank officer
    kyaw = make_staff("agent-kyaw", Role.AGENT, "finance")
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    # Then the desks declared for their roles are the pages they may open
    assert [d.url_name for d in desks_for({Role.AGENT})] == ["finance:agent_home"]
    assert [d.url_name for d in desks_for({Role.BANK_OFFICER})] == ["finance:books"]
    assert [d.url_name for d in desks_for({Role.MERCHANT})] == ["finance:merchant"]
    client_en.force_login(kyaw)
    page = client_en.get("/finance/").content.decode()
    assert "My desks" in page and f'href="{reverse("finance:agent_home")}"' in page
    assert reverse("finance:books") not in page
    client_en.force_login(htet)
    page = client_en.get("/finance/").content.decode()
    assert f'href="{reverse("finance:books")}"' in page
    assert reverse("finance:agent_home") not in page


def test_a_registered_merchant_holds_the_merchant_role(make_staff, alice, currencies) -> None:
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    payments.register_merchant(alice, "Alice's noodles", by=htet)
    assert has_role(alice, Role.MERCHANT, "finance")
    assert payments.register_merchant(alice, "Alice's noodles", by=htet).name == "Alice's noodles"
    assert alice.role_grants.filter(role=Role.MERCHANT).count() == 1


# --- receipts checked by their code ------------------------------------------------------------


def _gift(alice: User, make_staff) -> dict:
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    kyaw = make_staff("agent-kyaw", Role.AGENT, "finance")
    agents.fund_float(agents.register_agent(kyaw, 10**7, by=htet), "MMK", 10**6, "f", by=htet)
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    quake = crowdfunding.create_campaign(htet, "quake", "Earthquake relief", "ငလျင်", "MMK", 10**7)
    crowdfunding.donate(alice, quake, 1_000, "d-0")
    return crowdfunding.donate(alice, quake, 20_000, "d-1")


def test_the_receipt_shows_a_short_code_that_the_log_finds(alice, make_staff, currencies) -> None:
    receipt = _gift(alice, make_staff)
    code = receipt["code"]
    index, prefix = code.split("-")
    assert int(index) == receipt["leaf_index"] == 1 and len(prefix) == 8
    me = Client(HTTP_ACCEPT_LANGUAGE="en")
    me.force_login(alice)
    me.session.save()
    # The receipt page shows the code and a QR code that opens the check
    session = me.session
    session["finance_receipt"] = receipt
    session.save()
    page = me.get("/finance/give/receipt/").content.decode()
    assert f'<p class="codes" translate="no">{code}</p>' in page and "<svg" in page
    # Anyone (not logged in) types it on the public log
    found = Client(HTTP_ACCEPT_LANGUAGE="en").get("/finance/log/", {"code": code})
    assert found.status_code == 200
    assert "Entry 1: a gift of 20,000 MMK to Earthquake relief." in found.content.decode()
    # Typed with spaces, upper case or Burmese digits, it is found too
    burmese = code.replace("1", "၁", 1)
    for typed in [f" {index} {prefix.upper()} ", burmese]:
        assert crowdfunding.find_by_receipt_code(typed)["index"] == 1


def test_a_wrong_receipt_code_is_refused_and_nothing_is_added(
    alice, make_staff, currencies
) -> None:
    receipt = _gift(alice, make_staff)
    index, prefix = receipt["code"].split("-")
    wrong = f"{index}-{'0' if prefix[0] != '0' else '1'}{prefix[1:]}"
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/finance/log/", {"code": wrong})
    assert response.status_code == 404
    assert "No gift in the log has this receipt code." in response.content.decode()
    for code in [wrong, "99-" + prefix, "not a code", "", f"{index}-{prefix[:7]}"]:
        assert crowdfunding.find_by_receipt_code(code) is None
    assert LogLeaf.objects.count() == 2


# --- Burmese for reference data -----------------------------------------------------------------


def test_the_wallet_names_kinds_and_currencies_in_burmese(alice, client_my, fund) -> None:
    fund(wallets.wallet_for(alice, "MMK"), 800_000)
    bob = User.objects.create(handle="bob")
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 1_500, "p-1")
    client_my.force_login(alice)
    page = client_my.get("/finance/wallet/").content.decode()
    assert "ကျပ်" in page and "လူတစ်ဦးထံ လွှဲငွေ" in page
    assert "p2p" not in page and "<table" not in page


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_has_a_drawn_lottery_an_open_one_a_merchant_and_two_agents(db) -> None:
    from pyithu.accounts import demo as accounts_demo

    accounts_demo.load()
    lines = demo.load()
    assert "finance: books balanced" in lines
    states = sorted(Lottery.objects.values_list("state", flat=True))
    assert states == [LotteryState.DRAWN, LotteryState.OPEN]
    drawn = Lottery.objects.get(state=LotteryState.DRAWN)
    assert drawn.winners and drawn.revealed_seed
    shop = Merchant.objects.get(user__handle="teashop-mya")
    assert has_role(shop.user, Role.MERCHANT, "finance")
    assert shop.user.check_password(accounts_demo.DEMO_PASSPHRASE) and shop.user.has_totp
    assert {a.user.handle: a.country for a in Agent.objects.all()} == {
        "agent-kyaw": "MM",
        "agent-somchai": "TH",
    }
    assert demo.load()[-1] == "finance: books balanced"  # loading twice adds nothing wrong
