"""Holistic grades: exact weighted arithmetic, one rounding (half up), letters and the pass."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education.classes.services import classes, grades
from pyithu.education.errors import EducationError
from pyithu.education.models import CourseResult, Enrolment, Section


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(Fraction(149, 2), 75), (Fraction(7449, 100), 74), (Fraction(0), 0), (Fraction(100), 100)],
)
def test_rounding_is_half_up_once(value: Fraction, rounded: int) -> None:
    assert grades.round_half_up(value) == rounded


def test_a_grade_weights_each_part_and_leaves_out_parts_with_no_data(
    section: Section, enrolled: Enrolment, su: User
) -> None:
    # Given a test mark of 33/40 and a participation mark of 7/10, nothing else yet
    classes.record_mark(enrolled, "test", "Quiz 1", 33, 40, su)
    classes.record_mark(enrolled, "participation", "Week 1", 7, 10, su)

    # When the grade is computed
    grade = grades.grade_of(enrolled)

    # Then only tests (40) and participation (20) share the whole: (40*33/40 + 20*7/10) / 60
    assert grade.exact == Fraction(40 * 33, 40 * 60) + Fraction(20 * 7, 10 * 60)
    assert grade.exact == Fraction(47, 60)
    assert (grade.percent, grade.letter, grade.passed) == (78, "B", True)
    assert (grade.assignments, grade.attendance) == (None, None)


def test_a_later_mark_with_the_same_title_corrects_the_earlier_one(
    enrolled: Enrolment, su: User
) -> None:
    classes.record_mark(enrolled, "test", "Quiz 1", 10, 40, su)
    classes.record_mark(enrolled, "test", "Quiz 1", 30, 40, su)
    assert grades.grade_of(enrolled).tests == Fraction(3, 4)


def test_missing_work_past_due_counts_zero_and_unmarked_work_waits(
    section: Section, enrolled: Enrolment, aung: User, su: User
) -> None:
    # Given two assignments: one past due with nothing handed in, one handed in and not marked
    now = timezone.now()
    missed = classes.create_assignment(section, "Essay", now - timedelta(days=1), su, max_marks=10)
    waiting = classes.create_assignment(
        section, "Poster", now + timedelta(days=1), su, max_marks=10
    )
    classes.submit(waiting, aung, "My poster")
    assert grades.grade_of(enrolled).assignments == Fraction(0)

    # When the second is marked 8/10
    classes.mark_submission(waiting.submissions.get(), 8, "", su)

    # Then the assignments part is 8 of 20
    assert grades.grade_of(enrolled).assignments == Fraction(8, 20)
    assert missed.submissions.count() == 0


def test_below_the_pass_mark_is_an_f_and_earns_no_credits(
    section: Section, enrolled: Enrolment, su: User
) -> None:
    classes.record_mark(enrolled, "test", "Final", 49, 100, su)
    results = grades.finalise(section, su)
    assert [(r.percent, r.letter, r.passed, r.credits) for r in results] == [(49, "F", False, 0)]
    section.refresh_from_db()
    assert section.finalised_at is not None


def test_grades_cannot_be_made_final_with_work_waiting_or_twice(
    section: Section, enrolled: Enrolment, aung: User, su: User
) -> None:
    task = classes.create_assignment(section, "Essay", timezone.now() + timedelta(days=1), su)
    classes.submit(task, aung, "Draft")
    with pytest.raises(EducationError, match=r"1 submissions are still waiting to be marked\."):
        grades.finalise(section, su)
    assert CourseResult.objects.count() == 0
    classes.mark_submission(task.submissions.get(), 6, "", su)
    grades.finalise(section, su)
    with pytest.raises(EducationError, match="already final"):
        grades.finalise(section, su)
    assert CourseResult.objects.count() == 1


def test_only_the_school_sets_weights_and_they_must_add_up_to_100(
    section: Section, su: User, thida: User
) -> None:
    with pytest.raises(EducationError, match="Only the school's administrators"):
        grades_weights(section, su, 25, 25, 25, 25)
    with pytest.raises(EducationError, match="add up to 100"):
        grades_weights(section, thida, 50, 30, 10, 20)
    section.refresh_from_db()
    assert (section.weight_tests, section.weight_assignments) == (40, 30)
    grades_weights(section, thida, 50, 20, 10, 20)
    section.refresh_from_db()
    assert (section.weight_tests, section.weight_assignments, section.pass_percent) == (50, 20, 60)


def grades_weights(section: Section, by: User, *weights: int) -> Any:
    tests, assignments, attendance, participation = weights
    return classes.set_weights(
        section,
        by,
        tests=tests,
        assignments=assignments,
        attendance=attendance,
        participation=participation,
        pass_percent=60,
    )


def test_the_grade_sheet_shows_weights_grades_and_the_attendance_flag(
    section: Section, enrolled: Enrolment, su: User, su_client: Any
) -> None:
    # Given Aung attended 2 of 3 sessions (67%)
    for day, status in enumerate(["present", "present", "absent"]):
        classes.take_attendance(section, date(2025, 6, 2 + day), {enrolled.pk: status}, su)

    # When Daw Su opens the grade sheet
    page = su_client.get(f"/education/staff/classes/{section.pk}/grades/")

    # Then the attendance is flagged and the grade is attendance alone: 2/3 -> 67% "B"
    html = page.content.decode()
    assert page.status_code == 200
    assert '67% <span class="tag">Below 75%</span>' in html
    assert "67% B" in html
    assert "tests 40%, assignments 30%, attendance 10%, participation 20%" in html
