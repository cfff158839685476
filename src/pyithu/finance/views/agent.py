"""An agent's pages: float balances, today's operations and reconciliation, cash-in, and
completing a customer's cash-out with their one-time code."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.finance.forms import CodeForm, new_key
from pyithu.finance.models import AccountKind, Agent, LedgerAccount, Transfer
from pyithu.finance.services import agents
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.staff_forms import CashInForm
from pyithu.finance.views.common import agent_page, money, refuse


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
                summary = {"amount": money(done.amount, done.currency_id), "who": d["customer"]}
                messages.success(request, _("Paid %(amount)s into %(who)s's wallet.") % summary)
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
