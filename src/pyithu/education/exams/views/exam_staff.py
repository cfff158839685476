"""Staff pages for exams: register candidates (codes shown once), mark, release, integrity."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.education import selectors
from pyithu.education.errors import EducationError
from pyithu.education.exams.forms import MarkForm, RegisterCandidatesForm
from pyithu.education.exams.services import exams as service
from pyithu.education.models import Answer, IntegrityEvent, Question, School, Sitting


def _staff_only(request: HttpRequest) -> None:
    if not selectors.is_education_staff(request.user):
        raise PermissionDenied


def _sitting(request: HttpRequest, sitting_id: UUID) -> Sitting:
    sitting = Sitting.objects.select_related("paper__school").filter(pk=sitting_id).first()
    if sitting is None:
        raise Http404
    if not selectors.can_manage_sitting(request.user, sitting):
        raise PermissionDenied
    return sitting


def _schools_for(request: HttpRequest, sitting: Sitting) -> object:
    schools = School.objects.filter(status=School.Status.RECOGNISED)
    if has_role(request.user, Role.EXAM_OFFICER, selectors.MINISTRY):
        return schools
    return schools.filter(pk=sitting.paper.school_id)


@login_required
@never_cache
def sittings(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    rows = [
        s
        for s in Sitting.objects.select_related("paper__school").order_by("-opens_at")[:200]
        if selectors.can_manage_sitting(request.user, s)
    ]
    return render(request, "education/staff/sittings.html", {"sittings": rows})


@login_required
@never_cache
def sitting_detail(request: HttpRequest, sitting_id: UUID) -> HttpResponse:
    sitting = _sitting(request, sitting_id)
    form = RegisterCandidatesForm(
        request.POST if request.POST.get("action") == "register" else None,
        schools=_schools_for(request, sitting),
    )
    codes: list[tuple[int, str]] = []
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "release":
                service.release_results(sitting, request.user)
                return redirect("education:staff_sitting", sitting_id=sitting.pk)
            if form.is_valid():
                codes = service.register_candidates(
                    sitting,
                    form.cleaned_data["school"],
                    form.cleaned_data["count"],
                    request.user,
                    township=form.cleaned_data.get("township"),
                )
        except EducationError as exc:
            error = exc.message
    integrity = selectors.integrity_signals(sitting)
    context = {
        "sitting": sitting,
        "form": form,
        "codes": codes,
        "error": error,
        "candidates": sitting.candidates.count(),
        "unmarked": service.unmarked_count(sitting),
        "integrity": integrity,
        "events": [(IntegrityEvent.Kind(k).label, n) for k, n in integrity.events.items()],
    }
    status = 400 if request.method == "POST" and not codes else 200
    return render(request, "education/staff/sitting.html", context, status=status)


@login_required
@never_cache
def marking(request: HttpRequest) -> HttpResponse:
    """Short answers waiting for a mark, shown by candidate number only."""
    _staff_only(request)
    form = MarkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            answer = _markable(request).filter(pk=form.cleaned_data["answer"]).first()
            if answer is None:
                form.add_error(None, _("This answer is not yours to mark."))
            else:
                try:
                    service.mark_answer(answer, form.cleaned_data["marks"], request.user)
                    return redirect("education:staff_marking")
                except EducationError as exc:
                    form.add_error("marks", exc.message)
    queue = _markable(request).filter(marks__isnull=True)[:20]
    return render(
        request, "education/staff/marking.html", {"queue": queue, "form": form}, status=status
    )


def _markable(request: HttpRequest):  # type: ignore[no-untyped-def]
    answers = (
        Answer.objects.select_related("question", "attempt__candidate__sitting")
        .filter(question__kind=Question.Kind.SHORT)
        .order_by("saved_at")
    )
    if has_role(request.user, Role.EXAM_OFFICER, selectors.MINISTRY):
        return answers
    units = request.user.role_grants.filter(
        revoked_at__isnull=True, ministry=selectors.MINISTRY
    ).values_list("unit", flat=True)
    if "" in units:
        return answers
    return answers.filter(Q(attempt__candidate__sitting__paper__school__slug__in=list(units)))
