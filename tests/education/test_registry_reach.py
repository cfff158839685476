"""Reach of admissions and exams: by the township of a school that serves only one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pyithu.core import reach
from pyithu.education.admissions.reach import (
    national_candidates,
    school_applications,
    school_candidates,
    university_applications,
)
from pyithu.education.exams.services import papers
from pyithu.education.exams.services.exams import register_candidates
from pyithu.education.models import Application, School, Sitting, Voucher
from pyithu.geo.models import Township

pytestmark = pytest.mark.django_db

HAKHA, HLAING = "MMR004002", "MMR013040"


def _application(school: School, n: int, township: Township | None = None) -> None:
    from pyithu.education.models import Recommender

    recommender = Recommender.objects.create(kind="council", name="Union")
    voucher = Voucher.objects.create(recommender=recommender, code_digest=f"v{n}")
    Application.objects.create(
        pseudonym="P",
        school=school,
        programme="G",
        voucher=voucher,
        code_digest=f"a{n}",
        township=township,
    )


def test_applications_are_placed_by_a_single_township_school(spring_school: School) -> None:
    # Given Spring serving Hakha only, and a university serving two townships
    spring_school.townships.set(Township.objects.filter(pcode=HAKHA))
    wide = School.objects.create(
        slug="wide", name_en="Wide University", kind="university", status="recognised"
    )
    wide.townships.set(Township.objects.filter(pcode__in=[HAKHA, HLAING]))
    for n in range(3):
        _application(spring_school, n)
    _application(wide, 9)
    month = date.today().replace(day=1)
    # Then the three Spring applicants count in Hakha; the wide university's cannot be placed
    assert list(school_applications(None, None)) == [reach.ReachCount(HAKHA, month, 3)]
    assert list(university_applications(None, None)) == []
    # And a period before them counts nothing
    assert list(school_applications(None, date.today() - timedelta(days=40))) == []


def test_candidates_count_in_the_month_their_sitting_opens(
    sitting: Sitting, spring_school: School, nilar: Any
) -> None:
    spring_school.townships.set(Township.objects.filter(pcode=HLAING))
    register_candidates(sitting, spring_school, 4, nilar)
    month = sitting.opens_at.astimezone(timezone.get_current_timezone()).date().replace(day=1)
    assert list(school_candidates(None, None)) == [reach.ReachCount(HLAING, month, 4)]
    assert list(national_candidates(None, None)) == []
    beca = papers.create_paper("BECA", list(sitting.paper.questions.all()), nilar, national=True)
    national = papers.open_sitting(
        beca, "BECA", sitting.opens_at, sitting.closes_at, nilar, "morning"
    )
    register_candidates(national, spring_school, 2, nilar)
    assert list(national_candidates(None, None)) == [reach.ReachCount(HLAING, month, 2)]


def test_the_providers_are_registered_under_the_catalogue_services() -> None:
    keys = {source.key for source in reach.sources()}
    assert {
        "basic-education:admissions",
        "online-higher-education:admissions",
        "beca-exam",
        "basic-education:exams",
    } <= keys


def test_a_township_given_by_the_applicant_places_them_before_the_school(
    spring_school: School,
) -> None:
    # Given Spring serving Hakha only and a university serving two townships
    spring_school.townships.set(Township.objects.filter(pcode=HAKHA))
    wide = School.objects.create(
        slug="wide", name_en="Wide University", kind="university", status="recognised"
    )
    wide.townships.set(Township.objects.filter(pcode__in=[HAKHA, HLAING]))
    hlaing = Township.objects.get(pcode=HLAING)
    # When two Spring applicants give Hlaing, one gives nothing, and a university one Hlaing
    _application(spring_school, 1, hlaing)
    _application(spring_school, 2, hlaing)
    _application(spring_school, 3)
    _application(wide, 4, hlaing)
    _application(wide, 5)
    month = date.today().replace(day=1)
    # Then their own township counts; the silent one falls back to the school's; the
    # university applicant without a township still cannot be placed
    assert list(school_applications(None, None)) == [
        reach.ReachCount(HAKHA, month, 1),
        reach.ReachCount(HLAING, month, 2),
    ]
    assert list(university_applications(None, None)) == [reach.ReachCount(HLAING, month, 1)]


def test_a_township_chosen_at_registration_places_the_candidates(
    sitting: Sitting, spring_school: School, nilar: Any, client_en: Any
) -> None:
    # Given Spring serving two townships (so it cannot place candidates itself)
    spring_school.townships.set(Township.objects.filter(pcode__in=[HAKHA, HLAING]))
    officer = client_en
    officer.force_login(nilar)
    url = f"/education/staff/sittings/{sitting.pk}/"
    # When the officer registers three candidates from Hakha on the page, and two with none
    for count, township in ((3, HAKHA), (2, "")):
        response = officer.post(
            url,
            {
                "action": "register",
                "school": spring_school.pk,
                "count": count,
                "township": township,
            },
        )
        assert response.status_code == 200
    # Then the three count in Hakha and the two are left out
    assert sorted(sitting.candidates.values_list("number", "township__pcode")) == [
        (1, HAKHA),
        (2, HAKHA),
        (3, HAKHA),
        (4, None),
        (5, None),
    ]
    month = sitting.opens_at.astimezone(timezone.get_current_timezone()).date().replace(day=1)
    assert list(school_candidates(None, None)) == [reach.ReachCount(HAKHA, month, 3)]
