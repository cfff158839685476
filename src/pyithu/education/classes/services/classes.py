"""Classes: courses, sections, enrolment, lessons, assignments and submissions, attendance.

Who may do what: a school's admins (``school_admin`` for the school's unit) and exam officers
set up courses and sections and set the grade weights; the section's teachers (listed on the
section and holding the ``teacher`` role for the school) enrol students, teach, take
attendance and mark; enrolled students read lessons and hand in work.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.accounts.models import Role, User
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.core.fields import sealed_storage
from pyithu.core.text import normalise_text
from pyithu.education.classes.services.rounding import round_half_up
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    Assignment,
    AttendanceRecord,
    Candidate,
    ClassSession,
    Course,
    Enrolment,
    Lesson,
    Mark,
    School,
    Section,
    Submission,
)

log = logging.getLogger("pyithu.education.classes")

MINISTRY = "education"
MAX_FILE_BYTES = 2 * 1024 * 1024  # lessons' attachments and submitted files
MAX_TEXT_CHARS = 20_000
# What may be attached or handed in: extension -> (stored type, leading bytes or None).
FILE_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK"),
}
ATTENDANCE_MINIMUM = Fraction(3, 4)  # the 75% rule


# --- who may act ----------------------------------------------------------------------------


def is_school_admin(user: Any, school: School) -> bool:
    return has_role(user, Role.EXAM_OFFICER, MINISTRY) or has_role(
        user, Role.SCHOOL_ADMIN, MINISTRY, unit=school.slug
    )


def is_teacher_of(user: Any, section: Section) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and section.teachers.filter(pk=user.pk).exists()
        and has_role(user, Role.TEACHER, MINISTRY, unit=section.course.school.slug)
    )


def can_teach(user: Any, section: Section) -> bool:
    return is_teacher_of(user, section) or is_school_admin(user, section.course.school)


def enrolment_of(user: Any, section: Section) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(section=section, student=user).first()


def _require_teacher(user: Any, section: Section) -> None:
    if not can_teach(user, section):
        raise EducationError(_("Only this class's teachers may do this."))


# --- courses and sections -------------------------------------------------------------------


@transaction.atomic
def create_course(
    school: School,
    code: str,
    title_en: str,
    by: Any,
    *,
    credits: int = 3,
    title_my: str = "",
    level: str = "",
    is_final_project: bool = False,
) -> Course:
    if not is_school_admin(by, school):
        raise EducationError(_("Only the school's administrators may add courses."))
    if not school.is_recognised:
        raise EducationError(_("Only a recognised school or university can offer courses."))
    code = normalise_text(code).upper()[:20]
    if not code:
        raise EducationError(_("Give the course a code."), "code")
    if Course.objects.filter(school=school, code=code).exists():
        raise EducationError(_("This school already has a course with this code."), "code")
    course = Course.objects.create(
        school=school,
        code=code,
        title_en=normalise_text(title_en)[:200],
        title_my=normalise_text(title_my)[:200],
        credits=credits,
        level=normalise_text(level)[:40],
        is_final_project=is_final_project,
    )
    audit.record(by, "education.course_create", course, summary=f"{school.slug} {code}")
    return course


@transaction.atomic
def create_section(course: Course, term: str, by: Any, teachers: Sequence[User] = ()) -> Section:
    if not is_school_admin(by, course.school):
        raise EducationError(_("Only the school's administrators may open classes."))
    for teacher in teachers:
        if not has_role(teacher, Role.TEACHER, MINISTRY, unit=course.school.slug):
            raise EducationError(_("Every teacher must hold the teacher role for this school."))
    section = Section.objects.create(course=course, term=normalise_text(term)[:40])
    section.teachers.set(teachers)
    audit.record(by, "education.section_create", section, summary=str(section))
    return section


@transaction.atomic
def set_weights(
    section: Section,
    by: Any,
    *,
    tests: int,
    assignments: int,
    attendance: int,
    participation: int,
    pass_percent: int,
) -> Section:
    """The school sets how the holistic grade is made: four percentages adding up to 100."""
    if not is_school_admin(by, section.course.school):
        raise EducationError(_("Only the school's administrators may set the grade weights."))
    weights = (tests, assignments, attendance, participation)
    if any(w < 0 for w in weights) or sum(weights) != 100:
        raise EducationError(_("The four weights must add up to 100."), "tests")
    if not 1 <= pass_percent <= 100:
        raise EducationError(_("The pass mark is a percentage from 1 to 100."), "pass_percent")
    if section.finalised_at:
        raise EducationError(_("The grades of this class are already final."))
    Section.objects.filter(pk=section.pk).update(
        weight_tests=tests,
        weight_assignments=assignments,
        weight_attendance=attendance,
        weight_participation=participation,
        pass_percent=pass_percent,
        updated_at=timezone.now(),
    )
    changed(Section, [section.pk])
    audit.record(by, "education.section_weights", section, summary=f"{weights} pass {pass_percent}")
    section.refresh_from_db()
    return section


@transaction.atomic
def enrol(section: Section, student: User, by: Any, township: Any = None) -> Enrolment:
    _require_teacher(by, section)
    if student.is_staff:
        raise EducationError(_("Enrol a student's own account, not a staff account."), "handle")
    if section.finalised_at:
        raise EducationError(_("The grades of this class are already final."))
    if Enrolment.objects.filter(section=section, student=student).exists():
        raise EducationError(_("This student is already in the class."), "handle")
    enrolment = Enrolment.objects.create(section=section, student=student, township=township)
    audit.record(by, "education.enrol", enrolment, summary=str(section))
    return enrolment


# --- lessons and files ----------------------------------------------------------------------


def check_file(upload: UploadedFile, field: str) -> tuple[str, str]:
    """A safe stored name and type for an upload, or a refusal (size, then type)."""
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise EducationError(_("The file must be 2 MB or smaller."), field)
    suffix = PurePath(upload.name or "").suffix.lower()
    kind = FILE_TYPES.get(suffix)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if kind is None or (kind[1] is not None and not head.startswith(kind[1])):
        raise EducationError(
            _("Send a PDF, PNG, JPEG, plain text, DOCX or ODT file."),
            field,
        )
    name = normalise_text(PurePath(upload.name or "file").name)[:120]
    return name, kind[0]


@transaction.atomic
def add_lesson(
    section: Section, title: str, body: str, by: Any, attachment: UploadedFile | None = None
) -> Lesson:
    _require_teacher(by, section)
    lesson = Lesson(
        section=section,
        title=normalise_text(title)[:200],
        body=normalise_text(body)[:MAX_TEXT_CHARS],
        created_by=by,
    )
    if attachment is not None:
        lesson.attachment_name, lesson.attachment_type = check_file(attachment, "attachment")
        lesson.attachment.save("attachment", attachment, save=False)
    lesson.save()
    audit.record(by, "education.lesson_add", lesson, summary=str(section))
    return lesson


def can_read(user: Any, section: Section) -> bool:
    return enrolment_of(user, section) is not None or can_teach(user, section)


# --- assignments and submissions ------------------------------------------------------------


@transaction.atomic
def create_assignment(
    section: Section,
    title: str,
    due_at: datetime,
    by: Any,
    *,
    max_marks: int = 10,
    category: str = Assignment.Category.ASSIGNMENT,
    allow_late: bool = False,
    instructions: str = "",
) -> Assignment:
    _require_teacher(by, section)
    if not 1 <= max_marks <= 1000:
        raise EducationError(_("Maximum marks must be from 1 to 1000."), "max_marks")
    assignment = Assignment.objects.create(
        section=section,
        title=normalise_text(title)[:200],
        instructions=normalise_text(instructions)[:MAX_TEXT_CHARS],
        due_at=due_at,
        max_marks=max_marks,
        category=category,
        allow_late=allow_late,
    )
    audit.record(by, "education.assignment_create", assignment, summary=str(section))
    return assignment


def submit(
    assignment: Assignment,
    student: Any,
    text: str,
    upload: UploadedFile | None = None,
    now: datetime | None = None,
) -> Submission:
    """Hand in (or replace) a student's work. After the due time it is refused, or accepted
    and marked late when the teacher allows late work; marked work is never replaced."""
    now = now or timezone.now()
    text = normalise_text(text or "")
    if enrolment_of(student, assignment.section) is None:
        raise EducationError(_("Only students of this class can hand in work."))
    if len(text) > MAX_TEXT_CHARS:
        raise EducationError(_("Your text is too long (at most 20,000 characters)."), "text")
    if not text and upload is None:
        raise EducationError(_("Write your answer or attach a file."), "text")
    late = now > assignment.due_at
    if late and not assignment.allow_late:
        raise EducationError(
            _("The due time for this assignment has passed; work can no longer be handed in."),
            "text",
        )
    file_meta = check_file(upload, "file") if upload is not None else None
    try:
        return _store_submission(assignment, student, text, upload, file_meta, late, now)
    except IntegrityError:  # two first hand-ins at once: the other one won
        raise EducationError(
            _("Your work was just handed in from elsewhere. Reload the page.")
        ) from None


@transaction.atomic
def _store_submission(
    assignment: Assignment,
    student: Any,
    text: str,
    upload: UploadedFile | None,
    file_meta: tuple[str, str] | None,
    late: bool,
    now: datetime,
) -> Submission:
    current = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, student=student)
        .first()
    )
    if current is not None and current.marks is not None:
        raise EducationError(_("Your work has been marked and can no longer be replaced."), "text")
    submission = current or Submission(assignment=assignment, student=student, submitted_at=now)
    old_file = current.file.name if current is not None and current.file else ""
    submission.text = text
    submission.submitted_at = now
    submission.late = late
    if current is not None:
        submission.versions = current.versions + 1
    if upload is not None and file_meta is not None:
        submission.file_name, submission.file_type = file_meta
        submission.file.save("submission", upload, save=False)
    else:
        submission.file, submission.file_name, submission.file_type = "", "", ""
    submission.save()
    if old_file:
        transaction.on_commit(lambda: sealed_storage.delete(old_file))
    return submission


@transaction.atomic
def mark_submission(submission: Submission, marks: int, feedback: str, by: Any) -> Submission:
    assignment = submission.assignment
    _require_teacher(by, assignment.section)
    if not 0 <= marks <= assignment.max_marks:
        raise EducationError(
            _("Marks must be from 0 to %(n)d.") % {"n": assignment.max_marks}, "marks"
        )
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    locked.marks = marks
    locked.feedback = normalise_text(feedback or "")[:MAX_TEXT_CHARS]
    locked.marked_by = by
    locked.marked_at = timezone.now()
    locked.save()
    audit.record(by, "education.submission_mark", locked, summary=f"{marks}/{assignment.max_marks}")
    return locked


def marking_queue(user: Any) -> list[Submission]:
    """Unmarked work in the sections this user teaches, oldest first."""
    rows = (
        Submission.objects.filter(marks__isnull=True, assignment__section__teachers=user)
        .select_related("assignment__section__course__school")
        .order_by("submitted_at")[:200]
    )
    return [s for s in rows if can_teach(user, s.assignment.section)]


# --- attendance -----------------------------------------------------------------------------


@transaction.atomic
def take_attendance(
    section: Section, held_on: date, statuses: dict[Any, str], by: Any, topic: str = ""
) -> ClassSession:
    """Open a class session and record everyone's attendance (every enrolment, once)."""
    _require_teacher(by, section)
    enrolments = {str(e.pk): e for e in section.enrolments.all()}
    given = {str(k): v for k, v in statuses.items()}
    if set(given) != set(enrolments) or not set(given.values()) <= set(
        AttendanceRecord.Status.values
    ):
        raise EducationError(_("Mark every student present, absent or excused."))
    session = ClassSession.objects.create(
        section=section, held_on=held_on, topic=normalise_text(topic)[:200]
    )
    records = AttendanceRecord.objects.bulk_create(
        AttendanceRecord(session=session, enrolment=enrolments[k], status=v, recorded_by=by)
        for k, v in sorted(given.items())
    )
    changed(AttendanceRecord, [r.pk for r in records])
    audit.record(by, "education.attendance_take", session, summary=f"{len(given)} students")
    return session


@transaction.atomic
def correct_attendance(
    session: ClassSession, enrolment: Enrolment, status: str, by: Any
) -> AttendanceRecord:
    """A correction is a new record; the latest one for the session counts."""
    _require_teacher(by, session.section)
    if enrolment.section_id != session.section_id or status not in AttendanceRecord.Status.values:
        raise EducationError(_("Mark every student present, absent or excused."))
    record = AttendanceRecord.objects.create(
        session=session, enrolment=enrolment, status=status, recorded_by=by
    )
    audit.record(by, "education.attendance_correct", record, summary=status)
    return record


@dataclass(frozen=True)
class Attendance:
    present: int
    absent: int
    excused: int

    @property
    def counted(self) -> int:
        """Sessions that count: excused absences do not."""
        return self.present + self.absent

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.present, self.counted) if self.counted else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round_half_up(self.rate * 100)

    @property
    def flagged(self) -> bool:
        """Below 75% (compared exactly, before any rounding)."""
        return self.rate is not None and self.rate < ATTENDANCE_MINIMUM


def attendance_of(enrolment: Enrolment) -> Attendance:
    latest: dict[Any, str] = {}
    for session_id, status in (
        AttendanceRecord.objects.filter(enrolment=enrolment)
        .order_by("created_at", "id")
        .values_list("session_id", "status")
    ):
        latest[session_id] = status
    counts = {s: 0 for s in AttendanceRecord.Status.values}
    for status in latest.values():
        counts[status] += 1
    return Attendance(counts["present"], counts["absent"], counts["excused"])


# --- teacher-entered marks and linked exam results ------------------------------------------


@transaction.atomic
def record_mark(
    enrolment: Enrolment, kind: str, title: str, score: int, out_of: int, by: Any
) -> Mark:
    _require_teacher(by, enrolment.section)
    if kind not in Mark.Kind.values:
        raise EducationError(_("Choose test or participation."), "kind")
    if out_of < 1 or not 0 <= score <= out_of:
        raise EducationError(_("The score must be from 0 to the marks it is out of."), "score")
    if enrolment.section.finalised_at:
        raise EducationError(_("The grades of this class are already final."))
    mark = Mark.objects.create(
        enrolment=enrolment,
        kind=kind,
        title=normalise_text(title)[:120] or kind,
        score=score,
        out_of=out_of,
        recorded_by=by,
    )
    audit.record(by, "education.mark_record", mark, summary=f"{kind} {score}/{out_of}")
    return mark


@transaction.atomic
def link_exam_result(enrolment: Enrolment, code: str, by: Any) -> Mark:
    """The student adds a released exam result to the class's tests with their exam code."""
    from pyithu.education.exams.services.exams import code_digest, result_for_code

    if enrolment.student_id != getattr(by, "pk", None):
        raise EducationError(_("Only the student may add their own exam result."), "code")
    outcome = result_for_code(code)  # refuses unknown codes and unreleased results
    candidate = Candidate.objects.get(code_digest=code_digest(code))
    if candidate.sitting.paper.school_id not in (None, enrolment.section.course.school_id):
        raise EducationError(_("This exam was not set by this class's school."), "code")
    if Mark.objects.filter(candidate=candidate).exists():
        raise EducationError(_("This exam result has already been added to a class."), "code")
    if enrolment.section.finalised_at:
        raise EducationError(_("The grades of this class are already final."), "code")
    mark = Mark.objects.create(
        enrolment=enrolment,
        kind=Mark.Kind.TEST,
        title=outcome.sitting[:120],
        score=outcome.score,
        out_of=max(outcome.total, 1),
        candidate=candidate,
        recorded_by=by,
    )
    audit.record(by, "education.exam_link", mark, summary=str(enrolment.section))
    return mark
