"""Bank officers' pages: the books, exchange rates and the gold price, customers' tiers,
agents' limits and floats. Every action is checked again and audited in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pyithu.core import site
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.forms import new_key
from pyithu.finance.forms.staff import (
    AgentForm,
    AllotForm,
    FundFloatForm,
    GoldPriceForm,
    RateForm,
    TierForm,
)
from pyithu.finance.labels import currency_name
from pyithu.finance.models import (
    AccountKind,
    Agent,
    ExchangeRate,
    LedgerAccount,
    NodeMoneyState,
    Tier,
)
from pyithu.finance.money import format_amount
from pyithu.finance.services import agents, nodes, wallets
from pyithu.finance.services.checks import ledger_problems, ledger_summary
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import money, officer_page, percent, refuse
from pyithu.geo.selectors import country_name


@officer_page
def books(request: HttpRequest) -> HttpResponse:
    """The officer's view of the books: `ledger check` and totals per currency."""
    totals = [
        {
            "currency": row["currency_id"],
            "accounts": row["accounts"],
            "customers": format_amount(row["customers"], exponent_of(row["currency_id"])),
            "reserved": format_amount(row["reserved"], exponent_of(row["currency_id"])),
            "total": format_amount(row["total"], exponent_of(row["currency_id"])),
        }
        for row in ledger_summary()
    ]
    context = {"problems": ledger_problems(), "totals": totals}
    return render(request, "finance/books.html", context)


def _posted(request: HttpRequest, form: Any, act: Any, done: str, to: str) -> HttpResponse | None:
    """Validate, call the service, and redirect with a message; None means show the form."""
    if not form.is_valid():
        return None
    try:
        act(form.cleaned_data)
    except LedgerError as exc:
        refuse(form, exc)
        return None
    messages.success(request, done)
    return redirect(to)


@officer_page
def rates(request: HttpRequest) -> HttpResponse:
    rate_form, gold_form, status = RateForm(), GoldPriceForm(), 200
    if request.method == "POST":
        status = 400
        if "gold" in request.POST:
            gold_form = GoldPriceForm(request.POST)
            answer = _posted(
                request,
                gold_form,
                lambda d: wallets.set_rate(
                    "XAU", "MMK", d["per_gram"], d["spread_bps"], request.user
                ),
                _("The gold price is set."),
                "finance:officer_rates",
            )
        else:
            rate_form = RateForm(request.POST)
            answer = _posted(
                request,
                rate_form,
                lambda d: wallets.set_rate(
                    d["base"], d["quote"], d["rate"], d["spread_bps"], request.user
                ),
                _("The rate is set."),
                "finance:officer_rates",
            )
        if answer is not None:
            return answer
    current = []
    for base in CODES:
        for quote in CODES:
            row = ExchangeRate.objects.filter(base_id=base, quote_id=quote).first()
            if row is not None:
                current.append(row)
    context = {"rate_form": rate_form, "gold_form": gold_form, "current": current}
    return render(request, "finance/officer_rates.html", context, status=status)


@officer_page
def customers(request: HttpRequest) -> HttpResponse:
    form, status = TierForm(), 200
    if request.method == "POST":
        form, status = TierForm(request.POST), 400
        answer = _posted(
            request,
            form,
            lambda d: wallets.set_tier(d["customer"], d["tier"], by=request.user),
            _("The customer's tier is changed."),
            "finance:officer_customers",
        )
        if answer is not None:
            return answer
    limits = [
        (
            Tier(tier).label,
            currency_name(currency),
            money(per * 10 ** exponent_of(currency), currency),
            money(daily * 10 ** exponent_of(currency), currency),
        )
        for tier, by_currency in wallets.LIMITS.items()
        for currency, (per, daily) in by_currency.items()
    ]
    context = {"form": form, "limits": limits}
    return render(request, "finance/officer_customers.html", context, status=status)


@officer_page
def agent_list(request: HttpRequest) -> HttpResponse:
    agent_form = AgentForm()
    float_form = FundFloatForm(initial={"key": new_key(), "currency": "MMK"})
    status = 200
    if request.method == "POST":
        status = 400
        if "fund" in request.POST:
            float_form = FundFloatForm(request.POST)
            answer = _posted(
                request,
                float_form,
                lambda d: _fund(d, request.user),
                _("The float is funded."),
                "finance:officer_agents",
            )
        else:
            agent_form = AgentForm(request.POST)
            answer = _posted(
                request,
                agent_form,
                lambda d: agents.register_agent(
                    d["agent"],
                    d["daily_limit"],
                    by=request.user,
                    commission_bps=d["commission_bps"],
                ),
                _("The agent's limits are saved."),
                "finance:officer_agents",
            )
        if answer is not None:
            return answer
    rows = []
    for agent in Agent.objects.select_related("user", "township").order_by("created_at"):
        floats = LedgerAccount.objects.filter(owner=agent.user, kind=AccountKind.FLOAT)
        rows.append(
            {
                "agent": agent,
                "limit": money(agent.daily_limit, "MMK"),
                "commission": percent(agent.commission_bps),
                "country": country_name(agent.country),
                "floats": ", ".join(money(a.balance, a.currency_id) for a in floats),
            }
        )
    context = {"agent_form": agent_form, "float_form": float_form, "rows": rows}
    return render(request, "finance/officer_agents.html", context, status=status)


def _fund(d: dict[str, Any], by: Any) -> None:
    agent = Agent.objects.filter(user=d["agent"]).first()
    if agent is None:
        raise LedgerError(_("This person is not an agent."), field="agent")
    agents.fund_float(agent, d["currency"], d["minor"], d["key"], by=by)


@officer_page
def points(request: HttpRequest) -> HttpResponse:
    """Township points (decision 0026): each one's float on the hub, how far its operations
    have been applied, and a form to set money aside for it before a shutdown."""
    known = site.points()
    form, status = AllotForm(initial={"key": new_key(), "currency": "MMK"}, points=known), 200
    if request.method == "POST":
        form, status = AllotForm(request.POST, points=known), 400
        answer = _posted(
            request,
            form,
            lambda d: nodes.allot_float(
                request.user, d["point"], d["currency"], d["minor"], d["key"]
            ),
            _("The float is set aside; the next bundle takes it to the township point."),
            "finance:officer_points",
        )
        if answer is not None:
            return answer
    states = {s.node_id: s for s in NodeMoneyState.objects.filter(node_id__in=dict(known))}
    rows = []
    for node_id, name in known:
        floats = LedgerAccount.objects.filter(
            owner=None, kind=AccountKind.FLOAT, label=f"node:{node_id}"[:64]
        )
        state = states.get(node_id)
        rows.append(
            {
                "name": name,
                "floats": ", ".join(money(a.balance, a.currency_id) for a in floats) or "-",
                "applied": state.applied_seq if state else 0,
                "retired": bool(state and state.retired_at),
            }
        )
    context = {"rows": rows, "form": form}
    return render(request, "finance/officer_points.html", context, status=status)
