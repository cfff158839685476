"""Crowdfunding: campaigns, giving (anonymously or thanked by handle), the donor's receipt,
and the public transparency log with its signed tree head and a receipt checker."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.core.i18n import localized
from pyithu.core.pages import citizen_page
from pyithu.finance import keys
from pyithu.finance.currencies import exponent_of
from pyithu.finance.examples import example_campaign
from pyithu.finance.forms import DonateForm, ReceiptCheckForm, ReceiptCodeForm, new_key
from pyithu.finance.labels import unit
from pyithu.finance.models import Campaign, Disbursement, Donation, LogLeaf, Lottery, TreeHead
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.services import crowdfunding, payments
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
        "unit": unit(currency),
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
    """The donor's receipt from this session: a short code to write down (or a QR code to
    scan) that anyone can check on the public log, and the full receipt file for experts."""
    kept = request.session.get(RECEIPT)
    context: dict[str, Any] = {"receipt": kept}
    if kept:
        leaf = json.loads(kept["leaf_data"])
        context["amount"] = money(leaf["amount"], leaf["currency"])
        found = Campaign.objects.filter(slug=leaf["campaign"]).first()
        context["campaign"] = localized(found, "title") if found else leaf["campaign"]
        code = kept.get("code") or ""
        context["code"] = code
        link = request.build_absolute_uri(reverse("finance:log")) + "?" + urlencode({"code": code})
        context["qr"] = mark_safe(payments.qr_svg(link))
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


def _entry(data: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    return {
        "index": data["i"],
        "gift": data["type"] == "donation",
        "amount": money(data["amount"], data["currency"]),
        "campaign": titles.get(data["campaign"], data["campaign"]),
        "purpose": data.get("purpose", ""),
    }


@citizen_page
@never_cache
def log(request: HttpRequest) -> HttpResponse:
    """The public log in plain words: how many entries, the latest ones, and a receipt check
    by the short code printed on the receipt (typed, or opened by scanning its QR code)."""
    form = ReceiptCodeForm(request.GET or None)
    found, status = None, 200
    if form.is_bound and form.is_valid():
        found = crowdfunding.find_by_receipt_code(form.cleaned_data["code"])
        if found is None:
            form.add_error(
                "code", _("No gift in the log has this receipt code. Check each character.")
            )
            status = 404
    elif form.is_bound:
        status = 400
    head = TreeHead.objects.order_by("-tree_size").first() or crowdfunding.sign_tree_head()
    leaves = [json.loads(leaf.data) for leaf in LogLeaf.objects.order_by("-index")[:20]]
    slugs = {d["campaign"] for d in leaves} | ({found["leaf"]["campaign"]} if found else set())
    titles = {c.slug: localized(c, "title") for c in Campaign.objects.filter(slug__in=slugs)}
    context = {
        "head": head,
        "signed_on": datetime.date.fromisoformat(head.timestamp[:10]),
        "entries": [_entry(d, titles) for d in leaves],
        "form": form,
        "found": _entry(found["leaf"], titles) if found else None,
    }
    return render(request, "finance/log.html", context, status=status)


@citizen_page
@never_cache
def experts(request: HttpRequest) -> HttpResponse:
    """How to check this yourself: the signed tree head and log key, a check of a whole receipt
    file, the commands and the public addresses; and a draw's raw record (``?lottery=``)."""
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
    game = Lottery.objects.filter(pk=_uuid(request.GET.get("lottery"))).first()
    context = {
        "head": head,
        "public_key": keys.public_hex(keys.log_key()),
        "form": form,
        "checked": request.method == "POST" and result == [],
        "game": game,
        "base": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "finance/experts.html", context, status=status)


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None
