"""What a site does with money in the multi-site tests, run inside its own process (called by
``site_worker``'s ``call`` command). See ``money_week`` in ``tests/sync/money.py``."""

from __future__ import annotations

from typing import Any

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import grant_role
from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import Agent, IntentOutcome
from pyithu.finance.services import agents, ledger, nodes
from pyithu.finance.services.checks import ledger_problems
from pyithu.finance.services.wallets import wallet_for


def hub_prepare(node_id: str) -> dict[str, Any]:
    """Before the shutdown: a funded wallet, a float for the node, a cash-out code and a
    remittance bound to it, and the node's agent (the account and role travel to the node)."""
    ensure_currencies()
    officer = User.objects.create_user("week-officer", "pass phrase for staff 1")
    grant_role(officer, Role.BANK_OFFICER, "finance")
    citizen = User.objects.create_user("week-citizen", "pass phrase for citizen 1")
    bank = ledger.system_account("settlement", "MMK")
    wallet = wallet_for(citizen, "MMK")
    ledger.transfer(
        "test", "week-fund", ledger.TransferRequest(bank.pk, wallet.pk, 100_000, kind="deposit")
    )
    agent = User.objects.create_user("week-agent", "pass phrase for agent 1")
    grant_role(agent, Role.AGENT, "finance")
    abroad = User.objects.create_user("week-sender", "pass phrase for agent 2")
    grant_role(abroad, Role.AGENT, "finance")
    sender = Agent.objects.create(user=abroad, country="TH", daily_limit=10**9)
    agents.fund_float(sender, "MMK", 50_000, "week-sender-float", officer)
    nodes.allot_float(officer, node_id, "MMK", 30_000, "week-allot")
    _p, cash_out = nodes.issue_node_cash_out(citizen, node_id, "MMK", 20_000, "week-cash-out")
    _p, remit = nodes.send_remittance_to_node(abroad, node_id, "MMK", 15_000, "week-remit")
    return {"cash_out": cash_out, "remittance": remit, "citizen": "week-citizen"}


def node_week(cash_out: str, remittance: str) -> dict[str, Any]:
    """Seven days with no link: a cash-in a day, the cash-out and the remittance paid out, and a
    cash-in the float cannot cover (refused). Returns what the node shows."""
    agent = User.objects.get(handle="week-agent")
    refused = ""
    for day in range(7):
        if day == 2:
            nodes.node_pay_out(agent, cash_out, key="week-day-2")
        if day == 4:
            nodes.node_pay_out(agent, remittance, key="week-day-4")
        nodes.node_cash_in(agent, "week-citizen", "MMK", 5_000, key=f"week-cash-in-{day}")
    try:
        nodes.node_cash_in(agent, "week-citizen", "MMK", 1_000_000, key="week-too-much")
    except nodes.NodeMoneyError as exc:
        refused = str(exc.message)
    return {
        "available": nodes.node_float("MMK").available,
        "operations": len(nodes.node_operations()),
        "refused": refused,
    }


def money_state(node_id: str = "") -> dict[str, Any]:
    """The hub's books as the tests compare them."""
    citizen = User.objects.filter(handle="week-citizen").first()
    return {
        "problems": ledger_problems(),
        "wallet": wallet_for(citizen, "MMK").balance if citizen else None,
        "float": nodes.float_account(node_id, "MMK").balance if node_id else None,
        "outcomes": sorted(
            [o.intent.seq, o.status] for o in IntentOutcome.objects.select_related("intent")
        ),
    }
