"""Money at a township node while the hub is unreachable (decision 0026).

On the hub: an officer allots a float to a node (a ledger transfer into the node's float
account, so the money exists once); a customer's cash-out code or a remittance is *bound to one
node* with its funds held (a pending transfer into that float account). When the node's
intents arrive, each is applied once, in the node's own order, as a normal ledger transfer out
of or into that float account, and answered by an ``IntentOutcome``.

On a node: the agent spends only what the hub set aside for this node. A cash-in takes from the
node's float (never below zero); a pay-out needs a code the hub bound to this node, used once.
Each operation is a ``NodeIntent`` numbered per node, waiting for the hub.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import has_role
from pyithu.core import audit, sealing, site
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.models import (
    AccountKind,
    FloatAllotment,
    IntentKind,
    IntentOutcome,
    LedgerAccount,
    NodeIntent,
    NodeMoneyState,
    NodePayout,
    PayoutKind,
    Transfer,
    TransferState,
)
from pyithu.finance.money import format_amount
from pyithu.finance.services import ledger
from pyithu.finance.services.agents import CODE_ALPHABET, agent_for, float_for
from pyithu.finance.services.ledger import LedgerError, TransferRequest
from pyithu.finance.services.wallets import client_of, limit_check, require_officer, wallet_for

CODE_VALID = timedelta(days=14)


class NodeMoneyError(LedgerError):
    code = "node_money"


# --- the hub ------------------------------------------------------------------------------------


def float_account(node_id: str, currency: str) -> LedgerAccount:
    """The hub's float account for one node and currency (an agent float: never below zero)."""
    return ledger.system_account(AccountKind.FLOAT, currency, f"node:{node_id}"[:64])


def _state(node_id: str, *, lock: bool = False) -> NodeMoneyState:
    state, _new = NodeMoneyState.objects.get_or_create(node_id=node_id)
    if lock:
        state = NodeMoneyState.objects.select_for_update().get(pk=state.pk)
    return state


def _open_node(node_id: str) -> None:
    if not node_id or len(node_id) > 64:
        raise NodeMoneyError(_("Unknown township point."), field="node")
    if _state(node_id).retired_at is not None:
        raise NodeMoneyError(
            _("This township point was retired; a re-installed point gets a new float."),
            field="node",
        )


def _currency(currency: str) -> str:
    if currency not in CODES:
        raise NodeMoneyError(_("Unknown currency."), field="currency")
    return currency


def _hub_only() -> None:
    if not site.is_hub():
        raise NodeMoneyError(_("Only the hub can do this."))


def allot_float(by: Any, node_id: str, currency: str, amount: int, key: str) -> FloatAllotment:
    """Move money from the bank into a node's float before a shutdown; the allotment record
    travels to the node, which may then spend up to it. Idempotent by ``key``."""
    _hub_only()
    require_officer(by)
    _open_node(node_id)
    bank = ledger.system_account(AccountKind.SETTLEMENT, _currency(currency))
    request = TransferRequest(bank.pk, float_account(node_id, currency).pk, amount, kind="float_in")

    def run() -> FloatAllotment:
        moved = ledger.transfer(client_of(by), key, request)
        allotment, _new = FloatAllotment.objects.get_or_create(
            transfer_id=moved.pk,
            defaults={"node_id": node_id, "currency": currency, "amount": amount},
        )
        return allotment

    allotment = ledger.in_transaction(run)
    audit.record(by, "finance.allot_node_float", allotment, summary=f"{amount} {currency}")
    return allotment


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def code_digest(code: str) -> str:
    """Keyed by the federation's shared lookup key, so the node finds what the hub issued."""
    return sealing.digest("node-payout", code.strip().lower().replace(" ", "").replace("-", ""))


def _bind(kind: str, node_id: str, transfer: Transfer, code: str) -> tuple[NodePayout, bool]:
    return NodePayout.objects.get_or_create(
        transfer_id=transfer.pk,
        defaults={
            "node_id": node_id,
            "kind": kind,
            "code_digest": code_digest(code),
            "currency": transfer.currency_id,
            "amount": transfer.amount,
            "expires_at": timezone.now() + CODE_VALID,
        },
    )


def issue_node_cash_out(
    customer: Any, node_id: str, currency: str, amount: int, key: str
) -> tuple[NodePayout, str]:
    """A customer takes cash at one township point: the money is held from the wallet now
    (it cannot be spent anywhere else) and the code works at that point only. The code is
    returned once; a retry with the same key returns the payout and ""."""
    _hub_only()
    _open_node(node_id)
    request = TransferRequest(
        wallet_for(customer, _currency(currency)).pk,
        float_account(node_id, currency).pk,
        amount,
        kind="cash_out",
        pending=True,
    )
    code = _new_code()

    def run() -> tuple[NodePayout, bool]:
        held = ledger.transfer(client_of(customer), key, request, limit_check(customer))
        return _bind(PayoutKind.CASH_OUT, node_id, held, code)

    payout, created = ledger.in_transaction(run)
    return payout, code if created else ""


def send_remittance_to_node(
    agent_user: Any, node_id: str, currency: str, amount: int, key: str
) -> tuple[NodePayout, str]:
    """An agent abroad sends money to be paid out at one township point: the sender's float
    is held towards that point's float; the recipient shows the code there."""
    _hub_only()
    _open_node(node_id)
    agent = agent_for(agent_user)
    request = TransferRequest(
        float_for(agent, _currency(currency)).pk,
        float_account(node_id, currency).pk,
        amount,
        kind="remit_out",
        pending=True,
    )
    code = _new_code()

    def run() -> tuple[NodePayout, bool]:
        held = ledger.transfer(client_of(agent_user), key, request)
        return _bind(PayoutKind.REMITTANCE, node_id, held, code)

    payout, created = ledger.in_transaction(run)
    if created:
        audit.record(agent_user, "finance.remit_to_node", payout, summary=f"{amount} {currency}")
    return payout, code if created else ""


def on_arrival(sender: Any, pks: list[Any], using: str = "default", **_kw: Any) -> None:
    """``core.changes.records_arrived``: on the hub, apply the intents that arrived."""
    if sender is not NodeIntent or not site.is_hub():
        return
    nodes = set(
        NodeIntent.objects.using(using).filter(pk__in=pks).values_list("node_id", flat=True)
    )
    for node_id in sorted(nodes):
        apply_waiting(node_id)


def apply_waiting(node_id: str) -> int:
    """Apply this node's intents in sequence from the first not yet applied; stop at a gap
    (the missing one is still on its way). Returns how many were applied."""
    with transaction.atomic():
        state = _state(node_id, lock=True)
        done = 0
        while True:
            intent = NodeIntent.objects.filter(node_id=node_id, seq=state.applied_seq + 1).first()
            if intent is None:
                break
            _apply(intent, retired=state.retired_at is not None)
            state.applied_seq += 1
            done += 1
        if done:
            state.save(update_fields=["applied_seq", "updated_at"])
    return done


def _apply(intent: NodeIntent, *, retired: bool) -> IntentOutcome:
    found = IntentOutcome.objects.filter(intent=intent).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            moved = _move(intent, retired=retired)
        outcome = IntentOutcome(
            intent=intent, status=IntentOutcome.Status.APPLIED, transfer_id=moved.pk
        )
    except LedgerError as exc:
        # Kept in the source language; the node's page translates it for its reader.
        with translation.override("en"):
            message = str(exc.message)[:200]
        outcome = IntentOutcome(intent=intent, status=IntentOutcome.Status.REFUSED, message=message)
    outcome.save()
    return outcome


def _move(intent: NodeIntent, *, retired: bool) -> Transfer:
    client, key = f"node:{intent.node_id}"[:80], str(intent.pk)
    _currency(intent.currency)
    if intent.kind == IntentKind.CASH_IN:
        if retired:
            raise NodeMoneyError(_("This township point was retired."))
        holder = User.objects.filter(pk=_uuid(intent.holder)).first()
        if holder is None:
            raise NodeMoneyError(_("No such account."))
        request = TransferRequest(
            float_account(intent.node_id, intent.currency).pk,
            wallet_for(holder, intent.currency).pk,
            intent.amount,
            kind="cash_in",
        )
        return ledger.transfer(client, key, request)
    payout = intent.payout
    expired = intent.kind == IntentKind.EXPIRED
    if (
        payout is None
        or payout.node_id != intent.node_id
        or (payout.kind != intent.kind and not expired)
        or (payout.amount, payout.currency) != (intent.amount, intent.currency)
    ):
        raise NodeMoneyError(_("This code was not issued for this township point."))
    held = Transfer.objects.filter(pk=payout.transfer_id).first()
    # Only a hold the hub made, into this node's float, may be posted (never a record a node
    # sent that names some other pending transfer).
    if (
        held is None
        or not site.made_by_hub(NodePayout, [payout.pk])
        or held.credit_account_id != float_account(intent.node_id, intent.currency).pk
        or held.amount != payout.amount
    ):
        raise NodeMoneyError(_("This code was not issued for this township point."))
    if expired:
        # The node reports the code unpaid past its expiry: the held money is free again.
        if held.state == TransferState.PENDING:
            return ledger.void_pending(held.pk)
        raise NodeMoneyError(_("This code was already settled on the hub."))
    if held.state == TransferState.PENDING:
        return ledger.post_pending(held.pk)
    if held.state == TransferState.POSTED:
        return held  # settled when the point was retired (0026): counted once
    raise NodeMoneyError(_("This code was cancelled on the hub."))


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def retire_node(by: Any, node_id: str) -> int:
    """A node was wiped or lost: it gets no new money; its codes not yet reported used are
    settled into its float as paid (the cash may have been handed over; the cash-box count
    settles the rest, 0026). Returns how many holds were settled."""
    _hub_only()
    require_officer(by)
    with transaction.atomic():
        state = _state(node_id, lock=True)
        if state.retired_at is None:
            state.retired_at = timezone.now()
            state.save(update_fields=["retired_at", "updated_at"])
        held = Transfer.objects.filter(
            pk__in=NodePayout.objects.filter(node_id=node_id).values("transfer_id"),
            state=TransferState.PENDING,
        )
        settled = 0
        for transfer_id in held.values_list("pk", flat=True):
            ledger.post_pending(transfer_id)
            settled += 1
        audit.record(by, "finance.retire_node", state, summary=f"{settled} hold(s) settled")
    return settled


# --- the node -----------------------------------------------------------------------------------


@dataclass
class FloatView:
    currency: str
    allotted: int
    cash_in: int
    paid_out: int

    @property
    def available(self) -> int:
        return self.allotted - self.cash_in + self.paid_out


def _sum(queryset: Any) -> int:
    return int(queryset.aggregate(s=Sum("amount"))["s"] or 0)


def node_float(currency: str, node_id: str | None = None) -> FloatView:
    """What this node may still pay into wallets in one currency: the hub's allotments, less
    cash-ins, plus what pay-outs brought in (their funds are held on the hub)."""
    me = node_id if node_id is not None else site.node_id()
    allotments = FloatAllotment.objects.filter(node_id=me, currency=currency)
    trusted = site.made_by_hub(FloatAllotment, list(allotments.values_list("pk", flat=True)))
    mine = NodeIntent.objects.filter(node_id=me, currency=currency)
    return FloatView(
        currency,
        _sum(allotments.filter(pk__in=[_uuid(t) for t in trusted])),
        _sum(mine.filter(kind=IntentKind.CASH_IN)),
        # A pay-out the hub refused brought nothing in; a refused cash-in still counts (the
        # cash was taken and is owed), so the node never believes it holds more than the hub.
        _sum(
            mine.exclude(kind__in=[IntentKind.CASH_IN, IntentKind.EXPIRED]).exclude(
                outcome__status=IntentOutcome.Status.REFUSED
            )
        ),
    )


def node_floats() -> list[FloatView]:
    me = site.node_id()
    used = set(FloatAllotment.objects.filter(node_id=me).values_list("currency", flat=True))
    return [node_float(code, me) for code in CODES if code in used]


def _node_agent(agent_user: Any) -> str:
    if site.is_hub():
        raise NodeMoneyError(_("This page is for a township point; on the hub use the agent desk."))
    if not has_role(agent_user, Role.AGENT, "finance"):
        raise NodeMoneyError(_("Only an authorised agent can do this."))
    me = site.node_id()
    if not me:
        raise NodeMoneyError(_("This township point has no identity yet (run node init)."))
    return me


def intent_id(me: str, key: str) -> uuid.UUID:
    """A form sent twice (same request key) names the same operation."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pyithu:node-intent:{me}:{key}")


def _record(me: str, agent_user: Any, key: str, **fields: Any) -> NodeIntent:
    """Append the next intent of this node (its sequence taken under this node's lock row)."""
    state = _state(me, lock=True)
    pk = intent_id(me, key) if key else uuid.uuid4()
    found = NodeIntent.objects.filter(pk=pk).first()
    if found is not None:
        return found
    last = NodeIntent.objects.filter(node_id=me).order_by("-seq").values_list("seq", flat=True)
    seq = max(state.applied_seq, last.first() or 0) + 1
    intent = NodeIntent.objects.create(
        id=pk, node_id=me, seq=seq, agent_handle=getattr(agent_user, "handle", ""), **fields
    )
    audit.record(agent_user, f"finance.node_{intent.kind}", intent, summary=str(seq))
    return intent


def node_cash_in(
    agent_user: Any, handle: str, currency: str, amount: int, key: str = ""
) -> NodeIntent:
    """The customer hands cash to the agent at the node; their wallet is credited when the
    intent reaches the hub. Refused when the node's float would go below zero."""
    me = _node_agent(agent_user)
    _currency(currency)
    if amount <= 0:
        raise NodeMoneyError(_("Enter an amount above zero."), field="amount")
    holder = User.objects.filter(handle=(handle or "").strip().lower(), is_active=True).first()
    if holder is None:
        raise NodeMoneyError(_("No account with this handle is known here."), field="handle")
    with transaction.atomic():
        _state(me, lock=True)
        if key and NodeIntent.objects.filter(pk=intent_id(me, key)).exists():
            return NodeIntent.objects.get(pk=intent_id(me, key))  # the form was sent twice
        available = node_float(currency, me).available
        if amount > available:
            raise NodeMoneyError(
                _(
                    "This township point's float is too small: at most %(left)s can be paid in "
                    "until the hub sends more."
                )
                % {"left": f"{format_amount(available, exponent_of(currency))} {currency}"},
                field="amount",
            )
        return _record(
            me,
            agent_user,
            key,
            kind=IntentKind.CASH_IN,
            currency=currency,
            amount=amount,
            holder=str(holder.pk),
        )


def node_pay_out(
    agent_user: Any, code: str, key: str = "", now: datetime | None = None
) -> NodeIntent:
    """The agent pays cash against a code the hub bound to this node (cash-out or remittance);
    each code once. The funds are held on the hub, so nothing is spent twice."""
    me = _node_agent(agent_user)
    now = now or timezone.now()
    with transaction.atomic():
        _state(me, lock=True)
        if key and NodeIntent.objects.filter(pk=intent_id(me, key)).exists():
            return NodeIntent.objects.get(pk=intent_id(me, key))  # the form was sent twice
        payout = NodePayout.objects.filter(code_digest=code_digest(code)).first()
        if payout is None or not site.made_by_hub(NodePayout, [payout.pk]):
            raise NodeMoneyError(_("This code is not known at this township point."), field="code")
        if payout.node_id != me:
            raise NodeMoneyError(
                _("This code was issued for another township point; it can be paid only there."),
                field="code",
            )
        used = NodeIntent.objects.filter(payout=payout).values_list("kind", flat=True).first()
        if used == IntentKind.EXPIRED or payout.expires_at < now:
            raise NodeMoneyError(_("This code has expired."), field="code")
        if used is not None:
            raise NodeMoneyError(_("This code was already paid out."), field="code")
        if payout.expires_at < now:
            raise NodeMoneyError(_("This code has expired."), field="code")
        return _record(
            me,
            agent_user,
            key,
            kind=payout.kind,
            currency=payout.currency,
            amount=payout.amount,
            payout=payout,
        )


def release_expired(now: datetime | None = None) -> int:
    """On a node: report each code bound here that expired unpaid, so the hub frees its held
    money (run by ``pyithu finance daily``). Returns how many were reported."""
    if site.is_hub():
        return 0
    me = site.node_id()
    if not me:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        _state(me, lock=True)
        used = NodeIntent.objects.filter(node_id=me, payout__isnull=False).values("payout_id")
        due = NodePayout.objects.filter(node_id=me, expires_at__lt=now).exclude(pk__in=used)
        trusted = set(site.made_by_hub(NodePayout, list(due.values_list("pk", flat=True))))
        count = 0
        for payout in due.order_by("expires_at", "pk"):
            if str(payout.pk) not in trusted:
                continue
            _record(
                me,
                None,
                f"expired:{payout.pk}",
                kind=IntentKind.EXPIRED,
                currency=payout.currency,
                amount=payout.amount,
                payout=payout,
            )
            count += 1
    return count


def node_operations(limit: int = 50) -> list[NodeIntent]:
    """This node's latest operations, each with its outcome when the hub's answer came."""
    me = site.node_id()
    return list(
        NodeIntent.objects.filter(node_id=me).select_related("outcome").order_by("-seq")[:limit]
    )
