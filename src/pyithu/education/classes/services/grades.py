"""Holistic grades: tests, assignments, attendance and participation, weighted as the school set.

How a grade is made (exact arithmetic with ``Fraction``; one rounding, at the end):

* each component is a fraction from 0 to 1:
  - **tests**: the latest teacher-entered test mark of each title, linked exam results, and
    assignments counted as tests, as total marks over total maximum marks;
  - **assignments**: every assignment counted as an assignment that is marked, or past due with
    nothing handed in (0), as total marks over total maximum marks; unmarked work waits;
  - **attendance**: sessions present over sessions present or absent (excused ones do not count);
  - **participation**: the latest participation mark of each title, total over total;
* components with no data yet are left out and the remaining weights share the whole, so a
  grade mid-term is a fair picture of what has been assessed so far;
* the grade is ``sum(weight * component) / sum(weights used)``, as a percentage rounded half up
  to a whole number (74.5 -> 75, 74.49 -> 74); the letter and the pass use that whole number:
  a pass is at least the section's pass mark, and a grade below it is always "F".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.education.classes.services.classes import Attendance, attendance_of, can_teach
from pyithu.education.classes.services.rounding import round_half_up
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    Assignment,
    CourseResult,
    Enrolment,
    Mark,
    Section,
    Submission,
)

# The lowest whole percentage for each letter, highest first (below the pass mark: "F").
LETTERS: tuple[tuple[int, str], ...] = ((80, "A"), (65, "B"), (50, "C"), (40, "D"), (0, "E"))


def letter_for(percent: int, pass_percent: int) -> str:
    if percent < pass_percent:
        return "F"
    return next(letter for low, letter in LETTERS if percent >= low)


@dataclass(frozen=True)
class Grade:
    tests: Fraction | None
    assignments: Fraction | None
    attendance: Fraction | None
    participation: Fraction | None
    attendance_detail: Attendance
    exact: Fraction | None  # the weighted grade, 0..1, before rounding
    percent: int | None
    letter: str
    passed: bool

    @staticmethod
    def as_percent(part: Fraction | None) -> int | None:
        return None if part is None else round_half_up(part * 100)

    def components(self) -> list[tuple[str, int | None]]:
        return [
            ("tests", self.as_percent(self.tests)),
            ("assignments", self.as_percent(self.assignments)),
            ("attendance", self.as_percent(self.attendance)),
            ("participation", self.as_percent(self.participation)),
        ]


def _ratio(pairs: list[tuple[int, int]]) -> Fraction | None:
    total = sum(out_of for _score, out_of in pairs)
    return Fraction(sum(score for score, _o in pairs), total) if total else None


def _latest_marks(enrolment: Enrolment, kind: str) -> list[tuple[int, int]]:
    latest: dict[str, tuple[int, int]] = {}
    rows = Mark.objects.filter(enrolment=enrolment, kind=kind).order_by("created_at", "id")
    for title, candidate_id, score, out_of in rows.values_list(
        "title", "candidate_id", "score", "out_of"
    ):
        latest[f"exam:{candidate_id}" if candidate_id else title] = (score, out_of)
    return list(latest.values())


def _assignment_marks(enrolment: Enrolment, category: str, now: datetime) -> list[tuple[int, int]]:
    marks = dict(
        Submission.objects.filter(
            assignment__section=enrolment.section_id, student=enrolment.student_id
        ).values_list("assignment_id", "marks")
    )
    pairs = []
    for assignment in Assignment.objects.filter(section=enrolment.section_id, category=category):
        if assignment.pk in marks:
            if marks[assignment.pk] is not None:
                pairs.append((marks[assignment.pk], assignment.max_marks))
        elif assignment.due_at < now:
            pairs.append((0, assignment.max_marks))  # nothing handed in by the due time
    return pairs


def grade_of(enrolment: Enrolment, now: datetime | None = None) -> Grade:
    now = now or timezone.now()
    section = enrolment.section
    attendance = attendance_of(enrolment)
    tests = _ratio(
        _latest_marks(enrolment, Mark.Kind.TEST)
        + _assignment_marks(enrolment, Assignment.Category.TEST, now)
    )
    assignments = _ratio(_assignment_marks(enrolment, Assignment.Category.ASSIGNMENT, now))
    participation = _ratio(_latest_marks(enrolment, Mark.Kind.PARTICIPATION))
    parts = [
        (section.weight_tests, tests),
        (section.weight_assignments, assignments),
        (section.weight_attendance, attendance.rate),
        (section.weight_participation, participation),
    ]
    used = [(w, p) for w, p in parts if p is not None and w > 0]
    weight = sum(w for w, _p in used)
    exact = sum((w * p for w, p in used), Fraction(0)) / weight if weight else None
    percent = None if exact is None else round_half_up(exact * 100)
    letter = "" if percent is None else letter_for(percent, section.pass_percent)
    passed = percent is not None and percent >= section.pass_percent
    return Grade(
        tests,
        assignments,
        attendance.rate,
        participation,
        attendance,
        exact,
        percent,
        letter,
        passed,
    )


def grade_sheet(section: Section, now: datetime | None = None) -> list[tuple[Enrolment, Grade]]:
    enrolments = section.enrolments.select_related("section__course", "result").order_by(
        "created_at"
    )
    return [(e, grade_of(e, now)) for e in enrolments]


def unmarked_in(section: Section) -> int:
    return Submission.objects.filter(assignment__section=section, marks__isnull=True).count()


@transaction.atomic
def finalise(section: Section, by: Any, now: datetime | None = None) -> list[CourseResult]:
    """Fix every student's grade as a course result; a pass earns the course's credits."""
    if not can_teach(by, section):
        raise EducationError(_("Only this class's teachers may do this."))
    locked = Section.objects.select_for_update().select_related("course").get(pk=section.pk)
    if locked.finalised_at is not None:
        raise EducationError(_("The grades of this class are already final."))
    waiting = unmarked_in(locked)
    if waiting:
        raise EducationError(
            _("%(n)d submissions are still waiting to be marked.") % {"n": waiting}
        )
    results = []
    for enrolment, grade in grade_sheet(locked, now):
        attendance = grade.attendance_detail
        results.append(
            CourseResult.objects.create(
                enrolment=enrolment,
                percent=grade.percent or 0,
                letter=grade.letter or "F",
                passed=grade.passed,
                credits=locked.course.credits if grade.passed else 0,
                attendance_percent=attendance.percent,
                sessions_counted=attendance.counted,
                sessions_present=attendance.present,
                finalised_by=by,
            )
        )
    Section.objects.filter(pk=locked.pk).update(finalised_at=timezone.now())
    changed(Section, [locked.pk])
    passed = sum(1 for r in results if r.passed)
    audit.record(by, "education.grades_finalise", locked, summary=f"{passed}/{len(results)} passed")
    section.refresh_from_db()
    return results


def pending_counts(sections: list[Section]) -> dict[Any, int]:
    """Unmarked submissions per section, for the teacher's list."""
    rows = (
        Section.objects.filter(pk__in=[s.pk for s in sections])
        .annotate(
            n=Count(
                "assignments__submissions",
                filter=Q(assignments__submissions__marks__isnull=True),
            )
        )
        .values_list("pk", "n")
    )
    return dict(rows)
