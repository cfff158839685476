"""Money at township nodes during a shutdown (decision 0026): the hub applies each node's
operations once, in the node's order, out of the float it set aside, whatever order, repetition
or delay the bundles arrive in; a node spends only what the hub set aside for it."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import grant_role
from pyithu.core.ids import new_id
from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import IntentOutcome, NodeIntent, NodePayout, Transfer
from pyithu.finance.services import ledger, nodes
from pyithu.finance.services.checks import ledger_problems
from pyithu.finance.services.wallets import wallet_for
from pyithu.sync.exchange import import_bundle
from pyithu.sync.identity import Identity
from pyithu.sync.services import register_peer, revoke_peer
from tests.sync.conftest import Remote
from tests.sync.test_sites import network, template_db  # noqa: F401  (two sites)

NOW = "2026-11-20T08:00:00+00:00"


@pytest.fixture
def officer(hub: Identity) -> User:
    ensure_currencies()
    user = User.objects.create_user("bank-officer", "pass phrase for staff 1")
    grant_role(user, Role.BANK_OFFICER, "finance")
    return user


@pytest.fixture
def citizen(officer: User) -> User:
    """A wallet holding 100,000 kyat."""
    user = User.objects.create_user("daw-hla", "pass phrase for citizen 1")
    bank = ledger.system_account("settlement", "MMK")
    ledger.transfer(
        "test",
        "fund-daw-hla",
        ledger.TransferRequest(bank.pk, wallet_for(user, "MMK").pk, 100_000, kind="deposit"),
    )
    return user


def intent(node: Remote, seq: int, kind: str, amount: int, **extra: Any) -> dict[str, Any]:
    """The change a node's agent page makes for one operation."""
    payload = {
        "id": str(new_id()),
        "created_at": NOW,
        "updated_at": NOW,
        "node_id": node.node_id,
        "seq": seq,
        "kind": kind,
        "currency": "MMK",
        "amount": amount,
        "payout_id": None,
        "holder": "",
        "agent_handle": "agent-1",
        **extra,
    }
    return node.change("finance.nodeintent", payload)


def cash_in(node: Remote, seq: int, who: User, amount: int) -> dict[str, Any]:
    return intent(node, seq, "cash_in", amount, holder=str(who.pk))


def pay_out(node: Remote, seq: int, payout: NodePayout) -> dict[str, Any]:
    return intent(node, seq, payout.kind, payout.amount, payout_id=str(payout.pk))


def balance(account_id: Any) -> int:
    return ledger.LedgerAccount.objects.get(pk=account_id).balance


def deliver(hub: Identity, node: Remote, changes: list[dict[str, Any]]) -> Any:
    report = import_bundle(node.bundle(hub, changes), hub)
    assert ledger_problems() == []  # `pyithu ledger check` after every merge
    return report


def outcomes(node: Remote) -> dict[int, str]:
    return dict(
        IntentOutcome.objects.filter(intent__node_id=node.node_id).values_list(
            "intent__seq", "status"
        )
    )


def test_two_nodes_offline_at_once_serving_the_same_wallet(
    hub: Identity, lashio: Remote, hakha: Remote, officer: User, citizen: User
) -> None:
    nodes.allot_float(officer, lashio.node_id, "MMK", 50_000, "allot-lashio")
    nodes.allot_float(officer, hakha.node_id, "MMK", 50_000, "allot-hakha")
    at_lashio, _code = nodes.issue_node_cash_out(citizen, lashio.node_id, "MMK", 60_000, "co-1")
    # The wallet's money is held for Lashio: Hakha can only be promised what is left.
    with pytest.raises(ledger.InsufficientFunds):
        nodes.issue_node_cash_out(citizen, hakha.node_id, "MMK", 60_000, "co-2")
    at_hakha, _code = nodes.issue_node_cash_out(citizen, hakha.node_id, "MMK", 40_000, "co-3")
    wallet = wallet_for(citizen, "MMK")
    assert wallet.available == 0

    # Both points are cut off; each pays its code; Lashio also takes a cash-in; Hakha's agent
    # tries Lashio's code too (its page refuses it; a forged intent is refused on the hub).
    lashio_week = [pay_out(lashio, 1, at_lashio), cash_in(lashio, 2, citizen, 20_000)]
    hakha_week = [pay_out(hakha, 1, at_hakha), pay_out(hakha, 2, at_lashio)]
    deliver(hub, hakha, hakha_week)
    deliver(hub, lashio, lashio_week)

    assert outcomes(hakha) == {1: "applied", 2: "refused"}
    assert outcomes(lashio) == {1: "applied", 2: "applied"}
    assert balance(wallet.pk) == 100_000 - 60_000 - 40_000 + 20_000
    assert balance(nodes.float_account(lashio.node_id, "MMK").pk) == 50_000 + 60_000 - 20_000
    assert balance(nodes.float_account(hakha.node_id, "MMK").pk) == 50_000 + 40_000
    refused = IntentOutcome.objects.get(intent__node_id=hakha.node_id, intent__seq=2)
    assert refused.transfer_id is None and "another" not in refused.message  # not its code
    assert "not issued for this township point" in refused.message


def test_replayed_reordered_and_delayed_bundles_apply_each_operation_once_in_order(
    hub: Identity, lashio: Remote, officer: User, citizen: User
) -> None:
    nodes.allot_float(officer, lashio.node_id, "MMK", 10_000, "allot")
    payout, _code = nodes.issue_node_cash_out(citizen, lashio.node_id, "MMK", 30_000, "co")
    float_id = nodes.float_account(lashio.node_id, "MMK").pk
    wallet_id = wallet_for(citizen, "MMK").pk
    # Day 1 a pay-out (the float grows by it), day 2 a cash-in only that pay-out made possible,
    # day 3 another cash-in. Each day one bundle on its own stick.
    monday = [pay_out(lashio, 1, payout)]
    tuesday = [cash_in(lashio, 2, citizen, 35_000)]
    wednesday = [cash_in(lashio, 3, citizen, 5_000)]

    deliver(hub, lashio, wednesday)  # arrives first: waits for 1 and 2
    deliver(hub, lashio, tuesday)
    assert outcomes(lashio) == {}
    assert balance(float_id) == 10_000
    assert Transfer.objects.get(pk=payout.transfer_id).state == "pending"

    deliver(hub, lashio, monday)  # the gap fills: 1, 2, 3 in order
    assert outcomes(lashio) == {1: "applied", 2: "applied", 3: "applied"}
    assert balance(float_id) == 10_000 + 30_000 - 35_000 - 5_000 == 0
    assert balance(wallet_id) == 100_000 - 30_000 + 35_000 + 5_000

    for replay in (monday, tuesday, wednesday, monday + tuesday + wednesday):
        report = deliver(hub, lashio, replay)
        assert report.new == 0
    assert IntentOutcome.objects.count() == 3
    assert balance(float_id) == 0
    assert balance(wallet_id) == 110_000
    assert Transfer.objects.filter(client=f"node:{lashio.node_id}").count() == 2


def test_an_operation_past_the_float_on_the_hub_is_refused_and_moves_nothing(
    hub: Identity, lashio: Remote, officer: User, citizen: User
) -> None:
    nodes.allot_float(officer, lashio.node_id, "MMK", 10_000, "allot")
    deliver(hub, lashio, [cash_in(lashio, 1, citizen, 8_000), cash_in(lashio, 2, citizen, 8_000)])
    assert outcomes(lashio) == {1: "applied", 2: "refused"}
    assert balance(nodes.float_account(lashio.node_id, "MMK").pk) == 2_000


def test_a_wiped_node_its_float_settles_what_it_handed_over_and_a_new_node_starts_afresh(
    hub: Identity,
    lashio: Remote,
    make_remote: Callable[..., Remote],
    officer: User,
    citizen: User,
) -> None:
    nodes.allot_float(officer, lashio.node_id, "MMK", 50_000, "allot")
    payout, _code = nodes.issue_node_cash_out(citizen, lashio.node_id, "MMK", 30_000, "co")
    float_id = nodes.float_account(lashio.node_id, "MMK").pk
    sent = [cash_in(lashio, 1, citizen, 10_000)]
    never_sent = [pay_out(lashio, 2, payout)]  # paid in cash, then the point was raided
    deliver(hub, lashio, sent)

    revoke_peer(lashio.node_id)
    assert nodes.retire_node(officer, lashio.node_id) == 1
    assert ledger_problems() == []
    # The hold was settled as paid: the cash left the box, the wallet no longer has it.
    assert balance(float_id) == 50_000 - 10_000 + 30_000
    assert balance(wallet_for(citizen, "MMK").pk) == 100_000 + 10_000 - 30_000
    # What the raided point still carried is refused whole; nothing moves twice.
    with pytest.raises(Exception, match="revoked"):
        import_bundle(lashio.bundle(hub, sent + never_sent), hub)
    assert balance(float_id) == 70_000
    with pytest.raises(nodes.NodeMoneyError):
        nodes.allot_float(officer, lashio.node_id, "MMK", 1_000, "allot-again")
    with pytest.raises(nodes.NodeMoneyError):
        nodes.issue_node_cash_out(citizen, lashio.node_id, "MMK", 1_000, "co-again")

    lashio2 = make_remote("Lashio point, re-installed")
    nodes.allot_float(officer, lashio2.node_id, "MMK", 20_000, "allot-2")
    deliver(hub, lashio2, [cash_in(lashio2, 1, citizen, 5_000)])
    assert outcomes(lashio2) == {1: "applied"}
    assert balance(nodes.float_account(lashio2.node_id, "MMK").pk) == 15_000
    assert balance(float_id) == 70_000


def test_no_node_acts_in_anothers_name_or_posts_a_hold_it_did_not_get(
    hub: Identity, lashio: Remote, hakha: Remote, officer: User, citizen: User
) -> None:
    nodes.allot_float(officer, lashio.node_id, "MMK", 50_000, "allot")
    # Hakha signs an intent that says it is Lashio's: the whole bundle is refused.
    forged = cash_in(hakha, 1, citizen, 10_000)
    forged["p"]["node_id"] = lashio.node_id
    with pytest.raises(Exception, match="claims to come from node"):
        import_bundle(hakha.bundle(hub, [forged]), hub)
    assert NodeIntent.objects.count() == 0
    # Hakha invents a pay-out naming the citizen's ordinary cash-out hold: nothing is posted.
    from pyithu.finance.services import agents

    ordinary, _code = agents.start_cash_out(citizen, "MMK", 30_000, "ordinary")
    fake = {
        "id": str(new_id()),
        "created_at": NOW,
        "updated_at": NOW,
        "node_id": hakha.node_id,
        "kind": "cash_out",
        "code_digest": "f" * 64,
        "currency": "MMK",
        "amount": 30_000,
        "expires_at": "2099-01-01T00:00:00+00:00",
        "transfer_id": str(ordinary.pk),
    }
    invented = hakha.change("finance.nodepayout", fake)
    deliver(hub, hakha, [invented, intent(hakha, 1, "cash_out", 30_000, payout_id=fake["id"])])
    assert outcomes(hakha) == {1: "refused"}
    assert Transfer.objects.get(pk=ordinary.pk).state == "pending"


def test_a_code_reported_expired_unpaid_frees_the_held_money_once(
    hub: Identity, lashio: Remote, officer: User, citizen: User
) -> None:
    payout, _code = nodes.issue_node_cash_out(citizen, lashio.node_id, "MMK", 30_000, "co")
    assert wallet_for(citizen, "MMK").available == 70_000
    expired = intent(lashio, 1, "expired", 30_000, payout_id=str(payout.pk))
    deliver(hub, lashio, [expired])
    assert outcomes(lashio) == {1: "applied"}
    assert Transfer.objects.get(pk=payout.transfer_id).state == "voided"
    assert wallet_for(citizen, "MMK").available == 100_000
    # The same code used again by the node (a damaged node) is refused with its bundle.
    with pytest.raises(Exception, match="clashes"):
        import_bundle(lashio.bundle(hub, [pay_out(lashio, 2, payout)]), hub)
    assert outcomes(lashio) == {1: "applied"}
    assert wallet_for(citizen, "MMK").balance == 100_000
    assert ledger_problems() == []


# --- at the node -----------------------------------------------------------------------------


@pytest.fixture
def at_node(db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """This test database is a township node; a hub elsewhere sends it money set aside."""
    from pyithu.sync.exchange import claim_origin
    from pyithu.sync.tracking import forget_node_id

    ensure_currencies()
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")
    me = Identity.generate()
    claim_origin(me)
    forget_node_id()
    far_hub = Remote("Naypyitaw hub")
    register_peer(far_hub.identity.card, "Naypyitaw hub", role="hub")
    other = Remote("Hakha point")
    register_peer(other.identity.card, "Hakha point")
    agent = User.objects.create_user("agent-1", "pass phrase for agent 1")
    grant_role(agent, Role.AGENT, "finance")
    citizen = User.objects.create_user("daw-hla", "pass phrase for citizen 1")

    class Node:
        identity, hub, hakha = me, far_hub, other

        def send(self, origin: Remote, records: list[tuple[str, dict[str, Any]]]) -> None:
            changes = [
                origin.change(
                    label, {"id": str(new_id()), "created_at": NOW, "updated_at": NOW, **p}
                )
                for label, p in records
            ]
            import_bundle(origin.bundle(me, changes), me)

    node = Node()
    node.agent, node.citizen = agent, citizen
    return node


def allotment(node_id: str, amount: int) -> tuple[str, dict[str, Any]]:
    return (
        "finance.floatallotment",
        {"node_id": node_id, "currency": "MMK", "amount": amount, "transfer_id": str(new_id())},
    )


def payout(node_id: str, code: str, amount: int) -> tuple[str, dict[str, Any]]:
    return (
        "finance.nodepayout",
        {
            "node_id": node_id,
            "kind": "cash_out",
            "code_digest": nodes.code_digest(code),
            "currency": "MMK",
            "amount": amount,
            "expires_at": "2099-01-01T00:00:00+00:00",
            "transfer_id": str(new_id()),
        },
    )


def test_a_node_never_pays_in_past_its_float_and_says_so_in_burmese(at_node: Any) -> None:
    me = at_node.identity.node_id
    at_node.send(at_node.hub, [allotment(me, 30_000), payout(me, "abcd-efgh-jk", 25_000)])
    # Another node cannot widen this node's float: only what the hub made counts.
    at_node.send(at_node.hakha, [allotment(me, 1_000_000)])
    assert nodes.node_float("MMK").available == 30_000

    nodes.node_cash_in(at_node.agent, "daw-hla", "MMK", 20_000)
    with translation.override("my"), pytest.raises(nodes.NodeMoneyError) as refused:
        nodes.node_cash_in(at_node.agent, "daw-hla", "MMK", 15_000)
    message = str(refused.value.message)
    assert "10,000" in message or "၁၀,၀၀၀" in message
    assert any("\u1000" <= ch <= "\u109f" for ch in message)  # Burmese script
    assert NodeIntent.objects.count() == 1

    # A code the hub bound to this point brings its funds: the float grows by it.
    nodes.node_pay_out(at_node.agent, "ABCD EFGH JK")
    assert nodes.node_float("MMK").available == 35_000
    nodes.node_cash_in(at_node.agent, "daw-hla", "MMK", 15_000)
    with pytest.raises(nodes.NodeMoneyError, match="already paid"):
        nodes.node_pay_out(at_node.agent, "abcdefghjk")
    assert list(NodeIntent.objects.values_list("seq", "kind")) == [
        (1, "cash_in"),
        (2, "cash_out"),
        (3, "cash_in"),
    ]


def test_a_node_refuses_a_code_bound_to_another_point_or_unknown(at_node: Any) -> None:
    me = at_node.identity.node_id
    at_node.send(at_node.hub, [payout(at_node.hakha.node_id, "zzzz-yyyy-xx", 5_000)])
    with pytest.raises(nodes.NodeMoneyError, match="another township point"):
        nodes.node_pay_out(at_node.agent, "zzzzyyyyxx")
    with pytest.raises(nodes.NodeMoneyError, match="not known"):
        nodes.node_pay_out(at_node.agent, "qqqqqqqqqq")
    # A pay-out record made by another node is not trusted either.
    at_node.send(at_node.hakha, [payout(me, "mmmm-nnnn-pp", 5_000)])
    with pytest.raises(nodes.NodeMoneyError, match="not known"):
        nodes.node_pay_out(at_node.agent, "mmmmnnnnpp")
    assert NodeIntent.objects.count() == 0


def test_a_week_of_money_at_a_node_arrives_once_on_the_hub(network) -> None:  # noqa: F811
    """Separate processes, databases and key rings: hub and Lashio (test_sites.network)."""
    from tests.sync.money import money_settled, money_week

    hub_site, lashio_site, _hakha = network
    money_week(hub_site, lashio_site)
    assert lashio_site.send(hub_site).get("new")
    money_settled(hub_site, lashio_site)
    again = lashio_site.send(hub_site)  # the same week carried twice
    assert again.get("new") == 0
    money_settled(hub_site, lashio_site)
    hub_site.send(lashio_site)  # the outcomes travel back
    assert lashio_site("sql", query="SELECT count(*) FROM finance_intentoutcome") == [["9"]]


# --- the pages --------------------------------------------------------------------------------


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)


def test_a_citizen_takes_a_code_for_one_township_point_on_the_hub(
    hub: Identity, lashio: Remote, officer: User, citizen: User, client_my: Client
) -> None:
    client_my.force_login(citizen)
    page = client_my.get("/finance/cash-out/").content.decode()
    assert "Lashio point" in page
    data = {"currency": "MMK", "amount": "25000", "where": lashio.node_id, "key": key_of(page)}
    assert client_my.post("/finance/cash-out/", data).status_code == 302
    assert client_my.post("/finance/cash-out/", data).status_code == 302  # sent twice
    payout = NodePayout.objects.get()
    assert (payout.node_id, payout.amount) == (lashio.node_id, 25_000)
    assert wallet_for(citizen, "MMK").available == 75_000
    page = client_my.get("/finance/cash-out/").content.decode()
    assert "Lashio point" in page and 'name="cancel"' not in page  # bound: no cancelling
    code = re.search(r'class="codes" translate="no">([a-z0-9]+)<', page).group(1)
    assert payout.code_digest == nodes.code_digest(code)
    assert len(page.encode()) <= 14 * 1024


def test_the_agents_pages_at_a_node_work_without_javascript_in_burmese(
    at_node: Any, client_my: Client
) -> None:
    me = at_node.identity.node_id
    at_node.send(at_node.hub, [allotment(me, 30_000), payout(me, "abcd-efgh-jk", 25_000)])
    client_my.force_login(at_node.agent)
    home = client_my.get("/finance/point/")
    # The one script: the deferred service-worker registration, never needed (decision 0086)
    page = home.content.decode().replace(
        '<script src="/static/core/offline.js" defer></script>', ""
    )
    assert home.status_code == 200 and "<script" not in page
    assert "၃၀,၀၀၀" in home.content.decode() or "30,000" in home.content.decode()

    form = client_my.get("/finance/point/cash-in/").content.decode()
    data = {"customer": "daw-hla", "currency": "MMK", "amount": "40000", "key": key_of(form)}
    refused = client_my.post("/finance/point/cash-in/", data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "လည်ပတ်ငွေ မလုံလောက်ပါ" in body and 'value="daw-hla"' in body  # kept what was typed
    data["amount"] = "20000"
    assert client_my.post("/finance/point/cash-in/", data).status_code == 302
    assert client_my.post("/finance/point/cash-in/", data).status_code == 302  # sent twice
    assert NodeIntent.objects.count() == 1

    form = client_my.get("/finance/point/pay-out/").content.decode()
    paid = client_my.post("/finance/point/pay-out/", {"code": "abcdefghjk", "key": key_of(form)})
    assert paid.status_code == 302
    home = client_my.get("/finance/point/").content.decode()
    assert home.count("ချိတ်ဆက်မှု ပြန်ရလျှင် ပိုက်ဆံအိတ်သို့ ရောက်ပါမည်") == 2  # waiting
    assert len(home.encode()) <= 14 * 1024

    # The hub's answer arrives: the page says where each one stands.
    first, second = NodeIntent.objects.order_by("seq")
    outcome = {"status": "applied", "transfer_id": str(new_id()), "message": ""}
    refusal = {"status": "refused", "transfer_id": None, "message": "No such account."}
    at_node.send(
        at_node.hub,
        [
            ("finance.intentoutcome", {"intent_id": str(first.pk), **outcome}),
            ("finance.intentoutcome", {"intent_id": str(second.pk), **refusal}),
        ],
    )
    home = client_my.get("/finance/point/").content.decode()
    assert "ပိုက်ဆံအိတ်သို့ ရောက်ရှိပြီး" in home and "ထိုအကောင့် မရှိပါ" in home
    # The refused pay-out brought nothing in: the node no longer counts it.
    assert nodes.node_float("MMK").available == 30_000 - 20_000


def test_a_citizen_cannot_open_the_agents_pages(at_node: Any, client_my: Client) -> None:
    client_my.force_login(at_node.citizen)
    assert client_my.get("/finance/point/").status_code == 403


def test_an_officer_allots_and_retires_by_command(
    hub: Identity, lashio: Remote, officer: User
) -> None:
    out = io.StringIO()
    args = ["allot", lashio.node_id, "MMK", "50000", "--by", "bank-officer", "--key", "k1"]
    call_command("finance", *args, stdout=out)
    call_command("finance", *args, stdout=out)  # the same key allots once
    assert balance(nodes.float_account(lashio.node_id, "MMK").pk) == 50_000
    with pytest.raises(CommandError, match="officer"):
        call_command("finance", "allot", lashio.node_id, "MMK", "1", "--by", "nobody", "--key", "x")
    call_command("finance", "retire-node", lashio.node_id, "--by", "bank-officer", stdout=out)
    with pytest.raises(CommandError):
        call_command("finance", *args[:-1], "k2", stdout=out)
    assert ledger_problems() == []


def test_a_node_reports_codes_that_expired_unpaid_in_its_daily_run(
    at_node: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = at_node.identity.node_id
    late = payout(me, "late-late-la", 5_000)
    late[1]["expires_at"] = "2020-01-01T00:00:00+00:00"
    at_node.send(at_node.hub, [late, payout(me, "good-good-go", 7_000)])
    out = io.StringIO()
    call_command("finance", "daily", stdout=out)
    assert "1 expired code(s)" in out.getvalue()
    call_command("finance", "daily", stdout=io.StringIO())  # twice: reported once
    assert list(NodeIntent.objects.values_list("seq", "kind", "amount")) == [(1, "expired", 5_000)]
    assert nodes.node_float("MMK").available == 0  # an expired code brings nothing in
    with pytest.raises(nodes.NodeMoneyError, match="expired"):
        nodes.node_pay_out(at_node.agent, "latelatela")
    nodes.node_pay_out(at_node.agent, "goodgoodgo")
    assert nodes.node_float("MMK").available == 7_000


def test_an_officer_sets_a_float_aside_for_a_point_on_the_desk(
    hub: Identity, lashio: Remote, officer: User, client_my: Client
) -> None:
    client_my.force_login(officer)
    page = client_my.get("/finance/officer/points/").content.decode()
    assert "Lashio point" in page
    data = {"point": lashio.node_id, "currency": "MMK", "amount": "abc", "key": key_of(page)}
    refused = client_my.post("/finance/officer/points/", data)
    assert refused.status_code == 400 and 'value="abc"' in refused.content.decode()
    data["amount"] = "80000"
    assert client_my.post("/finance/officer/points/", data).status_code == 302
    assert client_my.post("/finance/officer/points/", data).status_code == 302  # sent twice
    assert balance(nodes.float_account(lashio.node_id, "MMK").pk) == 80_000
    assert "၈၀,၀၀၀" in client_my.get("/finance/officer/points/").content.decode() or (
        "80,000" in client_my.get("/finance/officer/points/").content.decode()
    )
    client_my.force_login(User.objects.create_user("not-officer", "pass phrase for citizen 2"))
    assert client_my.get("/finance/officer/points/").status_code == 403


def test_the_demo_binds_a_float_and_two_codes_to_a_registered_point_once(
    hub: Identity, lashio: Remote
) -> None:
    """A volunteer walks money during a shutdown from `pyithu demo` on the hub (docs/NODE.md)."""
    from pyithu.accounts import demo as accounts_demo
    from pyithu.finance import demo

    accounts_demo.load()
    lines = demo.load()
    assert any(f"township point Lashio point ({lashio.node_id})" in line for line in lines)
    shown = re.search(r"cash-out code (\w+), remittance code (\w+)", "\n".join(lines))
    assert shown, lines
    cash, remit = (NodePayout.objects.get(code_digest=nodes.code_digest(c)) for c in shown.groups())
    assert (cash.node_id, cash.kind, cash.amount) == (lashio.node_id, "cash_out", 30_000)
    assert (remit.node_id, remit.kind, remit.amount) == (lashio.node_id, "remittance", 15_000)
    held = Transfer.objects.filter(pk__in=[cash.transfer_id, remit.transfer_id])
    assert sorted(held.values_list("kind", "state")) == [
        ("cash_out", "pending"),
        ("remit_out", "pending"),
    ]
    float_account = nodes.float_account(lashio.node_id, "MMK").pk
    assert balance(float_account) == demo.POINT_FLOAT
    again = demo.load()  # `pyithu run` loads the demo at every start: nothing more is held
    assert "printed when they were made" in "\n".join(again)
    assert NodePayout.objects.count() == 2 and balance(float_account) == demo.POINT_FLOAT
    assert again[-1] == "finance: books balanced"


def test_the_demo_says_how_to_make_a_point_when_the_hub_has_none(hub: Identity) -> None:
    from pyithu.accounts import demo as accounts_demo
    from pyithu.finance import demo

    accounts_demo.load()
    lines = demo.load()
    assert any("no township point yet" in line and "node register" in line for line in lines)
    assert not NodePayout.objects.exists() and lines[-1] == "finance: books balanced"
