"""Applying with a recommendation voucher, checking status by code, and the school's decision."""

from __future__ import annotations

import contextlib
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts.models import Role
from pyithu.accounts.services import client_address
from pyithu.core.pages import citizen_page
from pyithu.education.admissions.services import admissions as service
from pyithu.education.errors import EducationError
from pyithu.education.exams.forms import ApplicationCodeForm, ApplicationForm
from pyithu.education.models import Application, School


@citizen_page
def guidance(request: HttpRequest) -> HttpResponse:
    return render(request, "education/admissions/guidance.html")


@citizen_page
@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application, code = service.apply(
                pseudonym=data["pseudonym"],
                school=data["school"],
                programme=data["programme"],
                voucher_code=data["voucher"],
                document=data.get("document"),
                address=client_address(request),
                township=data.get("township"),
            )
        except EducationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return render(
                request, "education/admissions/applied.html", {"app": application, "code": code}
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "education/admissions/apply.html", {"form": form}, status=status)


@citizen_page
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    form = ApplicationCodeForm(request.POST or None)
    application = None
    if request.method == "POST" and form.is_valid():
        try:
            application = service.status_for_code(
                form.cleaned_data["code"], client_address(request)
            )
        except EducationError as exc:
            form.add_error("code", exc.message)
    code = 400 if request.method == "POST" and application is None else 200
    context = {"form": form, "app": application}
    return render(request, "education/admissions/status.html", context, status=code)


def _schools(request: HttpRequest) -> list[School]:
    slugs = request.user.role_grants.filter(  # type: ignore[union-attr]
        role=Role.SCHOOL_ADMIN, ministry=service.MINISTRY, revoked_at__isnull=True
    ).values_list("unit", flat=True)
    schools = School.objects.all()
    if "" not in slugs:
        schools = schools.filter(slug__in=list(slugs))
    return list(schools)


@login_required
@never_cache
def staff_applications(request: HttpRequest) -> HttpResponse:
    schools = _schools(request)
    if not schools:
        raise PermissionDenied
    rows = Application.objects.filter(
        school__in=schools, status=Application.Status.PENDING
    ).select_related("school")[:200]
    return render(request, "education/admissions/staff.html", {"applications": rows})


def _application(request: HttpRequest, application_id: UUID) -> Application:
    application = Application.objects.select_related("school").filter(pk=application_id).first()
    if application is None:
        raise Http404
    if not service.can_decide(request.user, application.school):
        raise PermissionDenied
    return application


@login_required
@never_cache
def staff_document(request: HttpRequest, application_id: UUID) -> FileResponse:
    application = _application(request, application_id)
    if not application.document:
        raise Http404
    return FileResponse(
        application.document.open("rb"),
        as_attachment=True,
        filename="document",
        content_type="application/octet-stream",
    )


@login_required
@require_POST
def staff_decide(request: HttpRequest, application_id: UUID) -> HttpResponse:
    application = _application(request, application_id)
    decision = request.POST.get("decision")
    if decision not in ("admit", "refuse"):
        return HttpResponseBadRequest(_("Choose admit or refuse."))
    with contextlib.suppress(EducationError):  # already decided: the list no longer shows it
        service.decide(application, decision == "admit", request.user)
    return redirect("education:staff_applications")
