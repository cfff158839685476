"""Cash agents: cash-in, cash-out by one-time code, remittance, limits, reconciliation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit, sealing
from pyithu.finance.models import (
    AccountKind,
    Agent,
    CodedKind,
    CodedTransfer,
    Entry,
    LedgerAccount,
    Transfer,
    TransferState,
)
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError, TransferRequest
from pyithu.finance.services.wallets import client_of, limit_check, wallet_for

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_TIMEOUT = timedelta(hours=24)
AGENT_KINDS = ["cash_in", "cash_out", "remit_out", "remit_in"]


def agent_for(user: Any) -> Agent:
    agent = Agent.objects.filter(user=user, is_active=True).first()
    if agent is None or not has_role(user, Role.AGENT, "finance"):
        raise LedgerError(_("Only an authorised agent can do this."))
    return agent


def float_for(agent: Agent, currency: str) -> LedgerAccount:
    found = LedgerAccount.objects.filter(
        owner=agent.user, currency_id=currency, kind=AccountKind.FLOAT
    ).first()
    return found or ledger.open_account(agent.user, currency, kind=AccountKind.FLOAT)


def register_agent(
    user: Any,
    daily_limit: int,
    by: Any,
    township: Any = None,
    country: str = "MM",
    commission_bps: int | None = None,
) -> Agent:
    """Authorise an agent or change its limit (and commission). The user must also hold the
    agent role to act."""
    if not has_role(by, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))
    defaults: dict[str, Any] = {"daily_limit": daily_limit, "country": country}
    if township is not None:
        defaults["township"] = township
    if commission_bps is not None:
        defaults["commission_bps"] = commission_bps
    agent, _created = Agent.objects.update_or_create(user=user, defaults=defaults)
    audit.record(
        by,
        "finance.register_agent",
        agent,
        summary=f"limit {daily_limit} {agent.commission_bps}bps",
    )
    return agent


def fund_float(agent: Agent, currency: str, amount: int, key: str, by: Any) -> Transfer:
    """An officer records cash the agent paid in to the bank: settlement -> agent float."""
    if not has_role(by, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))
    bank = ledger.system_account(AccountKind.SETTLEMENT, currency)
    request = TransferRequest(bank.pk, float_for(agent, currency).pk, amount, kind="float_in")
    transfer = ledger.transfer(client_of(by), key, request)
    audit.record(by, "finance.fund_float", transfer, summary=f"{amount} {currency}")
    return transfer


def _agent_limit(agent: Agent) -> ledger.Check:
    def check(debit: LedgerAccount, credit: LedgerAccount, request: TransferRequest) -> None:
        start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        mine = Q(debit_account__owner=agent.user) | Q(credit_account__owner=agent.user)
        used = (
            Transfer.objects.filter(
                mine,
                kind__in=AGENT_KINDS,
                created_at__gte=start,
                currency_id=request_currency(debit),
            )
            .exclude(state=TransferState.VOIDED)
            .aggregate(s=Sum("amount"))["s"]
            or 0
        )
        if used + request.amount > agent.daily_limit:
            raise LedgerError(_("This would pass the agent's daily limit."), field="amount")

    return check


def request_currency(account: LedgerAccount) -> str:
    return account.currency_id


def cash_in(agent_user: Any, customer: Any, currency: str, amount: int, key: str) -> Transfer:
    """The customer hands cash to the agent; the agent's float pays the customer's wallet."""
    agent = agent_for(agent_user)
    request = TransferRequest(
        float_for(agent, currency).pk, wallet_for(customer, currency).pk, amount, kind="cash_in"
    )
    transfer = ledger.transfer(client_of(agent_user), key, request, _agent_limit(agent))
    audit.record(agent_user, "finance.cash_in", transfer, summary=f"{amount} {currency}")
    return transfer


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _code_digest(code: str) -> str:
    return sealing.digest("finance-code", code.strip().lower().replace(" ", "").replace("-", ""))


def start_cash_out(customer: Any, currency: str, amount: int, key: str) -> tuple[Transfer, str]:
    """The customer reserves money for cash-out and gets a one-time code to show an agent
    (the code is returned once; a retry with the same key returns it as "").
    The money goes to the bank's cash-out clearing account until an agent completes it."""
    clearing = ledger.system_account(AccountKind.SETTLEMENT, currency, "cash-out")
    source = wallet_for(customer, currency)
    request = TransferRequest(
        source.pk, clearing.pk, amount, kind="cash_out", pending=True, timeout=CODE_TIMEOUT
    )
    code = _new_code()

    def run() -> tuple[Transfer, bool]:
        transfer = ledger.transfer(client_of(customer), key, request, limit_check(customer))
        _coded, created = CodedTransfer.objects.get_or_create(
            transfer=transfer,
            defaults={"kind": CodedKind.CASH_OUT, "code_digest": _code_digest(code)},
        )
        return transfer, created

    transfer, created = ledger.in_transaction(run)
    # A retried request gets the first transfer but no code: only its digest is kept.
    return transfer, code if created else ""


def cancel_cash_out(customer: Any, transfer_id: Any) -> Transfer:
    """The customer changes their mind before an agent completes it: the reservation ends."""
    coded = (
        CodedTransfer.objects.filter(transfer_id=transfer_id, kind=CodedKind.CASH_OUT)
        .select_related("transfer__debit_account")
        .first()
    )
    if coded is None or coded.transfer.debit_account.owner_id != customer.pk:
        raise LedgerError(_("No such cash-out."))
    return ledger.void_pending(coded.transfer_id)


def commission_account(currency: str) -> LedgerAccount:
    """The fee account agents' commissions are paid from (docs/decisions/0023): fee income net
    of commissions, so it may go below zero when commissions exceed the fees earned."""
    return ledger.system_account(AccountKind.FEE, currency, "commission", overdraft=True)


def complete_cash_out(agent_user: Any, code: str, key: str) -> Transfer:
    """The agent enters the customer's code, pays the cash, and is reimbursed with commission:
    the reservation posts to clearing; clearing pays the agent's float (counted against the
    agent's daily limit); the bank pays the commission from its commission fee account.
    A retry with the same key returns the first result."""
    agent = agent_for(agent_user)
    client = client_of(agent_user)

    def run() -> Transfer:
        coded = (
            CodedTransfer.objects.select_for_update()
            .filter(code_digest=_code_digest(code), kind=CodedKind.CASH_OUT)
            .select_related("transfer")
            .first()
        )
        done = Transfer.objects.filter(client=client, idempotency_key=f"{key}:pay").first()
        if (
            coded is not None
            and done is not None
            and coded.completed_by_id == agent.pk
            and done.amount == coded.transfer.amount
        ):
            return coded.transfer  # the agent's form was sent twice
        if coded is None or coded.transfer.state != TransferState.PENDING:
            raise LedgerError(_("This code is not valid or was already used."), field="code")
        pending = coded.transfer
        currency, amount = pending.currency_id, pending.amount
        commission = amount * agent.commission_bps // 10_000
        own = float_for(agent, currency)
        legs = [
            (f"{key}:pay", TransferRequest(pending.credit_account_id, own.pk, amount, "cash_out"))
        ]
        if commission:
            fee = commission_account(currency)
            legs.append(
                (f"{key}:commission", TransferRequest(fee.pk, own.pk, commission, "commission"))
            )
        transfer = ledger.post_pending(pending.pk)
        limit = _agent_limit(agent)
        # The limit counts the cash the agent pays out; the commission is the agent's income.
        # A refusal rolls back the posting above with everything else.
        ledger.transfer_batch(
            client, legs, lambda d, c, r: limit(d, c, r) if r.kind == "cash_out" else None
        )
        CodedTransfer.objects.filter(pk=coded.pk).update(completed_by=agent)
        audit.record(agent_user, "finance.cash_out", transfer, summary=f"{amount} {currency}")
        return transfer

    return ledger.in_transaction(run)


def send_remittance(
    agent_user: Any, to_agent: Agent, currency: str, amount: int, key: str
) -> tuple[Transfer, str]:
    """An agent abroad takes cash from a sender; its float is reserved towards the township
    agent, released when that agent pays the recipient who shows the code. The code is
    returned once; a retry with the same key returns the first transfer and "" (only the
    code's digest is kept)."""
    agent = agent_for(agent_user)
    request = TransferRequest(
        float_for(agent, currency).pk,
        float_for(to_agent, currency).pk,
        amount,
        kind="remit_out",
        pending=True,
        timeout=timedelta(days=7),
    )
    code = _new_code()

    def run() -> tuple[Transfer, bool]:
        transfer = ledger.transfer(client_of(agent_user), key, request, _agent_limit(agent))
        _coded, created = CodedTransfer.objects.get_or_create(
            transfer=transfer,
            defaults={"kind": CodedKind.REMITTANCE, "code_digest": _code_digest(code)},
        )
        return transfer, created

    transfer, created = ledger.in_transaction(run)
    if created:
        audit.record(agent_user, "finance.remit_send", transfer, summary=f"{amount} {currency}")
    return transfer, code if created else ""


def pay_out_remittance(agent_user: Any, code: str) -> Transfer:
    agent = agent_for(agent_user)

    def run() -> Transfer:
        coded = (
            CodedTransfer.objects.select_for_update()
            .filter(code_digest=_code_digest(code), kind=CodedKind.REMITTANCE)
            .select_related("transfer__credit_account")
            .first()
        )
        if (
            coded is None
            or coded.transfer.state != TransferState.PENDING
            or coded.transfer.credit_account.owner_id != agent_user.pk
        ):
            raise LedgerError(_("This code is not valid or was already used."), field="code")
        transfer = ledger.post_pending(coded.transfer_id)
        CodedTransfer.objects.filter(pk=coded.pk).update(completed_by=agent)
        return transfer

    transfer = ledger.in_transaction(run)
    audit.record(agent_user, "finance.remit_pay_out", transfer, summary=str(transfer.amount))
    return transfer


@dataclass
class Reconciliation:
    currency: str
    opening: int
    money_in: int
    money_out: int
    closing: int

    @property
    def balanced(self) -> bool:
        return self.opening + self.money_in - self.money_out == self.closing


def reconciliation(agent: Agent, day: date) -> list[Reconciliation]:
    """Per float account for one day: opening + in - out = closing, from the entries."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    out = []
    for account in LedgerAccount.objects.filter(owner=agent.user, kind=AccountKind.FLOAT):
        entries = Entry.objects.filter(account=account)
        before = entries.filter(at__lt=start).aggregate(s=Sum("amount"))["s"] or 0
        during = entries.filter(at__gte=start, at__lt=end)
        money_in = during.filter(amount__gt=0).aggregate(s=Sum("amount"))["s"] or 0
        money_out = -(during.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"] or 0)
        closing = entries.filter(at__lt=end).aggregate(s=Sum("amount"))["s"] or 0
        out.append(Reconciliation(account.currency_id, before, money_in, money_out, closing))
    return out
