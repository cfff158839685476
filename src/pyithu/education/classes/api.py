"""The education API for classes: my sections, a section's lessons and assignments, handing in
work (text), and my grade and attendance. The same services and rules as the pages.

Students use their signed-in session (CSRF-checked), staff and integrations a bearer token. A
section, lesson list or assignment the caller is not in (as a student or its teacher) answers
404, as the pages do, so an id reveals nothing. Handing in after the due time, or replacing
work already marked, answers 409: the request was fine, the assignment no longer takes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.core.schema import Text
from pyithu.education.classes.services import classes as service
from pyithu.education.classes.services import grades
from pyithu.education.classes.services.classes import MAX_TEXT_CHARS
from pyithu.education.errors import EducationError
from pyithu.education.models import Assignment, Section, Submission

router = Router(tags=["education"])
AUTH = [ApiTokenAuth(), django_auth]
MAX_SECTIONS = 200


class SectionOut(Schema):
    id: UUID
    course: str  # the course code
    title: str
    school: str  # the school's short name
    term: str
    credits: int
    role: str  # "student" or "teacher"


class LessonOut(Schema):
    id: UUID
    title: str
    body: str
    attachment: str  # the file's name ("" when none); fetched from the lesson page
    created_at: datetime


class WorkOut(Schema):
    submitted_at: datetime
    late: bool
    versions: int
    marks: int | None
    feedback: str


class AssignmentOut(Schema):
    id: UUID
    title: str
    instructions: str
    due_at: datetime
    max_marks: int
    category: str
    allow_late: bool
    mine: WorkOut | None  # the caller's own work (students)


class WorkIn(Schema):
    text: Text(MAX_TEXT_CHARS) = ""  # type: ignore[valid-type]


class MarkOut(Schema):
    kind: str
    title: str
    score: int
    out_of: int


class AttendanceOut(Schema):
    present: int
    absent: int
    excused: int
    percent: int | None
    below_75: bool


class ProgressOut(Schema):
    section: UUID
    attendance: AttendanceOut
    tests: int | None  # each part as a whole percentage (None: nothing assessed yet)
    assignments: int | None
    attendance_part: int | None
    participation: int | None
    weights: dict[str, int]
    percent: int | None
    letter: str
    passed: bool
    final: bool  # True once the teacher made the grades final
    marks: list[MarkOut]  # every mark entered, oldest first (a correction is a newer row)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _readable(request: HttpRequest, section_id: UUID) -> Section:
    section = Section.objects.select_related("course__school").filter(pk=section_id).first()
    if section is None or not service.can_read(_user(request), section):
        raise HttpError(404, "No class of yours has this id.")
    return section


def _work(submission: Submission | None) -> dict[str, Any] | None:
    if submission is None:
        return None
    return {
        "submitted_at": submission.submitted_at,
        "late": submission.late,
        "versions": submission.versions,
        "marks": submission.marks,
        "feedback": submission.feedback if submission.marks is not None else "",
    }


def _assignment(task: Assignment, mine: Submission | None) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "instructions": task.instructions,
        "due_at": task.due_at,
        "max_marks": task.max_marks,
        "category": task.category,
        "allow_late": task.allow_late,
        "mine": _work(mine),
    }


@router.get("/classes", response=list[SectionOut], auth=AUTH, summary="My classes")
def my_sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections the caller is enrolled in, then those they teach."""
    user = _user(request)
    learning = Section.objects.filter(enrolments__student=user)
    teaching = [
        s
        for s in Section.objects.filter(teachers=user).select_related("course__school")[
            :MAX_SECTIONS
        ]
        if service.can_teach(user, s)
    ]
    rows = [(s, "student") for s in learning.select_related("course__school")[:MAX_SECTIONS]]
    rows += [(s, "teacher") for s in teaching]
    return [
        {
            "id": s.pk,
            "course": s.course.code,
            "title": s.course.title_en,
            "school": s.course.school.slug,
            "term": s.term,
            "credits": s.course.credits,
            "role": role,
        }
        for s, role in rows
    ]


@router.get(
    "/classes/{section_id}/lessons",
    response=list[LessonOut],
    auth=AUTH,
    summary="A class's lessons, oldest first",
)
def lessons(request: HttpRequest, section_id: UUID) -> list[dict[str, Any]]:
    section = _readable(request, section_id)
    return [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "body": lesson.body,
            "attachment": lesson.attachment_name if lesson.attachment else "",
            "created_at": lesson.created_at,
        }
        for lesson in section.lessons.order_by("created_at")
    ]


@router.get(
    "/classes/{section_id}/assignments",
    response=list[AssignmentOut],
    auth=AUTH,
    summary="A class's assignments by due time, with the caller's own work",
)
def assignments(request: HttpRequest, section_id: UUID) -> list[dict[str, Any]]:
    section = _readable(request, section_id)
    mine = {
        s.assignment_id: s
        for s in Submission.objects.filter(assignment__section=section, student=_user(request).pk)
    }
    return [_assignment(a, mine.get(a.pk)) for a in section.assignments.order_by("due_at")]


@router.post(
    "/classes/assignments/{assignment_id}/work",
    response={201: WorkOut},
    auth=AUTH,
    summary="Hand in (or replace before the due time) text work for an assignment",
)
def hand_in(request: HttpRequest, assignment_id: UUID, payload: WorkIn) -> tuple[int, Any]:
    """404: not a student of this class. 400: empty or too long. 409: the due time has passed
    (and late work is not accepted), or the work is already marked."""
    user = _user(request)
    task = (
        Assignment.objects.select_related("section__course__school")
        .filter(pk=assignment_id)
        .first()
    )
    if task is None or service.enrolment_of(user, task.section) is None:
        raise HttpError(404, "No assignment of yours has this id.")
    try:
        work = service.submit(task, user, payload.text)
    except EducationError as exc:
        raise HttpError(409 if _closed(task, user) else 400, str(exc.message)) from exc
    return 201, _work(work)


def _closed(task: Assignment, user: Any) -> bool:
    """Does the assignment no longer take this student's work (rather than the work being
    wrong)?"""
    past_due = timezone.now() > task.due_at and not task.allow_late
    marked = Submission.objects.filter(assignment=task, student=user, marks__isnull=False).exists()
    return past_due or marked


@router.get(
    "/classes/{section_id}/progress",
    response=ProgressOut,
    auth=AUTH,
    summary="My grade so far and my attendance in a class (students)",
)
def progress(request: HttpRequest, section_id: UUID) -> dict[str, Any]:
    section = _readable(request, section_id)
    enrolment = service.enrolment_of(_user(request), section)
    if enrolment is None:  # its teacher: the grade sheet is on the staff page
        raise HttpError(404, "You are not a student of this class.")
    grade = grades.grade_of(enrolment)
    attendance = grade.attendance_detail
    parts = dict(grade.components())
    marks = enrolment.marks.order_by("created_at", "id")
    return {
        "section": section.pk,
        "attendance": {
            "present": attendance.present,
            "absent": attendance.absent,
            "excused": attendance.excused,
            "percent": attendance.percent,
            "below_75": attendance.flagged,
        },
        "tests": parts["tests"],
        "assignments": parts["assignments"],
        "attendance_part": parts["attendance"],
        "participation": parts["participation"],
        "weights": {
            "tests": section.weight_tests,
            "assignments": section.weight_assignments,
            "attendance": section.weight_attendance,
            "participation": section.weight_participation,
            "pass": section.pass_percent,
        },
        "percent": grade.percent,
        "letter": grade.letter,
        "passed": grade.passed,
        "final": section.finalised_at is not None,
        "marks": [
            {"kind": m.kind, "title": m.title, "score": m.score, "out_of": m.out_of} for m in marks
        ],
    }
