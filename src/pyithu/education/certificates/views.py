"""Certificates: take one with an exam code, print it with a QR, verify it, revoke it."""

from __future__ import annotations

import contextlib
from uuid import UUID

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts.decorators import counts_code_lookups
from pyithu.core.pages import citizen_page
from pyithu.education.admissions.services.admissions import is_officer
from pyithu.education.certificates import services as service
from pyithu.education.certificates import signing
from pyithu.education.certificates.models import shown_result
from pyithu.education.errors import EducationError
from pyithu.education.exams.forms import ClaimCertificateForm, VerifyForm
from pyithu.education.models import Certificate


def _example() -> dict[str, UUID]:
    cert = Certificate.objects.filter(revoked_at__isnull=True).first()
    if cert is None:
        cert = service.issue(holder_pseudonym="C-EXAMPLE", title="Example", result="pass")
    return {"cert_id": cert.pk}


@citizen_page
@never_cache
@counts_code_lookups("edu-exam-code")
def claim(request: HttpRequest) -> HttpResponse:
    form = ClaimCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cert = service.issue_from_result(
                form.cleaned_data["code"], form.cleaned_data.get("name") or ""
            )
        except EducationError as exc:
            form.add_error("code", exc.message)
        else:
            return redirect("education:certificate", cert_id=cert.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "education/certificates/claim.html", {"form": form}, status=status)


@citizen_page(example=_example)
def certificate(request: HttpRequest, cert_id: UUID) -> HttpResponse:
    cert = Certificate.objects.select_related("school").filter(pk=cert_id).first()
    if cert is None:
        raise Http404
    qr = mark_safe(segno.make(cert.signed_text, error="m").svg_inline(scale=2))
    context = {"cert": cert, "qr": qr, "officer": is_officer(request.user)}
    return render(request, "education/certificates/show.html", context)


@citizen_page
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = service.check(form.cleaned_data["text"])
    context = {"form": form, "result": result, "public_key": signing.public_key_text()}
    if result is not None and result.payload is not None:
        # What was signed, as the reader's language says it: the school's own name in it,
        # the verdict translated (the signed text itself is unchanged).
        row = Certificate.objects.select_related("school").get(pk=result.payload["id"])
        context["school"] = row.school.display_name() if row.school else ""
        context["shown_result"] = shown_result(result.payload["result"])
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "education/certificates/verify.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, cert_id: UUID) -> HttpResponse:
    cert = Certificate.objects.filter(pk=cert_id).first()
    if cert is None:
        raise Http404
    if not is_officer(request.user):
        raise PermissionDenied
    with contextlib.suppress(EducationError):  # already revoked
        service.revoke(cert, request.user)
    return redirect("education:certificate", cert_id=cert.pk)
