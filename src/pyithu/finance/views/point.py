"""The agent's pages at a township node (decision 0026): the float the hub set aside, cash-in
and pay-out by code while the hub is unreachable, and each operation's state (waiting for the
hub, reached the wallet, refused). Plain forms; no JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.finance.forms import CodeForm, new_key
from pyithu.finance.forms.staff import CashInForm
from pyithu.finance.models import IntentOutcome
from pyithu.finance.services import nodes
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import money, refuse, with_handle


def _agent(request: HttpRequest) -> None:
    if not has_role(request.user, Role.AGENT, "finance"):
        raise PermissionDenied


def status_text(intent: object) -> str:
    """What the agent (and the customer, on the receipt) reads about one operation."""
    outcome = getattr(intent, "outcome", None)
    if outcome is None:
        return _("Recorded at the township; it will reach the wallet when the link returns.")
    if outcome.status == IntentOutcome.Status.APPLIED:
        return _("Reached the wallet on the hub.")
    # The hub keeps its reason in the source language; each reader gets their own.
    return _("Refused by the hub: %(why)s") % {"why": _(outcome.message)}


@login_required
@never_cache
def point_home(request: HttpRequest) -> HttpResponse:
    _agent(request)
    operations = [
        {
            "seq": i.seq,
            "kind": i.get_kind_display(),
            "amount": money(i.amount, i.currency),
            "status": status_text(i),
            "waiting": not hasattr(i, "outcome"),
        }
        for i in nodes.node_operations()
    ]
    floats = [(f.currency, money(f.available, f.currency)) for f in nodes.node_floats()]
    context = {"floats": floats, "operations": operations}
    return render(request, "finance/point_home.html", context)


@login_required
@never_cache
def point_cash_in(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form, status = CashInForm(initial={"key": new_key(), "currency": "MMK"}), 200
    if request.method == "POST":
        form, status = CashInForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                done = nodes.node_cash_in(
                    request.user, d["customer"].handle, d["currency"], d["minor"], d["key"]
                )
            except LedgerError as exc:
                refuse(form, exc)
            else:
                message = _(
                    "Recorded %(amount)s for %(who)s: it will reach the wallet when the link "
                    "returns."
                )
                amount = money(done.amount, done.currency)
                messages.success(request, with_handle(message, d["customer"].handle, amount=amount))
                return redirect("finance:point_home")
    context = {"form": form, "title": _("Cash in"), "button": _("Take the cash")}
    return render(request, "finance/point_form.html", context, status=status)


@login_required
@never_cache
def point_pay_out(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form, status = CodeForm(initial={"key": new_key()}), 200
    if request.method == "POST":
        form, status = CodeForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                done = nodes.node_pay_out(request.user, d["code"], d["key"])
            except LedgerError as exc:
                refuse(form, exc)
            else:
                summary = {"amount": money(done.amount, done.currency)}
                messages.success(request, _("Pay the customer %(amount)s in cash.") % summary)
                return redirect("finance:point_home")
    context = {"form": form, "title": _("Pay out by code"), "button": _("Pay out")}
    return render(request, "finance/point_form.html", context, status=status)
