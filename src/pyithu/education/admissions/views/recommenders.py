"""Recommenders: registered by an education officer; each issues one-time vouchers in
batches (printed once, only digests kept), sees how many were used and revokes unused ones."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import User
from pyithu.accounts.services import normalise_handle
from pyithu.education.admissions.services import admissions
from pyithu.education.admissions.services import recommenders as service
from pyithu.education.errors import EducationError
from pyithu.education.models import Recommender
from pyithu.education.schools.forms.registry import (
    IssueVouchersForm,
    RecommenderForm,
    RevokeVoucherForm,
)


@login_required
@never_cache
def recommenders(request: HttpRequest) -> HttpResponse:
    officer = admissions.is_officer(request.user)
    rows = service.recommenders_for(request.user)
    if not officer and not rows:
        raise PermissionDenied
    form = RecommenderForm(request.POST or None) if officer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _register(request, form):
            return redirect("education:staff_recommenders")
    status = 400 if request.method == "POST" else 200
    context = {"rows": [(r, service.counts(r)) for r in rows], "form": form}
    return render(request, "education/recommenders/list.html", context, status=status)


def _register(request: HttpRequest, form: RecommenderForm) -> bool:
    data = form.cleaned_data
    account = None
    if data["handle"]:
        account = User.objects.filter(handle=normalise_handle(data["handle"])).first()
        if account is None:
            form.add_error("handle", _("No account has this handle."))
            return False
    try:
        admissions.register_recommender(data["kind"], data["name"], request.user, user=account)
    except EducationError as exc:
        form.add_error(exc.field, exc.message)
        return False
    return True


@login_required
@never_cache
def recommender(request: HttpRequest, recommender_id: UUID) -> HttpResponse:
    found = Recommender.objects.filter(pk=recommender_id).first()
    if found is None:
        raise Http404
    if not service.can_act_for(request.user, found):
        raise PermissionDenied
    action = request.POST.get("action", "")
    issue = IssueVouchersForm(request.POST if action == "issue" else None)
    revoke = RevokeVoucherForm(request.POST if action == "revoke" else None)
    context: dict[str, Any] = {
        "recommender": found,
        "issue": issue,
        "revoke": revoke,
        "officer": admissions.is_officer(request.user),
    }
    if request.method == "POST":
        try:
            done = _act(request, found, action, issue, revoke, context)
        except EducationError as exc:
            form = {"issue": issue, "revoke": revoke}.get(action)
            if form is not None and form.is_bound:
                form.add_error(exc.field, exc.message)
            else:
                context["error"] = exc.message
        else:
            if done is not None:
                return done
        context["counts"] = service.counts(found)
        return render(request, "education/recommenders/detail.html", context, status=400)
    context["counts"] = service.counts(found)
    return render(request, "education/recommenders/detail.html", context)


def _act(
    request: HttpRequest,
    found: Recommender,
    action: str,
    issue: IssueVouchersForm,
    revoke: RevokeVoucherForm,
    context: dict[str, Any],
) -> HttpResponse | None:
    """Carry out one action; a response when it succeeded, None when a form has errors."""
    again = redirect("education:staff_recommender", recommender_id=found.pk)
    if action == "issue" and issue.is_valid():
        codes = admissions.issue_vouchers(found, issue.cleaned_data["count"], request.user)
        # Shown once: this response is the only place the codes ever exist in the clear.
        return render(
            request,
            "education/recommenders/printed.html",
            {
                "recommender": found,
                "codes": codes,
                "apply_url": request.build_absolute_uri(reverse("education:apply")),
            },
        )
    if action == "revoke" and revoke.is_valid():
        service.revoke_voucher(found, revoke.cleaned_data["code"], request.user)
        return again
    if action == "revoke_all":
        service.revoke_unused(found, request.user)
        return again
    if action in ("deactivate", "activate"):
        service.set_active(found, action == "activate", request.user)
        return again
    if action not in ("issue", "revoke"):
        context["error"] = _("Choose what to do.")
    return None
