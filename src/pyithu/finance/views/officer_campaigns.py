"""Bank officers' desk for crowdfunding and merchants: create a campaign, record a
disbursement (it goes to the public log), register a merchant so its QR page works.
Every action is checked again and audited in the services."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pyithu.core.i18n import localized
from pyithu.finance.forms import new_key
from pyithu.finance.forms.staff import CampaignForm, DisburseForm, MerchantForm
from pyithu.finance.models import Campaign, Disbursement, Merchant
from pyithu.finance.services import crowdfunding, payments
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.services.wallets import wallet_for
from pyithu.finance.views.common import money, officer_page
from pyithu.finance.views.officer import _posted


def _create(d: dict[str, Any], by: Any) -> None:
    # Two officers taking the same short name at once: one wins, the other is told why.
    try:
        with transaction.atomic():
            crowdfunding.create_campaign(
                by, d["slug"], d["title_en"], d["title_my"], d["currency"], d["goal_minor"]
            )
    except IntegrityError:
        raise LedgerError(_("A campaign already uses this short name."), field="slug") from None


def _disburse(d: dict[str, Any], by: Any) -> None:
    campaign = d["campaign"]
    to = wallet_for(d["recipient"], campaign.account.currency_id)
    crowdfunding.disburse(by, campaign, to, d["minor"], d["purpose"], d["key"])


@officer_page
def campaigns(request: HttpRequest) -> HttpResponse:
    create_form = CampaignForm(initial={"currency": "MMK"})
    pay_form = DisburseForm(initial={"key": new_key()})
    status = 200
    if request.method == "POST":
        status = 400
        if "disburse" in request.POST:
            pay_form = DisburseForm(request.POST)
            answer = _posted(
                request,
                pay_form,
                lambda d: _disburse(d, request.user),
                _("The disbursement is recorded and added to the public log."),
                "finance:officer_campaigns",
            )
        else:
            create_form = CampaignForm(request.POST)
            answer = _posted(
                request,
                create_form,
                lambda d: _create(d, request.user),
                _("The campaign is open."),
                "finance:officer_campaigns",
            )
        if answer is not None:
            return answer
    spent = {
        row["campaign"]: row["s"]
        for row in Disbursement.objects.values("campaign").annotate(s=Sum("transfer__amount"))
    }
    rows = [
        {
            "c": c,
            "title": localized(c, "title"),
            "balance": money(c.account.balance, c.account.currency_id),
            "spent": money(spent.get(c.pk) or 0, c.account.currency_id),
            "goal": money(c.goal, c.account.currency_id),
        }
        for c in Campaign.objects.select_related("account")[:100]
    ]
    context = {"create_form": create_form, "pay_form": pay_form, "rows": rows}
    return render(request, "finance/officer_campaigns.html", context, status=status)


@officer_page
def merchants(request: HttpRequest) -> HttpResponse:
    form, status = MerchantForm(), 200
    if request.method == "POST":
        form, status = MerchantForm(request.POST), 400
        answer = _posted(
            request,
            form,
            lambda d: payments.register_merchant(d["merchant"], d["name"], by=request.user),
            _("The merchant is registered."),
            "finance:officer_merchants",
        )
        if answer is not None:
            return answer
    shops = Merchant.objects.select_related("user").order_by("name")[:200]
    context = {"form": form, "shops": shops}
    return render(request, "finance/officer_merchants.html", context, status=status)
