"""Staff pages to set up classes and exams through the services: a school's admins add
courses and open sections; exam officers, school admins and teachers write question banks,
build papers from them and open sittings. Refusals answer 400 and keep what was typed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import has_role
from pyithu.education import selectors
from pyithu.education.classes.services import classes as service
from pyithu.education.classes.views.teaching import run_service
from pyithu.education.errors import EducationError
from pyithu.education.exams.services import papers
from pyithu.education.models import Course, Paper, QuestionBank, School
from pyithu.education.schools.forms.setup import (
    BankForm,
    CourseForm,
    PaperForm,
    QuestionForm,
    SectionForm,
    SittingForm,
)

MINISTRY = selectors.MINISTRY


def _schools_for(user: Any, roles: tuple[str, ...]) -> QuerySet[School]:
    """Recognised schools this user acts for: every one for exam officers and ministry-wide
    grants, otherwise those of the user's unit grants with one of ``roles``."""
    schools = School.objects.filter(status=School.Status.RECOGNISED).order_by("name_en")
    if has_role(user, Role.EXAM_OFFICER, MINISTRY):
        return schools
    units = set(
        user.role_grants.filter(
            revoked_at__isnull=True, ministry=MINISTRY, role__in=roles
        ).values_list("unit", flat=True)
    )
    if "" in units:
        return schools
    return schools.filter(slug__in=units)


def admin_schools(user: Any) -> QuerySet[School]:
    return _schools_for(user, (Role.SCHOOL_ADMIN,))


def exam_schools(user: Any) -> QuerySet[School]:
    return _schools_for(user, (Role.SCHOOL_ADMIN, Role.TEACHER))


# --- courses and sections -------------------------------------------------------------------


@login_required
@never_cache
def courses(request: HttpRequest) -> HttpResponse:
    """The courses of the schools this admin runs; add a course or open a section."""
    schools = admin_schools(request.user)
    if not (
        has_role(request.user, Role.EXAM_OFFICER, MINISTRY)
        or has_role(request.user, Role.SCHOOL_ADMIN, MINISTRY)
    ):
        raise PermissionDenied
    rows = Course.objects.filter(school__in=schools).select_related("school")
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST or None
    course = CourseForm(post if action == "course" else None, schools=schools)
    section = SectionForm(post if action == "section" else None, courses=rows)
    if action == "course" and run_service(
        course, lambda d: _create_course(request.user, d), "code"
    ):
        return redirect("education:setup_courses")
    if action == "section":
        created: list[Any] = []
        if run_service(section, lambda d: created.append(_open_section(request.user, section, d))):
            return redirect("education:teach_section", section_id=created[0].pk)
    context = {"courses": rows, "course": course, "section": section}
    status = 400 if action else 200
    return render(request, "education/setup/courses.html", context, status=status)


def _create_course(by: Any, data: dict[str, Any]) -> Course:
    return service.create_course(
        data["school"],
        data["code"],
        data["title_en"],
        by,
        credits=data["credits"],
        title_my=data["title_my"] or "",
        level=data["level"] or "",
        is_final_project=data["is_final_project"],
    )


def _open_section(by: Any, form: SectionForm, data: dict[str, Any]) -> Any:
    handles = form.handles()
    teachers = list(User.objects.filter(handle__in=handles))
    missing = sorted(set(handles) - {t.handle for t in teachers})
    if missing:
        raise EducationError(
            _("No account has this name: %(names)s") % {"names": ", ".join(missing)}, "teachers"
        )
    with transaction.atomic():  # a refused weight leaves no section behind
        try:
            opened = service.create_section(data["course"], data["term"], by, teachers=teachers)
        except EducationError as exc:
            raise EducationError(exc.message, exc.field or "teachers") from None
        service.set_weights(
            opened,
            by,
            tests=data["tests"],
            assignments=data["assignments"],
            attendance=data["attendance"],
            participation=data["participation"],
            pass_percent=data["pass_percent"],
        )
    return opened


# --- question banks, papers and sittings ----------------------------------------------------


def _exam_staff_only(request: HttpRequest) -> None:
    if not selectors.is_education_staff(request.user):
        raise PermissionDenied


def _bank(request: HttpRequest, bank_id: UUID) -> QuestionBank:
    _exam_staff_only(request)
    bank = QuestionBank.objects.select_related("school").filter(pk=bank_id).first()
    if bank is None or not selectors.can_set_exams(request.user, bank.school):
        raise Http404
    return bank


@login_required
@never_cache
def banks(request: HttpRequest) -> HttpResponse:
    _exam_staff_only(request)
    national = has_role(request.user, Role.EXAM_OFFICER, MINISTRY)
    schools = exam_schools(request.user)
    form = BankForm(request.POST or None, schools=schools, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bank = papers.create_bank(
            data["title"], request.user, school=data["school"], subject=data["subject"] or ""
        )
        return redirect("education:setup_bank", bank_id=bank.pk)
    rows = QuestionBank.objects.select_related("school").order_by("title")
    if not national:
        rows = rows.filter(school__in=schools)
    context = {"banks": rows[:200], "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "education/setup/banks.html", context, status=status)


@login_required
@never_cache
def bank(request: HttpRequest, bank_id: UUID) -> HttpResponse:
    """The bank's questions; add a question or build a paper from some of them."""
    current = _bank(request, bank_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST or None
    question = QuestionForm(post if action == "question" else None)
    paper = PaperForm(post if action == "paper" else None, questions=current.questions.all())
    if action == "question" and run_service(
        question,
        lambda d: papers.add_question(
            current,
            d["kind"],
            d["prompt"],
            options=question.options_list(),
            correct_option=question.correct_index(),
            accepted=question.accepted_list(),
            marks=d["marks"],
        ),
        "prompt",
    ):
        return redirect("education:setup_bank", bank_id=current.pk)
    if action == "paper":
        built: list[Paper] = []
        if run_service(
            paper,
            lambda d: built.append(
                papers.create_paper(
                    d["title"],
                    sorted(d["questions"], key=lambda q: (q.created_at, q.pk)),
                    request.user,
                    school=current.school,
                    minutes=d["minutes"],
                    pass_percent=d["pass_percent"],
                )
            ),
            "questions",
        ):
            return redirect("education:setup_paper", paper_id=built[0].pk)
    context = {
        "bank": current,
        "questions": current.questions.all(),
        "papers": Paper.objects.filter(items__question__bank=current).distinct(),
        "question": question,
        "paper": paper,
    }
    status = 400 if action else 200
    return render(request, "education/setup/bank.html", context, status=status)


@login_required
@never_cache
def paper(request: HttpRequest, paper_id: UUID) -> HttpResponse:
    """A paper's questions and sittings; open a new sitting (a window in time)."""
    _exam_staff_only(request)
    current = Paper.objects.select_related("school").filter(pk=paper_id).first()
    if current is None or not selectors.can_set_exams(request.user, current.school):
        raise Http404
    form = SittingForm(request.POST or None)
    opened: list[Any] = []
    if request.method == "POST" and run_service(
        form,
        lambda d: opened.append(
            papers.open_sitting(
                current, d["title"], d["opens_at"], d["closes_at"], request.user, d["slot"] or ""
            )
        ),
        "closes_at",
    ):
        return redirect("education:staff_sitting", sitting_id=opened[0].pk)
    context = {
        "paper": current,
        "items": current.items.select_related("question").order_by("position"),
        "sittings": current.sittings.order_by("opens_at"),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "education/setup/paper.html", context, status=status)
