"""Staff pages for recognition: a school's application is entered, an officer reviews the
ministry's information-security checklist and recognises, suspends or refuses it, with a
reason; every step is in the audit log."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from pyithu.core.models import AuditEntry
from pyithu.education import selectors
from pyithu.education.errors import EducationError
from pyithu.education.models import School
from pyithu.education.schools import registry
from pyithu.education.schools import services as service
from pyithu.education.schools.forms.registry import ReviewForm, SchoolApplicationForm


def _staff_only(request: HttpRequest) -> None:
    if not selectors.is_education_staff(request.user):
        raise PermissionDenied


@login_required
@never_cache
def schools(request: HttpRequest) -> HttpResponse:
    """Every school by status, those waiting for a decision first."""
    _staff_only(request)
    rows = [s for s in School.objects.order_by("status", "name_en")[:500]]
    waiting = [s for s in rows if s.status == School.Status.APPLIED]
    others = [s for s in rows if s.status != School.Status.APPLIED]
    return render(
        request, "education/recognition/schools.html", {"waiting": waiting, "others": others}
    )


@login_required
@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = SchoolApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            school = service.apply_school(
                data["name_en"],
                kind=data["kind"],
                level=data["level"],
                languages=data["languages"],
                curriculum=data["curriculum"],
                name_my=data["name_my"],
                townships=data["townships"],
                by=request.user,
            )
        except EducationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("education:staff_school_review", school_id=school.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "education/recognition/apply.html", {"form": form}, status=status)


@login_required
@never_cache
def review(request: HttpRequest, school_id: UUID) -> HttpResponse:
    school = School.objects.prefetch_related("townships").filter(pk=school_id).first()
    if school is None:
        raise Http404
    if not service.can_decide(request.user, school):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.require_reason(data["decision"], data["reason"])
            service.decide_school(
                school,
                data["decision"],
                request.user,
                met=[g.pk for g in data["met"]],
                reason=data["reason"],
            )
        except EducationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("education:staff_school_review", school_id=school.pk)
    history = _history(school)
    context = {
        "school": school,
        "form": form,
        "history": history,
        "shown_history": [(at, who, _action_label(what), why) for at, who, what, why in history],
        "languages": [registry.language_name(c) for c in registry.language_codes(school.languages)],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "education/recognition/review.html", context, status=status)


def _action_label(action: str) -> str:
    """An audit action as the officer's language says it."""
    status = action.removeprefix("education.school_")
    if status in School.Status.values:
        return str(School.Status(status).label)
    return str(School.Status.APPLIED.label) if status == "apply" else action


def _history(school: School) -> list[tuple[datetime, str, str, str]]:
    """Newest first: each decision with its reason (kept on the review), and the application
    (from the audit log, which records who entered it)."""
    decisions = [
        (
            r.created_at,
            r.decided_by.handle if r.decided_by else "",
            f"education.school_{r.decision}",
            r.reason,
        )
        for r in school.reviews.select_related("decided_by").order_by("-created_at")[:20]
    ]
    applied = [
        (e.at, e.actor_handle, e.action, "")
        for e in AuditEntry.objects.filter(
            target_type="education.school",
            target_id=str(school.pk),
            action="education.school_apply",
        ).order_by("-at")[:1]
    ]
    return sorted(decisions + applied, key=lambda row: row[0], reverse=True)[:20]
