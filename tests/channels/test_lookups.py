"""The look-ups every channel shares: one answer per code, the services' own refusals."""

from __future__ import annotations

from typing import Any

import pytest

from pyithu.accounts.models import Role, User
from pyithu.channels import lookups
from pyithu.education.exams.services import exams
from pyithu.education.models import Application, School, Sitting
from pyithu.health.models import Consultation
from pyithu.health.services import community

pytestmark = pytest.mark.django_db


def test_status_is_a_booking_else_an_application(
    mya_booking: tuple[Consultation, str], aung_application: str
) -> None:
    # given Mya's booking code and Ko Aung's application code
    case, code = mya_booking

    # when each asks "my status"
    by_booking = lookups.status(code, "test:mya")
    by_application = lookups.status(aung_application, "test:aung")

    # then the booking is found by its code, the application by its own
    assert isinstance(by_booking, Consultation) and by_booking.pk == case.pk
    assert isinstance(by_application, Application)
    assert by_application.school.slug == "spring"
    assert by_application.status == Application.Status.PENDING


def test_a_wrong_code_gets_the_services_refusal() -> None:
    # when someone asks with a code that matches nothing
    with pytest.raises(lookups.NotFound) as refused:
        lookups.status("ABCD-EFGH-JKMN", "test:stranger")

    # then the refusal is the admission service's own words, and not an unreleased result
    assert str(refused.value.message) != ""
    assert refused.value.not_released is False


def test_result_is_a_released_exam_result_else_an_application(
    hnin_code: str, aung_application: str
) -> None:
    # when Hnin asks for her released result and Ko Aung asks with his application code
    result = lookups.result(hnin_code)
    decision = lookups.result(aung_application)

    # then Hnin gets her score, Ko Aung his application
    assert isinstance(result, exams.Result)
    assert (result.number, result.score, result.total, result.passed) == (1, 2, 2, True)
    assert isinstance(decision, Application)


def test_an_exam_code_before_release_is_told_apart_from_a_wrong_one(
    sitting: Sitting, spring_school: School, nilar: User
) -> None:
    # given a registered candidate whose results are not released
    [(_number, code)] = exams.register_candidates(sitting, spring_school, 1, nilar)

    # when the candidate asks, and someone asks with a code no one was given
    with pytest.raises(lookups.NotFound) as early:
        lookups.result(code)
    with pytest.raises(lookups.NotFound) as wrong:
        lookups.exam_result("ZZZZ-ZZZZ-ZZZZ-ZZZZ")

    # then only the real code is "not released"
    assert early.value.not_released is True
    assert wrong.value.not_released is False


def test_health_answers_are_published_ones_up_to_the_limit(make_staff: Any) -> None:
    # given two answered questions about dengue and one still unanswered
    doctor = make_staff("doctor-thida", Role.DOCTOR, "health")
    for text in ("Is dengue dangerous for children?", "How does dengue spread?"):
        asked = community.ask_question(text, "en")
        community.answer_question(doctor, asked.pk, "Mosquitoes; see a doctor.")
    community.ask_question("Unanswered about dengue", "en")

    # when someone searches, asking for at most one, then for any, then with an overlong query
    one = lookups.health_answers("dengue", 1)
    every = lookups.health_answers("dengue", 10)
    overlong = lookups.health_answers("dengue " * 20 + "malaria", 10)

    # then only published answers come back, no more than asked, and the query is cut short
    # (at 100 characters: "malaria", which no answer holds, is beyond them)
    assert len(one) == 1
    assert sorted(q.question for q in every) == [
        "How does dengue spread?",
        "Is dengue dangerous for children?",
    ]
    assert len(overlong) == 2
