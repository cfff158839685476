"""Recognition: a school applies; an officer checks the guidelines and decides, with audit."""

from __future__ import annotations

from typing import Any

import pytest

from pyithu.core.models import AuditEntry
from pyithu.education.errors import EducationError
from pyithu.education.models import Guideline, Review, School
from pyithu.education.schools.services import apply_school, decide_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def guidelines(db: Any) -> list[Guideline]:
    return [
        Guideline.objects.create(text_en="Students join with pseudonyms only", order=1),
        Guideline.objects.create(text_en="Staff accounts use two-factor login", order=2),
    ]


def test_a_school_is_recognised_when_every_guideline_is_met(
    nilar: Any, guidelines: list[Guideline]
) -> None:
    school = apply_school("Thanlwin Online School", kind="school", level="basic")
    assert school.status == School.Status.APPLIED
    decide_school(school, School.Status.RECOGNISED, nilar, met=[g.pk for g in guidelines])
    assert school.status == School.Status.RECOGNISED and school.decided_by == nilar
    assert AuditEntry.objects.filter(action="education.school_recognised").count() == 1


def test_recognition_is_refused_while_a_guideline_is_unmet(
    nilar: Any, guidelines: list[Guideline]
) -> None:
    school = apply_school("Chindwin Online School", kind="school", level="basic")
    with pytest.raises(EducationError) as refused:
        decide_school(school, School.Status.RECOGNISED, nilar, met=[guidelines[0].pk])
    assert "1 missing" in str(refused.value.message)
    school.refresh_from_db()
    assert school.status == School.Status.APPLIED and Review.objects.count() == 0


def test_only_an_officer_or_the_schools_admin_decides(
    alice: Any, may: Any, guidelines: list[Guideline]
) -> None:
    school = apply_school("Sittaung Online School", kind="school", level="basic")
    for person in (alice, may):
        with pytest.raises(EducationError):
            decide_school(school, School.Status.SUSPENDED, person)
    school.refresh_from_db()
    assert school.status == School.Status.APPLIED


def test_a_recognised_school_can_be_suspended(nilar: Any, spring_school: School) -> None:
    decide_school(spring_school, School.Status.SUSPENDED, nilar)
    assert spring_school.status == School.Status.SUSPENDED
