"""Teachers' pages: my sections, a section (enrol, lessons, assignments), attendance, the
marking queue, and the grade sheet with the weights the school set."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import has_role
from pyithu.core.ids import parse_id
from pyithu.education import selectors
from pyithu.education.classes.forms import (
    AssignmentForm,
    AttendanceForm,
    EnrolForm,
    LessonForm,
    MarkForm,
    MarkSubmissionForm,
    WeightsForm,
)
from pyithu.education.classes.services import classes as service
from pyithu.education.classes.services import grades
from pyithu.education.errors import EducationError
from pyithu.education.models import Section, Submission


def _section(request: HttpRequest, section_id: UUID) -> Section:
    found = Section.objects.select_related("course__school").filter(pk=section_id).first()
    if found is None or not service.can_teach(request.user, found):
        raise Http404
    return found


def run_service(form: Any, action: Any, field: str | None = None) -> bool:
    """Call a service for a valid form; a refusal goes next to its field. True when done."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except EducationError as exc:
        form.add_error(exc.field if exc.field in form.fields else field, exc.message)
        return False
    return True


@login_required
@never_cache
def my_sections(request: HttpRequest) -> HttpResponse:
    if not selectors.is_education_staff(request.user):
        raise Http404
    sections = [
        s
        for s in Section.objects.filter(teachers=request.user).select_related("course__school")
        if service.can_teach(request.user, s)
    ]
    pending = grades.pending_counts(sections)
    rows = [(s, pending.get(s.pk, 0)) for s in sections]
    can_set_up = any(
        has_role(request.user, role, selectors.MINISTRY)
        for role in (Role.SCHOOL_ADMIN, Role.EXAM_OFFICER)
    )
    context = {"rows": rows, "can_set_up": can_set_up}
    return render(request, "education/classes/teach/sections.html", context)


@login_required
@never_cache
def section(request: HttpRequest, section_id: UUID) -> HttpResponse:
    """Roster, enrolment, new lessons and assignments (one form posted at a time)."""
    current = _section(request, section_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post, files = request.POST or None, request.FILES or None
    enrol = EnrolForm(post if action == "enrol" else None)
    lesson = LessonForm(post if action == "lesson" else None, files if action == "lesson" else None)
    task = AssignmentForm(post if action == "assignment" else None)
    done = False
    if action == "enrol":
        done = run_service(enrol, lambda d: _enrol(request.user, current, d), "handle")
    elif action == "lesson":
        done = run_service(
            lesson,
            lambda d: service.add_lesson(
                current, d["title"], d["body"] or "", request.user, d["attachment"]
            ),
            "title",
        )
    elif action == "assignment":
        done = run_service(
            task,
            lambda d: service.create_assignment(
                current,
                d["title"],
                d["due_at"],
                request.user,
                max_marks=d["max_marks"],
                category=d["category"],
                allow_late=d["allow_late"],
                instructions=d["instructions"] or "",
            ),
            "title",
        )
    if done:
        return redirect("education:teach_section", section_id=current.pk)
    context = {
        "section": current,
        "roster": [
            (e, service.attendance_of(e)) for e in current.enrolments.order_by("created_at")
        ],
        "lessons": current.lessons.all(),
        "assignments": current.assignments.all(),
        "enrol": enrol,
        "lesson": lesson,
        "task": task,
    }
    status = 400 if action else 200
    return render(request, "education/classes/teach/section.html", context, status=status)


def _enrol(by: Any, section: Section, data: dict[str, Any]) -> None:
    student = User.objects.filter(handle=data["handle"].strip().lower()).first()
    if student is None:
        raise EducationError(_("No account has this name."), "handle")
    service.enrol(section, student, by, township=data.get("township"))


@login_required
@never_cache
def attendance(request: HttpRequest, section_id: UUID) -> HttpResponse:
    current = _section(request, section_id)
    enrolments = list(current.enrolments.order_by("created_at"))
    form = AttendanceForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and run_service(
        form,
        lambda d: service.take_attendance(
            current, d["held_on"], form.statuses(), request.user, d["topic"] or ""
        ),
        "held_on",
    ):
        return redirect("education:teach_section", section_id=current.pk)
    sessions = current.sessions.order_by("-held_on")[:30]
    context = {"section": current, "form": form, "sessions": sessions}
    status = 400 if request.method == "POST" else 200
    return render(request, "education/classes/teach/attendance.html", context, status=status)


@login_required
@never_cache
def marking(request: HttpRequest) -> HttpResponse:
    """Submissions waiting for marks and feedback, oldest first, by pseudonym only."""
    if not selectors.is_education_staff(request.user):
        raise Http404
    form = MarkSubmissionForm(request.POST or None)
    failed = None
    if request.method == "POST":
        work = Submission.objects.filter(pk=parse_id(request.POST.get("submission"))).first()
        if work is None or not service.can_teach(request.user, work.assignment.section):
            raise Http404
        failed = work.pk
        if run_service(
            form,
            lambda d: service.mark_submission(work, d["marks"], d["feedback"] or "", request.user),
            "marks",
        ):
            return redirect("education:teach_marking")
    queue = service.marking_queue(request.user)[:30]
    context = {"queue": queue, "form": form, "failed": failed}
    status = 400 if request.method == "POST" else 200
    return render(request, "education/classes/teach/marking.html", context, status=status)


@login_required
@never_cache
def grade_sheet(request: HttpRequest, section_id: UUID) -> HttpResponse:
    """Every student's components and grade; school admins set the weights; finalise."""
    current = _section(request, section_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST or None
    weights = WeightsForm(
        post if action == "weights" else None,
        initial={
            "tests": current.weight_tests,
            "assignments": current.weight_assignments,
            "attendance": current.weight_attendance,
            "participation": current.weight_participation,
            "pass_percent": current.pass_percent,
        },
    )
    mark = MarkForm(post if action == "mark" else None)
    error = None
    done = False
    if action == "weights":
        done = run_service(
            weights, lambda d: service.set_weights(current, request.user, **d), "tests"
        )
    elif action == "mark":
        done = run_service(mark, lambda d: _mark(request.user, current, d), "score")
    elif action == "finalise":
        try:
            grades.finalise(current, request.user)
            done = True
        except EducationError as exc:
            error = exc.message
    if done:
        return redirect("education:teach_grades", section_id=current.pk)
    context = {
        "section": current,
        "sheet": grades.grade_sheet(current),
        "weights": weights,
        "mark": mark,
        "error": error,
        "is_admin": service.is_school_admin(request.user, current.course.school),
        "unmarked": grades.unmarked_in(current),
    }
    status = 400 if action else 200
    return render(request, "education/classes/teach/grades.html", context, status=status)


def _mark(by: Any, section: Section, data: dict[str, Any]) -> None:
    enrolment = section.enrolments.filter(pk=data["enrolment"]).first()
    if enrolment is None:
        raise EducationError(_("This student is not in the class."), "score")
    service.record_mark(enrolment, data["kind"], data["title"], data["score"], data["out_of"], by)
