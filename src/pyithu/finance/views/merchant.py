"""A merchant's page: its signed payment request as a QR code, and money received."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from pyithu.core.pages import citizen_page
from pyithu.finance.forms import MerchantRequestForm
from pyithu.finance.models import Merchant, Transfer
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.services import payments
from pyithu.finance.views.common import money, refuse


@citizen_page
@login_required
@never_cache
def merchant(request: HttpRequest) -> HttpResponse:
    """GET form (nothing moves): amount and reference -> a signed QR the customer scans."""
    shop = Merchant.objects.filter(user=request.user).first()
    if shop is None:
        return render(request, "finance/merchant.html", {"shop": None})
    form = MerchantRequestForm(request.GET or {"amount": "", "reference": ""})
    context = {"shop": shop, "form": form}
    status = 200
    if form.is_valid():
        d = form.cleaned_data
        try:
            amount = parse_amount(d["amount"], 0) if d["amount"] else None
        except AmountError as exc:
            refuse(form, exc)
            status = 400
        else:
            token = payments.payment_request(shop, "MMK", amount, d["reference"] or "")
            link = (
                request.build_absolute_uri(reverse("finance:pay")) + "?" + urlencode({"r": token})
            )
            context.update(
                token=token,
                qr=mark_safe(payments.qr_svg(link)),
                fixed=money(amount, "MMK") if amount else "",
            )
    else:
        status = 400
    account = payments.merchant_account(shop, "MMK")
    context["balance"] = money(account.balance, "MMK")
    context["received"] = [
        (t.created_at, money(t.amount, "MMK"), t.reference)
        for t in Transfer.objects.filter(credit_account=account).order_by("-created_at")[:10]
    ]
    return render(request, "finance/merchant.html", context, status=status)
