"""The citizen's wallet: balances, sending money, statements, paying a merchant's QR code."""

from __future__ import annotations

import csv
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.core.pages import citizen_page
from pyithu.finance import selectors
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.forms import PaymentRequestForm, TransferForm, new_key
from pyithu.finance.labels import unit
from pyithu.finance.models import Transfer
from pyithu.finance.money import AmountError, format_amount, parse_amount
from pyithu.finance.services import payments, wallets
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import money, refuse

LAST_TRANSFER = "finance_last_transfer"


@citizen_page
def index(request: HttpRequest) -> HttpResponse:
    """The finance landing page: every money service a citizen can use, and the desks of the
    finance roles this person holds (staff log in from here and come back to their desk)."""
    roles = set()
    if request.user.is_authenticated:
        roles = set(
            request.user.role_grants.filter(
                revoked_at__isnull=True, ministry="finance"
            ).values_list("role", flat=True)
        )
    finance = apps.get_app_config("finance")
    desks = [d for d in getattr(finance, "desks", ()) if d.role in roles]
    return render(request, "finance/index.html", {"desks": desks})


@citizen_page
@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    balances = [
        {
            "currency": a.currency_id,
            "balance": format_amount(a.balance, a.currency.exponent),
            "available": format_amount(a.available, a.currency.exponent),
            "reserved": a.pending_debits > 0,
            "unit": unit(a.currency_id),
        }
        for a in selectors.wallets_of(request.user)
    ]
    transfers = [
        {**t, "unit": unit(t["currency"])} for t in selectors.recent_transfers(request.user)
    ]
    context = {
        "has_wallet": selectors.has_wallet(request.user),
        "balances": balances,
        "transfers": transfers,
    }
    return render(request, "finance/home.html", context)


@require_POST
@login_required
def open_wallet(request: HttpRequest) -> HttpResponse:
    """Opens the pseudonymous wallet (customer record and a kyat account); safe to repeat."""
    wallets.wallet_for(request.user, "MMK")
    return redirect("finance:home")


@citizen_page
@login_required
@never_cache
def transfer(request: HttpRequest) -> HttpResponse:
    """Form -> confirm page -> pay. The key travels in a hidden field: a resubmission pays once."""
    if request.method != "POST":
        form = TransferForm(initial={"key": new_key(), "currency": "MMK"}, payer=request.user)
        return render(request, "finance/transfer.html", {"form": form})
    form = TransferForm(request.POST, payer=request.user)
    if not form.is_valid() or "edit" in request.POST:
        status = 200 if form.is_valid() else 400
        return render(request, "finance/transfer.html", {"form": form}, status=status)
    d = form.cleaned_data
    if "confirm" not in request.POST:
        summary = money(d["minor"], d["currency"])
        return render(request, "finance/transfer_confirm.html", {"form": form, "summary": summary})
    try:
        to = wallets.wallet_for(d["recipient"], d["currency"])
        done = wallets.pay(
            request.user, to, d["currency"], d["minor"], d["key"], note=d["note"] or ""
        )
    except LedgerError as exc:
        refuse(form, exc)
        return render(request, "finance/transfer.html", {"form": form}, status=400)
    request.session[LAST_TRANSFER] = str(done.pk)
    return redirect("finance:transfer_done")


@citizen_page
@login_required
@never_cache
def transfer_done(request: HttpRequest) -> HttpResponse:
    """The result of the last payment made in this session (nothing in the URL)."""
    mine = selectors.wallets_of(request.user).values_list("pk", flat=True)
    done = (
        Transfer.objects.filter(pk=request.session.get(LAST_TRANSFER), debit_account__in=mine)
        .select_related("currency", "credit_account__owner")
        .first()
    )
    context: dict[str, Any] = {"done": done}
    if done is not None:
        context["summary"] = money(done.amount, done.currency_id)
        owner = done.credit_account.owner
        merchant = getattr(owner, "merchant", None) if done.kind == "merchant" else None
        context["recipient"] = merchant.name if merchant else owner.handle
    return render(request, "finance/transfer_done.html", context)


@citizen_page(example=lambda: {"currency": "MMK"})
@login_required
@never_cache
def statement(request: HttpRequest, currency: str) -> HttpResponse:
    account = selectors.wallet_in(request.user, currency) if currency in CODES else None
    lines = selectors.statement(account, limit=200) if account is not None else []
    context = {
        "currency": currency,
        "account": account,
        "lines": lines,
        "balance": format_amount(account.balance, account.currency.exponent) if account else "",
        "unit": unit(currency),
    }
    return render(
        request, "finance/statement.html", context, status=200 if currency in CODES else 404
    )


@login_required
@never_cache
def statement_csv(request: HttpRequest, currency: str) -> HttpResponse:
    account = selectors.wallet_in(request.user, currency) if currency in CODES else None
    if account is None:
        return HttpResponse(_("No wallet in this currency."), status=404, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{currency}.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", "kind", "reference", "amount", "balance", "currency"])
    for line in selectors.statement(account):
        reference = line.reference
        if reference[:1] in ("=", "+", "-", "@"):
            reference = "'" + reference  # never a formula in a spreadsheet
        writer.writerow(
            [line.at.isoformat(), line.kind, reference, line.amount, line.balance, currency]
        )
    return response


@citizen_page
@login_required
@never_cache
def pay_request(request: HttpRequest) -> HttpResponse:
    """Paste (or open a link carrying) a merchant's signed payment code; confirm in one step."""
    data = request.POST if request.method == "POST" else None
    token = request.GET.get("r", "")
    form = PaymentRequestForm(data, initial={"key": new_key(), "request": token})
    if data is None and not token:
        return render(request, "finance/pay.html", {"form": form})
    if data is None:
        form = PaymentRequestForm({"request": token, "key": new_key(), "amount": ""})
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "finance/pay.html", context, status=400)
    d = form.cleaned_data
    try:
        found = payments.read_request(d["request"])
        context["found"] = found
        context["unit"] = unit(found["currency"])
        fixed = found["amount"]
        if fixed is not None:
            context["fixed"] = money(fixed, found["currency"])
        amount = parse_amount(d["amount"], exponent_of(found["currency"])) if d["amount"] else None
        if "confirm" in request.POST:
            done = payments.pay_request(request.user, d["request"], amount, d["key"])
            request.session[LAST_TRANSFER] = str(done.pk)
            return redirect("finance:transfer_done")
    except (LedgerError, AmountError) as exc:
        refuse(form, exc)
        return render(request, "finance/pay.html", context, status=400)
    return render(request, "finance/pay.html", context)
