"""An agent's pages: float balances, today's operations and reconciliation, cash-in,
completing a customer's cash-out with their one-time code, and remittances: an agent abroad
sends to an agent in a township, who pays the recipient showing the code."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.finance.forms import CodeForm, new_key
from pyithu.finance.forms.staff import CashInForm, PayOutForm, RemitForm
from pyithu.finance.models import AccountKind, Agent, LedgerAccount, Transfer, TransferState
from pyithu.finance.services import agents
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import agent_page, money, percent, refuse, with_handle


@agent_page
def agent_home(request: HttpRequest, agent: Agent) -> HttpResponse:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    floats = LedgerAccount.objects.filter(owner=agent.user, kind=AccountKind.FLOAT)
    mine = Q(debit_account__owner=agent.user) | Q(credit_account__owner=agent.user)
    operations = (
        Transfer.objects.filter(mine, created_at__date=day)
        .exclude(kind="float_in")
        .order_by("-created_at")[:100]
    )
    report = [
        {
            "currency": r.currency,
            "opening": money(r.opening, r.currency),
            "in": money(r.money_in, r.currency),
            "out": money(r.money_out, r.currency),
            "closing": money(r.closing, r.currency),
            "balanced": r.balanced,
        }
        for r in agents.reconciliation(agent, day)
    ]
    context = {
        "agent": agent,
        "day": day,
        "limit": money(agent.daily_limit, "MMK"),
        "commission": percent(agent.commission_bps),
        "floats": [(a.currency_id, money(a.balance, a.currency_id)) for a in floats],
        "operations": [
            (t.created_at, t.kind, money(t.amount, t.currency_id), t.get_state_display())
            for t in operations
        ],
        "report": report,
    }
    return render(request, "finance/agent_home.html", context)


@agent_page
def agent_cash_in(request: HttpRequest, agent: Agent) -> HttpResponse:
    """The customer hands over cash; the agent's float pays their wallet."""
    form, status = CashInForm(initial={"key": new_key(), "currency": "MMK"}), 200
    if request.method == "POST":
        form, status = CashInForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                done = agents.cash_in(
                    request.user, d["customer"], d["currency"], d["minor"], d["key"]
                )
            except LedgerError as exc:
                refuse(form, exc)
            else:
                message = _("Paid %(amount)s into %(who)s's wallet.")
                amount = money(done.amount, done.currency_id)
                messages.success(request, with_handle(message, d["customer"].handle, amount=amount))
                return redirect("finance:agent_home")
    title = _("Cash in")
    context = {"form": form, "title": title, "button": _("Pay into the wallet")}
    return render(request, "finance/agent_form.html", context, status=status)


@agent_page
def agent_cash_out(request: HttpRequest, agent: Agent) -> HttpResponse:
    """The customer shows their code; the agent pays the cash shown here, then confirms."""
    form, status = CodeForm(initial={"key": new_key()}), 200
    if request.method == "POST":
        form, status = CodeForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                done = agents.complete_cash_out(request.user, d["code"], d["key"])
            except LedgerError as exc:
                refuse(form, exc)
            else:
                summary = {"amount": money(done.amount, done.currency_id)}
                messages.success(
                    request, _("Cash-out done: pay the customer %(amount)s.") % summary
                )
                return redirect("finance:agent_home")
    title = _("Complete a cash-out")
    context = {"form": form, "title": title, "button": _("Complete the cash-out")}
    return render(request, "finance/agent_form.html", context, status=status)


REMIT_CODES = "finance_remit_codes"
PAID_OUT = "finance_remit_paid"


def _remittances(**where: object) -> list[dict[str, object]]:
    found = (
        Transfer.objects.filter(kind="remit_out", state=TransferState.PENDING, **where)
        .select_related("debit_account__owner", "credit_account__owner")
        .order_by("-created_at")[:50]
    )
    return [
        {
            "id": str(t.pk),
            "at": t.created_at,
            "from": t.debit_account.owner.handle,
            "to": t.credit_account.owner.handle,
            "amount": money(t.amount, t.currency_id),
            "until": t.timeout_at,
        }
        for t in found
    ]


@agent_page
def agent_remit(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Take cash from a sender and send it to an agent in a township: the float is reserved
    and the sender gets a one-time code for the recipient (shown once, on this page)."""
    codes: dict[str, str] = request.session.get(REMIT_CODES, {})
    form, status = RemitForm(initial={"key": new_key(), "currency": "MMK"}), 200
    if request.method == "POST":
        form, status = RemitForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            to = Agent.objects.filter(user=d["to_agent"], is_active=True).first()
            try:
                if to is None:
                    raise LedgerError(_("This person is not an agent."), field="to_agent")
                if to.pk == agent.pk:
                    raise LedgerError(_("Choose another agent."), field="to_agent")
                done, code = agents.send_remittance(
                    request.user, to, d["currency"], d["minor"], d["key"]
                )
            except LedgerError as exc:
                refuse(form, exc)
            else:
                if code:
                    codes[str(done.pk)] = code
                    request.session[REMIT_CODES] = codes
                return redirect("finance:agent_remit")
    sent = _remittances(debit_account__owner=agent.user)
    live = {r["id"] for r in sent}
    if set(codes) - live:  # forget codes of remittances that are paid out or expired
        request.session[REMIT_CODES] = {k: v for k, v in codes.items() if k in live}
    for row in sent:
        row["code"] = codes.get(str(row["id"]), "")
    context = {"form": form, "sent": sent}
    return render(request, "finance/agent_remit.html", context, status=status)


@agent_page
def agent_remit_pay(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Remittances waiting here; the recipient shows the code, the agent pays the cash."""
    paid: dict[str, str] = request.session.get(PAID_OUT, {})
    form, status = PayOutForm(initial={"key": new_key()}), 200
    if request.method == "POST":
        form, status = PayOutForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            if d["key"] in paid:  # this form was sent twice: it was paid the first time
                return redirect("finance:agent_remit_pay")
            try:
                done = agents.pay_out_remittance(request.user, d["code"])
            except LedgerError as exc:
                refuse(form, exc)
            else:
                paid[d["key"]] = str(done.pk)
                request.session[PAID_OUT] = dict(list(paid.items())[-20:])
                summary = {"amount": money(done.amount, done.currency_id)}
                messages.success(
                    request, _("Remittance released: pay the recipient %(amount)s.") % summary
                )
                return redirect("finance:agent_remit_pay")
    context = {"form": form, "waiting": _remittances(credit_account__owner=agent.user)}
    return render(request, "finance/agent_remit_pay.html", context, status=status)
