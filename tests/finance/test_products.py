"""Products over the ledger: limits, exchange, deposits, agents, QR payments, lottery, giving."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pyithu.accounts.models import Role
from pyithu.accounts.services import create_citizen_account
from pyithu.core.models import AuditEntry
from pyithu.finance import draw
from pyithu.finance.models import AccountKind, DepositState, LedgerAccount, Merchant, Tier
from pyithu.finance.services import agents, crowdfunding, deposits, lottery, payments, wallets
from pyithu.finance.services.checks import ledger_problems
from pyithu.finance.services.ledger import InsufficientFunds, LedgerError
from pyithu.finance.transparency import check_extends, check_receipt


@pytest.fixture
def bob(db):
    return create_citizen_account("bob", "tea leaf salad 1988")[0]


@pytest.fixture
def htet(make_staff, currencies):
    return make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")


@pytest.fixture
def kyaw(make_staff, htet):
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(user, 5_000_000, by=htet)
    agents.fund_float(agent, "MMK", 3_000_000, "float-1", by=htet)
    return user


def mmk(user) -> int:
    return (
        wallets.wallet_for(user, "MMK")
        .__class__.objects.get(owner=user, kind=AccountKind.CUSTOMER, currency_id="MMK")
        .balance
    )


def test_cash_in_p2p_and_the_pseudonymous_limit(alice, bob, kyaw) -> None:
    # Given Alice cashes in 800,000 kyat at agent Kyaw
    agents.cash_in(kyaw, alice, "MMK", 800_000, "ci-1")
    assert mmk(alice) == 800_000
    # When she pays Bob within her limits it works
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 300_000, "p-1")
    # But over the 500,000 per-payment limit of the pseudonymous tier is refused
    with pytest.raises(LedgerError, match="limit for one payment"):
        wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 500_001, "p-2")
    assert (mmk(alice), mmk(bob)) == (500_000, 300_000)
    # And the daily limit of 1,000,000 counts what she already paid today
    agents.cash_in(kyaw, alice, "MMK", 900_000, "ci-2")
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 500_000, "p-3")
    with pytest.raises(LedgerError, match="daily limit"):
        wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 200_001, "p-4")
    assert (mmk(alice), mmk(bob)) == (900_000, 800_000)
    assert ledger_problems() == []


def test_exchange_books_the_spread_as_a_fee(alice, kyaw, htet) -> None:
    agents.cash_in(kyaw, alice, "MMK", 450_000, "ci")
    wallets.set_rate("USD", "MMK", Decimal("4500"), 100, by=htet)
    # When Alice changes 450,000 kyat to dollars at 4,500 with a 1% spread
    legs = wallets.exchange(alice, "MMK", "USD", 450_000, "x-1")
    assert [leg.amount for leg in legs] == [445_500, 4_500, 9_900]  # net, fee, $99.00
    assert wallets.wallet_for(alice, "USD").balance == 9_900
    fee = LedgerAccount.objects.get(kind=AccountKind.FEE, label="exchange", currency_id="MMK")
    assert fee.balance == 4_500
    # A retry returns the same legs and moves nothing again
    assert [leg.pk for leg in wallets.exchange(alice, "MMK", "USD", 450_000, "x-1")] == [
        leg.pk for leg in legs
    ]
    assert mmk(alice) == 0
    assert AuditEntry.objects.filter(action="finance.set_rate").count() == 1
    assert ledger_problems() == []


def test_gold_is_bought_at_the_officer_price(alice, kyaw, htet) -> None:
    agents.cash_in(kyaw, alice, "MMK", 400_000, "ci")
    wallets.set_rate("XAU", "MMK", Decimal("396"), 0, by=htet)  # kyat per milligram
    wallets.exchange(alice, "MMK", "XAU", 396_000, "g-1")
    assert wallets.wallet_for(alice, "XAU").balance == 1_000
    assert ledger_problems() == []


def test_fixed_deposit_accrues_daily_and_pays_at_maturity(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 1_000_000, "ci")
    fd = deposits.open_deposit(alice, "MMK", 1_000_000, 90, "fd-1")
    assert deposits.open_deposit(alice, "MMK", 1_000_000, 90, "fd-1").pk == fd.pk
    assert mmk(alice) == 0
    # 6% a year: floor(1,000,000 * 600 * d / 3,650,000)
    deposits.accrue(fd.pk, fd.opened_on + timedelta(days=10))
    deposits.accrue(fd.pk, fd.opened_on + timedelta(days=10))  # re-running books nothing more
    fd.refresh_from_db()
    assert fd.accrued == 1_643
    assert LedgerAccount.objects.get(pk=fd.account_id).balance == 1_001_643
    with pytest.raises(LedgerError, match="not matured"):
        deposits.mature(fd.pk, fd.opened_on + timedelta(days=89))
    fd = deposits.mature(fd.pk, fd.matures_on)
    assert fd.state == DepositState.MATURED
    assert mmk(alice) == 1_000_000 + 14_794
    assert ledger_problems() == []


def test_early_withdrawal_forfeits_interest_and_pays_a_penalty(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 1_000_000, "ci")
    fd = deposits.open_deposit(alice, "MMK", 1_000_000, 180, "fd-1")
    fd = deposits.withdraw_early(alice, fd.pk, fd.opened_on + timedelta(days=30))
    assert fd.state == DepositState.WITHDRAWN
    assert mmk(alice) == 990_000  # 1% penalty; the accrued interest went back
    assert ledger_problems() == []


def test_cash_out_by_one_time_code_with_commission(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 100_000, "ci")
    transfer, code = agents.start_cash_out(alice, "MMK", 40_000, "co-1")
    assert mmk(alice) == 100_000
    assert LedgerAccount.objects.get(pk=transfer.debit_account_id).pending_debits == 40_000
    # A wrong code is refused and nothing moves
    with pytest.raises(LedgerError, match="not valid"):
        agents.complete_cash_out(kyaw, "wrongcode", "done-1")
    float_before = agents.float_for(kyaw.bank_agent, "MMK").balance
    agents.complete_cash_out(kyaw, code, "done-1")
    assert mmk(alice) == 60_000
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == float_before + 40_000 + 200
    # The code works once
    with pytest.raises(LedgerError, match="already used"):
        agents.complete_cash_out(kyaw, code, "done-2")
    report = agents.reconciliation(kyaw.bank_agent, timezone.localdate())
    assert report[0].balanced
    assert ledger_problems() == []


def test_remittance_from_abroad_to_a_township_agent(make_staff, htet, kyaw) -> None:
    thai = make_staff("agent-somchai", Role.AGENT, "finance")
    abroad = agents.register_agent(thai, 10_000_000, by=htet, country="TH")
    agents.fund_float(abroad, "MMK", 1_000_000, "float-th", by=htet)
    _transfer, code = agents.send_remittance(thai, kyaw.bank_agent, "MMK", 250_000, "r-1")
    with pytest.raises(LedgerError):
        agents.pay_out_remittance(thai, code)  # only the receiving agent pays out
    agents.pay_out_remittance(kyaw, code)
    assert agents.float_for(abroad, "MMK").balance == 750_000
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == 3_250_000
    assert ledger_problems() == []


def test_a_citizen_cannot_act_as_agent(alice, bob) -> None:
    with pytest.raises(LedgerError, match="authorised agent"):
        agents.cash_in(alice, bob, "MMK", 1_000, "x")


def test_merchant_qr_pays_once_and_a_forged_request_fails(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 10_000, "ci")
    shop_user = create_citizen_account("shop", "tea leaf salad 1988")[0]
    shop = Merchant.objects.create(user=shop_user, name="Tea shop")
    token = payments.payment_request(shop, "MMK", 2_500, "table 4")
    assert "<svg" in payments.qr_svg(f"https://example.org/finance/pay/?r={token}")
    payments.pay_request(alice, token, None, "qr-1")
    payments.pay_request(alice, token, None, "qr-1")  # a double tap pays once
    assert payments.merchant_account(shop, "MMK").balance == 2_500
    _body, sig = token.split(".")
    forged = payments.payment_request(shop, "MMK", 25, "table 4").split(".")[0] + "." + sig
    with pytest.raises(LedgerError, match="not valid"):
        payments.pay_request(alice, forged, None, "qr-2")
    assert mmk(alice) == 7_500


def test_the_lottery_draw_is_verifiable(alice, bob, kyaw, htet) -> None:
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci-a")
    agents.cash_in(kyaw, bob, "MMK", 50_000, "ci-b")
    game = lottery.create_lottery(htet, "Nway Oo 1", "MMK", 10_000, [30_000, 10_000], "drand 1")
    for i in range(3):
        lottery.buy_ticket(alice, game, f"t-a{i}")
        lottery.buy_ticket(bob, game, f"t-b{i}")
    assert lottery.buy_ticket(alice, game, "t-a0").number == 1  # a retried purchase
    game = lottery.close_sales(htet, game)
    with pytest.raises(LedgerError, match="closed"):
        lottery.buy_ticket(alice, game, "late")
    game = lottery.run_draw(htet, game, "beacon-randomness-abc")
    public = json.loads(json.dumps(lottery.public_record(game)))
    assert draw.verify(public) == []
    assert len(public["winners"]) == 2
    assert mmk(alice) + mmk(bob) == 100_000 - 60_000 + 40_000
    # A different beacon value would not give these winners' proof: tampering is caught
    public["beacon_value"] = "other"
    assert draw.verify(public) != [] or public["winners"] == draw.winners(
        bytes.fromhex(public["seed"]),
        [(t["number"], t["id"]) for t in public["tickets"]],
        "other",
        2,
    )
    assert ledger_problems() == []


def test_rejection_sampling_is_uniform_over_small_ranges() -> None:
    values = iter([2**64 - 1, 2**64 - 2, 5])  # r=3: 2**64 - 1 and -2 are >= limit, rejected
    assert draw.uniform(values, 3) == 5 % 3


def test_a_donation_receipt_proves_inclusion_without_naming_the_donor(alice, kyaw, htet) -> None:
    agents.cash_in(kyaw, alice, "MMK", 100_000, "ci")
    camp = crowdfunding.create_campaign(htet, "quake", "Earthquake relief", "ငလျင်", "MMK", 10**7)
    first = crowdfunding.donate(alice, camp, 20_000, "d-1")
    old_sth = first["sth"]
    receipt = crowdfunding.donate(alice, camp, 30_000, "d-2")
    crowdfunding.disburse(htet, camp, wallets.wallet_for(htet, "MMK"), 10_000, "water", "ds-1")
    key = receipt["public_key"]
    assert check_receipt(receipt, key) == []
    assert "alice" not in receipt["leaf_data"] and str(alice.pk) not in receipt["leaf_data"]
    # A later head extends the earlier one
    new = crowdfunding.sth_dict(crowdfunding.sign_tree_head())
    proof = crowdfunding.consistency(old_sth["tree_size"], new["tree_size"])
    assert check_extends(old_sth, new, proof, key) == []
    # A wrong secret, a forged head or a rewritten history fails
    assert check_receipt({**receipt, "secret": "guess"}, key) != []
    assert check_receipt({**receipt, "sth": {**receipt["sth"], "tree_size": 5}}, key) != []
    assert check_extends(old_sth, {**new, "root_hash": "00" * 32}, proof, key) != []
    assert camp.account.__class__.objects.get(pk=camp.account_id).balance == 40_000
    assert ledger_problems() == []


def test_refused_donation_changes_nothing(alice, htet) -> None:
    camp = crowdfunding.create_campaign(htet, "quake", "Relief", "ငလျင်", "MMK", 10**7)
    with pytest.raises(InsufficientFunds):
        crowdfunding.donate(alice, camp, 20_000, "d-1")
    assert crowdfunding.leaf_hashes() == []


def test_a_verified_tier_has_higher_limits(alice, bob, kyaw, htet) -> None:
    wallets.set_tier(alice, Tier.VERIFIED, by=htet)
    agents.cash_in(kyaw, alice, "MMK", 2_000_000, "ci")
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 1_500_000, "big")
    assert mmk(bob) == 1_500_000
