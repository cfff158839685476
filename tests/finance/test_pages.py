"""The bank's HTML pages: a citizen does everything with plain forms, no JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import create_citizen_account
from pyithu.finance.models import Customer, LedgerAccount, Merchant, Transfer
from pyithu.finance.services import payments, wallets


@pytest.fixture
def bob(db: Any) -> User:
    return create_citizen_account("bob", "tea leaf salad 1988")[0]


@pytest.fixture
def alice_in(client_en: Client, alice: User, currencies: None) -> Client:
    client_en.force_login(alice)
    return client_en


@pytest.fixture
def rich_alice(alice: User, fund: Any) -> User:
    """Alice with 800,000 kyat and 12.50 US dollars in her wallet."""
    fund(wallets.wallet_for(alice, "MMK"), 800_000)
    fund(wallets.wallet_for(alice, "USD"), 1_250)
    return alice


@pytest.fixture
def shop(db: Any, currencies: None) -> Merchant:
    owner = create_citizen_account("teashop-mya", "tea leaf salad 1988")[0]
    return Merchant.objects.create(user=owner, name="Mya tea")


def balance(user: User, currency: str = "MMK") -> int:
    account = LedgerAccount.objects.filter(owner=user, currency_id=currency).first()
    return account.balance if account else 0


def key_of(html: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', html).group(1)


# --- wallet home ------------------------------------------------------------------------------


def test_the_wallet_needs_a_login(client_en: Client, db: Any) -> None:
    response = client_en.get("/finance/wallet/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_citizen_opens_a_pseudonymous_wallet_with_one_button(alice_in: Client, alice) -> None:
    # Given Alice has no wallet, the page offers to open one
    page = alice_in.get("/finance/wallet/").content.decode()
    assert "Open my wallet" in page
    # When she presses the button
    response = alice_in.post("/finance/open/")
    # Then she has a pseudonymous customer record and a kyat wallet, and pressing again is harmless
    assert response.status_code == 302 and response.url == "/finance/wallet/"
    alice_in.post("/finance/open/")
    assert Customer.objects.get(user=alice).tier == "pseudonymous"
    assert LedgerAccount.objects.filter(owner=alice).count() == 1
    assert "Open my wallet" not in alice_in.get("/finance/wallet/").content.decode()


def test_opening_a_wallet_needs_a_post(alice_in: Client, alice) -> None:
    assert alice_in.get("/finance/open/").status_code == 405
    assert not Customer.objects.filter(user=alice).exists()


def test_balances_are_formatted_by_the_currency_exponent(alice_in: Client, rich_alice) -> None:
    page = alice_in.get("/finance/wallet/").content.decode()
    assert "<b>800,000 MMK</b> · kyat" in page
    assert "<b>12.50 USD</b> · US dollar" in page
    assert "800,000 MMK" in page  # the deposit among recent transfers


# --- person-to-person transfers ---------------------------------------------------------------


def _send(client: Client, key: str, **fields: str) -> Any:
    data = {"recipient": "bob", "amount": "25,000", "currency": "MMK", "note": "", "key": key}
    data.update(fields)
    return client.post("/finance/send/", data)


def test_send_money_form_confirm_and_result(alice_in: Client, rich_alice, bob) -> None:
    # Given the form carries a fresh request key
    key = key_of(alice_in.get("/finance/send/").content.decode())
    # When Alice fills it in, she sees a confirm page and nothing has moved yet
    confirm = _send(alice_in, key, note="rice")
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "25,000 MMK" in page
    assert '<b translate="no">bob</b>' in page
    assert balance(bob) == 0
    # When she confirms
    done = _send(alice_in, key, note="rice", confirm="1")
    # Then the money moves once and she sees the result
    assert done.status_code == 302 and done.url == "/finance/send/done/"
    result = alice_in.get(done.url).content.decode()
    assert "25,000 MMK" in result and "bob" in result and "rice" in result
    assert (balance(rich_alice), balance(bob)) == (775_000, 25_000)


def test_a_resubmitted_form_never_pays_twice(alice_in: Client, rich_alice, bob) -> None:
    key = key_of(alice_in.get("/finance/send/").content.decode())
    first = _send(alice_in, key, confirm="1")
    again = _send(alice_in, key, confirm="1")
    assert first.status_code == again.status_code == 302
    assert (balance(rich_alice), balance(bob)) == (775_000, 25_000)
    assert Transfer.objects.filter(kind="p2p").count() == 1


def test_over_the_limit_is_refused_with_the_form_kept(alice_in: Client, rich_alice, bob) -> None:
    # Given a pseudonymous wallet may pay at most 500,000 kyat at once
    key = key_of(alice_in.get("/finance/send/").content.decode())
    response = _send(alice_in, key, amount="600000", note="rent", confirm="1")
    page = response.content.decode()
    assert response.status_code == 400
    assert "This is more than your limit for one payment." in page
    assert 'value="600000"' in page and 'value="rent"' in page and f'value="{key}"' in page
    assert (balance(rich_alice), balance(bob)) == (800_000, 0)


def test_insufficient_funds_is_refused_and_nothing_moves(alice_in: Client, rich_alice, bob) -> None:
    key = key_of(alice_in.get("/finance/send/").content.decode())
    response = _send(alice_in, key, amount="13", currency="USD", confirm="1")
    assert response.status_code == 400
    assert "Not enough money in this account." in response.content.decode()
    assert (balance(rich_alice, "USD"), balance(bob, "USD")) == (1_250, 0)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"recipient": "nobody"}, "No one has this handle. Check the spelling."),
        ({"recipient": "alice"}, "You cannot send money to yourself."),
        ({"amount": "1.5"}, "This currency has no decimal places."),
        ({"amount": "abc"}, "Enter an amount such as 1500 or 12.50."),
        ({"key": "not-a-key"}, "This form is out of date. Please start again."),
        ({"currency": "EUR"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    alice_in: Client, rich_alice, bob, fields: dict[str, str], error: str
) -> None:
    response = _send(alice_in, **{"key": "a" * 32, "confirm": "1", **fields})
    assert response.status_code == 400 and error in response.content.decode()
    assert (balance(rich_alice), balance(bob)) == (800_000, 0)


def test_the_result_page_shows_only_my_own_payment(alice_in: Client, bob) -> None:
    page = alice_in.get("/finance/send/done/").content.decode()
    assert "No payment to show" in page


# --- statements -------------------------------------------------------------------------------


def test_statement_page_and_csv(alice_in: Client, rich_alice, bob) -> None:
    wallets.pay(rich_alice, wallets.wallet_for(bob, "MMK"), "MMK", 1_500, "s-1", note="tea")
    page = alice_in.get("/finance/statement/MMK/").content.decode()
    assert '<b>-1,500</b> · sent to a person · <span translate="no">tea</span>' in page
    assert "Balance 798,500" in page
    csv = alice_in.get("/finance/statement/MMK/csv/")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv.content.decode().splitlines()
    assert lines[0] == "date,kind,reference,amount,balance,currency"
    assert lines[1].endswith(',p2p,tea,"-1,500","798,500",MMK')
    assert lines[2].endswith(',deposit,,"800,000","800,000",MMK')


def test_a_statement_shows_only_my_own_wallet(client_en: Client, rich_alice, bob) -> None:
    # Given Bob is signed in, Alice's kyat never appear on his statement
    client_en.force_login(bob)
    page = client_en.get("/finance/statement/MMK/").content.decode()
    assert "You have no wallet in this currency." in page and "800,000" not in page
    assert client_en.get("/finance/statement/MMK/csv/").status_code == 404
    assert client_en.get("/finance/statement/EUR/").status_code == 404


# --- merchant payments ------------------------------------------------------------------------


def test_pay_a_fixed_merchant_request_in_one_confirm_step(
    alice_in: Client, rich_alice, shop
) -> None:
    token = payments.payment_request(shop, "MMK", 3_500, "tea and samosa")
    # When Alice opens the link carrying the code, she sees it verified
    page = alice_in.get("/finance/pay/", {"r": token}).content.decode()
    assert "Signature checked" in page and "Mya tea" in page
    assert "3,500 MMK" in page and "tea and samosa" in page
    key = key_of(page)
    # When she confirms (twice, as a double tap would), she pays once
    for _ in range(2):
        done = alice_in.post("/finance/pay/", {"request": token, "key": key, "confirm": "1"})
        assert done.status_code == 302
    assert balance(rich_alice) == 796_500
    assert LedgerAccount.objects.get(owner=shop.user).balance == 3_500
    assert "Mya tea" in alice_in.get("/finance/send/done/").content.decode()


def test_pasted_open_amount_request(alice_in: Client, rich_alice, shop) -> None:
    token = payments.payment_request(shop, "MMK", None, "table 4")
    check = alice_in.post("/finance/pay/", {"request": token, "key": "b" * 32, "amount": ""})
    assert check.status_code == 200 and "Amount (MMK)" in check.content.decode()
    data = {"request": token, "key": "b" * 32, "amount": "2,000", "confirm": "1"}
    assert alice_in.post("/finance/pay/", data).status_code == 302
    assert balance(rich_alice) == 798_000


def test_a_forged_payment_code_is_refused(alice_in: Client, rich_alice, shop) -> None:
    token = payments.payment_request(shop, "MMK", 3_500, "tea")
    _body, signature = token.split(".")
    forged = payments.payment_request(shop, "MMK", 1, "tea").split(".")[0] + "." + signature
    data = {"request": forged, "key": "c" * 32, "confirm": "1"}
    response = alice_in.post("/finance/pay/", data)
    assert response.status_code == 400
    assert "This payment code is not valid." in response.content.decode()
    assert balance(rich_alice) == 800_000 and not LedgerAccount.objects.filter(owner=shop.user)


def test_a_merchant_payment_without_funds_is_refused(alice_in: Client, alice, shop) -> None:
    token = payments.payment_request(shop, "MMK", 3_500, "tea")
    data = {"request": token, "key": "d" * 32, "confirm": "1"}
    response = alice_in.post("/finance/pay/", data)
    assert response.status_code == 400
    assert "Not enough money in this account." in response.content.decode()
    assert balance(alice) == 0 and balance(shop.user) == 0


# --- the officer's books ----------------------------------------------------------------------


def test_an_officer_sees_balanced_books(client_en: Client, make_staff, rich_alice, bob) -> None:
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    wallets.pay(rich_alice, wallets.wallet_for(bob, "MMK"), "MMK", 1_500, "b-1")
    client_en.force_login(htet)
    page = client_en.get("/finance/books/").content.decode()
    assert "Balanced" in page and "problems" not in page
    assert "<td>kyat</td><td>3</td><td>800,000</td><td>0</td><td>0</td>" in page
    assert "<td>US dollar</td><td>2</td><td>12.50</td><td>0.00</td><td>0.00</td>" in page


def test_a_citizen_cannot_see_the_books(alice_in: Client) -> None:
    assert alice_in.get("/finance/books/").status_code == 403


def test_a_confirm_step_sent_again_shows_it_again(alice_in: Client, rich_alice, bob) -> None:
    # The one-time form token (decision 0086) is spent only by a post that did the work
    key = key_of(alice_in.get("/finance/send/").content.decode())
    once = "d" * 32
    first = _send(alice_in, key, form_once=once)
    again = _send(alice_in, key, form_once=once)
    assert first.status_code == again.status_code == 200
    assert "25,000 MMK" in again.content.decode()
    paid = _send(alice_in, key, confirm="1", form_once="e" * 32)
    replay = _send(alice_in, key, confirm="1", form_once="e" * 32)
    assert paid.status_code == 302 and replay.status_code == 303
    assert replay["Location"] == paid["Location"]
    assert Transfer.objects.filter(kind="p2p").count() == 1
