"""Crowdfunding: campaigns, giving (anonymously or thanked by handle), the donor's receipt,
and the public transparency log with its signed tree head and a receipt checker."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.core.i18n import localized
from pyithu.core.pages import citizen_page
from pyithu.finance import keys
from pyithu.finance.currencies import exponent_of
from pyithu.finance.examples import example_campaign
from pyithu.finance.forms import DonateForm, ReceiptCheckForm, new_key
from pyithu.finance.models import Campaign, Disbursement, Donation, LogLeaf, TreeHead
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.services import crowdfunding
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.transparency import check_extends, check_receipt
from pyithu.finance.views.common import money, refuse

RECEIPT = "finance_receipt"


def _totals(campaign: Campaign) -> dict[str, str]:
    currency = campaign.account.currency_id
    given = Donation.objects.filter(campaign=campaign).aggregate(s=Sum("transfer__amount"))["s"]
    spent = Disbursement.objects.filter(campaign=campaign).aggregate(s=Sum("transfer__amount"))
    return {
        "given": money(given or 0, currency),
        "spent": money(spent["s"] or 0, currency),
        "goal": money(campaign.goal, currency),
    }


@citizen_page
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = [
        {"c": c, "title": localized(c, "title"), **_totals(c)}
        for c in Campaign.objects.select_related("account").filter(is_open=True)[:30]
    ]
    return render(request, "finance/campaigns.html", {"rows": rows})


@citizen_page(example=example_campaign)
@never_cache
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """A campaign's totals, named donors, disbursements, and the form to give."""
    found = Campaign.objects.select_related("account").filter(slug=slug).first()
    if found is None:
        raise Http404
    currency = found.account.currency_id
    form, status = DonateForm(initial={"key": new_key(), "anonymous": True}), 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form, status = DonateForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                amount = parse_amount(d["amount"], exponent_of(currency))
                receipt = crowdfunding.donate(
                    request.user, found, amount, d["key"], anonymous=d["anonymous"]
                )
            except (LedgerError, AmountError) as exc:
                refuse(form, exc)
            else:
                request.session[RECEIPT] = receipt
                return redirect("finance:receipt")
    named = (
        Donation.objects.filter(campaign=found, show_name=True)
        .select_related("transfer__debit_account__owner")
        .order_by("-created_at")[:50]
    )
    context = {
        "c": found,
        "title": localized(found, "title"),
        "form": form,
        "currency": currency,
        "named": [
            (d.transfer.debit_account.owner.handle, money(d.transfer.amount, currency))
            for d in named
        ],
        "spending": [
            (d.purpose, money(d.transfer.amount, currency))
            for d in found.disbursements.select_related("transfer").order_by("-created_at")[:50]
        ],
        **_totals(found),
    }
    return render(request, "finance/campaign.html", context, status=status)


@citizen_page
@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The donor's receipt from this session: keep the file; it proves the gift is in the log."""
    kept = request.session.get(RECEIPT)
    context: dict[str, Any] = {"receipt": kept}
    if kept:
        leaf = json.loads(kept["leaf_data"])
        context["amount"] = money(leaf["amount"], leaf["currency"])
        context["campaign"] = leaf["campaign"]
    return render(request, "finance/receipt.html", context)


@never_cache
def receipt_json(request: HttpRequest) -> HttpResponse:
    kept = request.session.get(RECEIPT)
    if not kept:
        raise Http404
    response = JsonResponse(kept, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = 'attachment; filename="donation-receipt.json"'
    return response


def _check(text: str) -> list[str]:
    """Check a pasted receipt against this log's key and that today's tree extends its head."""
    try:
        data = json.loads(text)
        key = keys.public_hex(keys.log_key())
        if check_receipt(data, key):
            return [
                _(
                    "This receipt does not check out: the log did not sign it, or its secret "
                    "or proof is wrong."
                )
            ]
        head = crowdfunding.sign_tree_head()
        old = data["sth"]
        size = int(old["tree_size"])
        if size > head.tree_size or (size == head.tree_size and old["root_hash"] != head.root_hash):
            return [_("The log today does not contain the tree this receipt was signed in.")]
        if size < head.tree_size:
            proof = crowdfunding.consistency(size, head.tree_size)
            if check_extends(old, crowdfunding.sth_dict(head), proof, key):
                return [_("The log today does not contain the tree this receipt was signed in.")]
    except (ValueError, KeyError, TypeError, AttributeError, LedgerError):
        return [_("This is not a receipt file.")]
    return []


@citizen_page
@never_cache
def log(request: HttpRequest) -> HttpResponse:
    """The public log: its signed tree head, public key, latest leaves, and a receipt check."""
    form, result, status = ReceiptCheckForm(request.POST or None), None, 200
    if request.method == "POST":
        if form.is_valid():
            result = _check(form.cleaned_data["receipt"])
            if result:
                form.add_error("receipt", result[0])
                status = 400
        else:
            status = 400
    head = TreeHead.objects.order_by("-tree_size").first() or crowdfunding.sign_tree_head()
    context = {
        "head": head,
        "public_key": keys.public_hex(keys.log_key()),
        "leaves": LogLeaf.objects.order_by("-index")[:20],
        "form": form,
        "checked": request.method == "POST" and result == [],
        "problems": result or [],
    }
    return render(request, "finance/log.html", context, status=status)
