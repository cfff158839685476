"""Citizen products: cash-out by one-time code, currency exchange, gold, fixed deposits.

Every money form carries a hidden request key made when the form is first shown, so sending
it twice moves money once; a refusal keeps what was typed and answers 400.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from pyithu.core import site
from pyithu.core.pages import citizen_page
from pyithu.finance import selectors
from pyithu.finance.forms import CashOutForm, DepositForm, ExchangeForm, GoldForm, new_key
from pyithu.finance.labels import currency_name
from pyithu.finance.models import DepositState, FixedDeposit
from pyithu.finance.money import format_amount
from pyithu.finance.services import agents, deposits, nodes, wallets
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import money, refuse

CASH_OUT_CODES = "finance_cash_out_codes"


@citizen_page
@login_required
@never_cache
def cash_out(request: HttpRequest) -> HttpResponse:
    """Reserve money and get a one-time code; an agent pays the cash when shown the code."""
    codes: dict[str, str] = request.session.get(CASH_OUT_CODES, {})
    points = site.points()
    form = CashOutForm(initial={"key": new_key(), "currency": "MMK"}, points=points)
    status = 200
    if request.method == "POST" and "cancel" in request.POST:
        try:
            agents.cancel_cash_out(request.user, uuid.UUID(request.POST["cancel"]))
        except (LedgerError, ValueError):
            status = 400
            messages.error(request, _("No such cash-out."))
        else:
            messages.success(request, _("The cash-out is cancelled; the money is free again."))
            return redirect("finance:cash_out")
    elif request.method == "POST":
        form = CashOutForm(request.POST, points=points)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d.get("where"):
                    payout, code = nodes.issue_node_cash_out(
                        request.user, d["where"], d["currency"], d["minor"], d["key"]
                    )
                    held = str(payout.transfer_id)
                else:
                    transfer, code = agents.start_cash_out(
                        request.user, d["currency"], d["minor"], d["key"]
                    )
                    held = str(transfer.pk)
            except LedgerError as exc:
                refuse(form, exc)
            else:
                if code:
                    codes[held] = code
                    request.session[CASH_OUT_CODES] = codes
                return redirect("finance:cash_out")
    pending = selectors.pending_cash_outs(request.user)
    live = {str(t.pk) for t in pending}
    if set(codes) - live:  # forget codes of cash-outs that are finished
        request.session[CASH_OUT_CODES] = {k: v for k, v in codes.items() if k in live}
    at_points = selectors.node_payouts([t.pk for t in pending])
    names = dict(points)
    rows = [
        {"id": t.pk, "amount": money(t.amount, t.currency_id), "until": t.timeout_at}
        | {"code": codes.get(str(t.pk), "")}
        | (
            {"until": at_points[t.pk].expires_at, "point": names.get(at_points[t.pk].node_id, "")}
            if t.pk in at_points
            else {}
        )
        for t in pending
    ]
    context = {"form": form, "pending": rows}
    return render(request, "finance/cash_out.html", context, status=status)


def _exchange_flow(request: HttpRequest, form: Any, template: str, extra: dict[str, Any]) -> Any:
    """Quote (nothing moves), then confirm with the same key. Returns a response."""
    context = {"form": form, **extra}
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    if "edit" in request.POST:
        return render(request, template, context)
    d = form.cleaned_data
    source, target = d.get("source", d.get("currency")), d.get("target")
    try:
        fee, received = wallets.quote_exchange(source, target, d["minor"])
        if received <= 0:
            raise LedgerError(_("This amount is too small to exchange."), field="amount")
        if "confirm" in request.POST:
            if request.POST.get("expect") != str(received):
                raise LedgerError(_("The rate changed. Check the new quote and confirm again."))
            wallets.exchange(request.user, source, target, d["minor"], d["key"])
            messages.success(
                request,
                _("Exchanged %(paid)s for %(got)s.")
                % {"paid": money(d["minor"], source), "got": money(received, target)},
            )
            return redirect("finance:home")
    except LedgerError as exc:
        refuse(form, exc)
        context["quote"] = None
        return render(request, template, context, status=400)
    context["quote"] = {
        "pay": money(d["minor"], source),
        "fee": money(fee, source),
        "get": money(received, target),
        "expect": received,
    }
    return render(request, template, context)


@citizen_page
@login_required
@never_cache
def exchange(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ExchangeForm(data, initial={"key": new_key(), "currency": "MMK", "target": "USD"})
    return _exchange_flow(request, form, "finance/exchange.html", {})


def gold_price() -> str:
    rate = wallets.current_rate("XAU", "MMK")
    return f"{format_amount(int(rate.rate * 1000), 0)} MMK" if rate else ""


@citizen_page
@login_required
@never_cache
def gold(request: HttpRequest) -> HttpResponse:
    """Gold savings: bought and sold against kyat at the officer's price (milligrams)."""
    data = request.POST if request.method == "POST" else None
    form = GoldForm(data, initial={"key": new_key(), "side": "buy"})
    held = selectors.wallet_in(request.user, "XAU")
    extra = {
        "price": gold_price(),
        "held": format_amount(held.balance, 0) if held else "0",
        "unit": currency_name("XAU"),
    }
    return _exchange_flow(request, form, "finance/gold.html", extra)


def _deposit_rows(user: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for fd in selectors.deposits_of(user):
        currency = fd.account.currency_id
        quote = deposits.early_withdrawal_quote(fd, today)
        rows.append(
            {
                "fd": fd,
                "principal": money(fd.principal, currency),
                "rate": f"{fd.rate_bps / 100:.2f}%",
                "accrued": money(quote.accrued, currency),
                "balance": money(fd.account.balance, currency),
                "open": fd.state == DepositState.OPEN,
            }
        )
    return rows


def _withdraw(request: HttpRequest) -> HttpResponse | None:
    """Early withdrawal: the first POST shows what is lost; the second (confirm) closes."""
    try:
        fd = FixedDeposit.objects.get(pk=uuid.UUID(request.POST["deposit"]), owner=request.user)
    except (ValueError, FixedDeposit.DoesNotExist):
        return None
    currency = fd.account.currency_id
    if "confirm" in request.POST:
        try:
            deposits.withdraw_early(request.user, fd.pk)
        except LedgerError:
            return None
        messages.success(request, _("The deposit is closed and the money is in your wallet."))
        return redirect("finance:deposits")
    quote = deposits.early_withdrawal_quote(fd)
    context = {
        "fd": fd,
        "principal": money(fd.principal, currency),
        "accrued": money(quote.accrued, currency),
        "fee": money(quote.fee, currency),
        "back": money(quote.paid_back, currency),
    }
    return render(request, "finance/deposit_withdraw.html", context)


@citizen_page
@login_required
@never_cache
def deposit_list(request: HttpRequest) -> HttpResponse:
    """My fixed deposits (interest so far, maturity) and a form to open one."""
    terms = {
        days: ngettext(
            "%(days)d day at %(rate)s%% a year", "%(days)d days at %(rate)s%% a year", days
        )
        % {"days": days, "rate": bps / 100}
        for days, bps in deposits.TERMS.items()
    }
    form = DepositForm(initial={"key": new_key(), "currency": "MMK", "term": 90}, terms=terms)
    status = 200
    if request.method == "POST" and "deposit" in request.POST:
        answer = _withdraw(request)
        if answer is not None:
            return answer
        messages.error(request, _("No such open deposit."))
        status = 400
    elif request.method == "POST":
        form, status = DepositForm(request.POST, terms=terms), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                deposits.open_deposit(request.user, d["currency"], d["minor"], d["term"], d["key"])
            except LedgerError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Your fixed deposit is open."))
                return redirect("finance:deposits")
    context = {"form": form, "rows": _deposit_rows(request.user)}
    return render(request, "finance/deposits.html", context, status=status)
