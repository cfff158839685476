"""Demo data: customers, agents (one in a township, one abroad), a merchant who can sign in, a
fixed deposit, a lottery already drawn and one selling tickets, a campaign with donations in the
transparency log, money set aside for the first township point the hub knows with a cash-out code
and a remittance bound to it (decision 0026), and balanced books."""

from __future__ import annotations

from decimal import Decimal

from pyithu.accounts import services as account_services
from pyithu.accounts.demo import DEMO_PASSPHRASE
from pyithu.accounts.models import Role, User
from pyithu.core import site
from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import Agent, Campaign, FixedDeposit, Lottery, Merchant
from pyithu.finance.services import (
    agents,
    crowdfunding,
    deposits,
    lottery,
    nodes,
    payments,
    wallets,
)
from pyithu.finance.services.checks import ledger_problems

PASS = DEMO_PASSPHRASE
MERCHANT = "teashop-mya"
ABROAD = "agent-somchai"  # both also in accounts.demo.STAFF, which prints their sign-in


def _user(handle: str, staff_role: str | None = None) -> User:
    user = User.objects.filter(handle=handle).first()
    if user is None:
        if staff_role:
            user = account_services.create_staff_account(handle, PASS)
        else:
            user = account_services.create_citizen_account(handle, PASS)[0]
    if staff_role and not account_services.has_role(user, staff_role, "finance"):
        account_services.grant_role(user, staff_role, "finance")
    return user


def load() -> list[str]:
    ensure_currencies()
    htet = _user("bankofficer-htet", Role.BANK_OFFICER)
    kyaw = _user("agent-kyaw", Role.AGENT)
    somchai = _user(ABROAD, Role.AGENT)
    alice, bob, shop_user = _user("alice"), _user("bob"), _user(MERCHANT)
    if not Agent.objects.filter(user=kyaw).exists():
        agents.register_agent(kyaw, 50_000_000, by=htet)
    if not Agent.objects.filter(user=somchai).exists():
        agents.register_agent(somchai, 50_000_000, by=htet, country="TH")
    agent = Agent.objects.get(user=kyaw)
    agents.fund_float(agent, "MMK", 20_000_000, "demo-float", by=htet)
    agents.fund_float(Agent.objects.get(user=somchai), "MMK", 5_000_000, "demo-float-th", by=htet)
    agents.cash_in(kyaw, alice, "MMK", 900_000, "demo-ci-alice")
    agents.cash_in(kyaw, bob, "MMK", 400_000, "demo-ci-bob")
    wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 25_000, "demo-p2p")
    if not wallets.current_rate("USD", "MMK"):
        wallets.set_rate("USD", "MMK", Decimal("4500"), 100, by=htet)
        wallets.set_rate("XAU", "MMK", Decimal("396"), 50, by=htet)
    shop = Merchant.objects.filter(user=shop_user).first() or payments.register_merchant(
        shop_user, "မြ လက်ဖက်ရည်ဆိုင်", by=htet
    )
    token = payments.payment_request(shop, "MMK", 3_500, "လက်ဖက်ရည်နှင့် စမူဆာ")
    payments.pay_request(alice, token, None, "demo-qr")
    if not FixedDeposit.objects.filter(owner=bob).exists():
        deposits.open_deposit(bob, "MMK", 200_000, 90, "demo-fd")
    if not Lottery.objects.exists():
        _lotteries(htet, alice, bob)
    campaign = Campaign.objects.filter(slug="earthquake-2025").first()
    if campaign is None:
        campaign = crowdfunding.create_campaign(
            htet, "earthquake-2025", "Earthquake relief", "ငလျင်ဘေးသင့်သူများ", "MMK", 10**8
        )
        crowdfunding.donate(alice, campaign, 50_000, "demo-donate-1")
        crowdfunding.donate(bob, campaign, 20_000, "demo-donate-2")
    point = _township_point(htet, alice, somchai)
    problems = ledger_problems()
    return [
        "finance: wallets for alice and bob, agents agent-kyaw (Myanmar, float 20,000,000 MMK) and "
        f"{ABROAD} (abroad), a fixed deposit, a drawn lottery and an open one, campaign "
        "earthquake-2025 in the log",
        f"finance: {MERCHANT} signs in as a merchant (listed above) and shows its shop's QR code",
        *point,
        "finance: books balanced" if not problems else f"finance: LEDGER PROBLEMS {problems}",
    ]


def _lotteries(htet: User, alice: User, bob: User) -> None:
    """One draw already done (its result and check can be walked today), one selling tickets."""
    done = lottery.create_lottery(
        htet, "ဆောင်းရာသီ ထီ", "MMK", 1_000, [2_000], "drand quicknet round 1000"
    )
    for n, buyer in enumerate([alice, bob, alice]):
        lottery.buy_ticket(buyer, done, f"demo-drawn-ticket-{n}")
    lottery.close_sales(htet, done)
    lottery.run_draw(htet, done, "4f1c0b7e9a52d3e8c6b1a09f7d2e4c3b5a6978d0e1f2a3b4c5d6e7f8091a2b3c")
    game = lottery.create_lottery(
        htet, "နွေဦး ထီ", "MMK", 1_000, [5_000, 1_000], "drand quicknet round (next)"
    )
    lottery.buy_ticket(alice, game, "demo-ticket-1")
    lottery.buy_ticket(bob, game, "demo-ticket-2")


POINT_FLOAT = 5_000_000
POINT_CASH_OUT = 30_000
POINT_REMITTANCE = 15_000


def _township_point(htet: User, alice: User, somchai: User) -> list[str]:
    """Money during a shutdown (docs/NODE.md, section 6): on a hub that has registered a township
    point, set a float aside for it and bind a cash-out (alice's) and a remittance (from abroad)
    to it, so a volunteer can pay them out at the node with the hub stopped. Without a point,
    say how to make one. Codes are shown once, when made (only their digests are kept)."""
    if not site.is_hub():
        return []
    points = site.points()
    if not points:
        return [
            "finance: no township point yet. To walk money during a shutdown (docs/NODE.md, "
            "Money while the link is cut): register a node on this hub (`pyithu node register "
            'lashio.card --name "Lashio point"`), then run `pyithu demo` again: it sets a float '
            "aside for the point and prints a cash-out code bound to it"
        ]
    node_id, name = points[0]
    nodes.allot_float(htet, node_id, "MMK", POINT_FLOAT, f"demo-point-float-{node_id}")
    _payout, cash_code = nodes.issue_node_cash_out(
        alice, node_id, "MMK", POINT_CASH_OUT, f"demo-point-cash-out-{node_id}"
    )
    _payout, remit_code = nodes.send_remittance_to_node(
        somchai, node_id, "MMK", POINT_REMITTANCE, f"demo-point-remit-{node_id}"
    )
    lines = [
        f"finance: township point {name} ({node_id}): float {POINT_FLOAT:,} MMK set aside; "
        f"alice's cash-out of {POINT_CASH_OUT:,} MMK and {ABROAD}'s remittance of "
        f"{POINT_REMITTANCE:,} MMK are bound to it"
    ]
    if cash_code:
        lines.append(
            f"  pay out at the point: cash-out code {cash_code}, remittance code {remit_code} "
            f"(shown once: only their digests are kept)"
        )
    else:
        lines.append(
            "  their codes were printed when they were made (alice sees hers waiting at "
            "/finance/cash-out/)"
        )
    lines.append(
        f'  next: `pyithu sync export --to hub.bundle --for "{name}"`, import it at the node, '
        "serve it, sign in there as agent-kyaw and open /finance/point/"
    )
    return lines
