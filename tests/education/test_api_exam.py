"""The exam through the API: start or resume by code, the current question, idempotent saves,
and every refusal a clear 4xx (never a 500) that changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.education.exams.services import papers
from pyithu.education.models import Answer, Attempt, IntegrityEvent, Question

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, payload, content_type="application/json")


@pytest.fixture
def thura(client_en: Client, codes: list[str]) -> Client:
    """Candidate Thura, logged in through the API on his phone."""
    started = _post(client_en, "/api/education/exam/login", {"code": codes[1]})
    assert started.status_code == 200
    assert started.json()["position"] == 1 and started.json()["questions"] == 3
    return client_en


def _choice_question() -> Question:
    return Question.objects.get(kind=Question.Kind.CHOICE)


def test_the_current_question_comes_with_options_and_time(thura: Client) -> None:
    response = thura.get("/api/education/exam/question")
    assert response.status_code == 200
    body = response.json()
    assert (body["n"], body["questions"], body["kind"]) == (1, 3, "choice")
    assert body["prompt"] == "Which river flows through Mandalay?"
    assert body["options"] == [
        {"index": 0, "text": "Ayeyarwady"},
        {"index": 1, "text": "Thanlwin"},
        {"index": 2, "text": "Chindwin"},
        {"index": 3, "text": "Sittaung"},
    ]
    assert (body["saved_choice"], body["saved_text"]) == (None, "")
    assert 29 * 60 < body["seconds_left"] <= 30 * 60


def test_a_save_is_idempotent_and_the_question_shows_it_and_moves_on(thura: Client) -> None:
    river = _choice_question()
    payload = {"question": str(river.pk), "choice": 2, "position": 1}
    for _send in range(3):  # a flaky link sends it three times
        saved = _post(thura, "/api/education/exam/answers", payload)
        assert saved.status_code == 200
        assert saved.json() == {"question": str(river.pk), "next_position": 2}
    assert [(a.choice, a.marks) for a in Answer.objects.all()] == [(2, 0)]
    # The current question is now the second; the first shows the saved choice
    assert thura.get("/api/education/exam/question").json()["n"] == 2
    first = thura.get("/api/education/exam/question?n=1").json()
    assert first["saved_choice"] == 2


def test_resuming_by_code_on_a_new_phone_returns_to_the_same_place(
    thura: Client, codes: list[str]
) -> None:
    river = _choice_question()
    _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 0})
    Attempt.objects.update(last_seen_at=timezone.now() - timedelta(minutes=3))
    phone = Client()
    resumed = _post(phone, "/api/education/exam/login", {"code": codes[1]})
    assert resumed.status_code == 200 and resumed.json()["position"] == 2
    assert phone.get("/api/education/exam/question").json()["prompt"] == "Our country is ____."


def test_an_answer_to_a_question_not_in_the_paper_is_a_400_and_logged(
    thura: Client, spring_school: Any, nilar: Any
) -> None:
    bank = papers.create_bank("Other", nilar, school=spring_school)
    stray = papers.add_question(bank, Question.Kind.FILL, "Capital?", accepted=["Naypyitaw"])
    refused = _post(thura, "/api/education/exam/answers", {"question": str(stray.pk), "text": "x"})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "This question is not part of your paper."}
    assert Answer.objects.count() == 0
    assert IntegrityEvent.objects.get().kind == IntegrityEvent.Kind.FOREIGN


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"choice": 7}, 400, "Choose one of the answers."),
        ({"choice": -1}, 400, "Choose one of the answers."),
        ({}, 400, "Choose one of the answers."),
        ({"choice": "two"}, 422, None),
    ],
)
def test_a_bad_choice_is_a_4xx_and_saves_nothing(
    thura: Client, payload: dict[str, Any], status: int, detail: str | None
) -> None:
    response = _post(
        thura, "/api/education/exam/answers", {"question": str(_choice_question().pk), **payload}
    )
    assert response.status_code == status
    if detail:
        assert response.json() == {"detail": detail}
    assert Answer.objects.count() == 0


def test_an_answer_after_time_is_up_is_a_409_and_the_saved_one_stays(thura: Client) -> None:
    river = _choice_question()
    _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 0})
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    late = _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 3})
    assert late.status_code == 409
    assert late.json() == {
        "detail": "The time for this paper is up. Answers saved before the end are kept."
    }
    assert [(a.choice, a.marks) for a in Answer.objects.all()] == [(0, 1)]
    assert IntegrityEvent.objects.get().kind == IntegrityEvent.Kind.LATE


def test_a_save_just_inside_the_grace_is_kept(thura: Client) -> None:
    # A save that left the phone as time ran out arrives five seconds late: still accepted
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=5))
    river = _choice_question()
    saved = _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 0})
    assert saved.status_code == 200 and Answer.objects.count() == 1


def test_a_handed_in_paper_takes_no_more_answers(thura: Client) -> None:
    Attempt.objects.update(submitted_at=timezone.now())
    river = _choice_question()
    refused = _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 0})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This paper has been handed in; answers can no longer change."
    }
    assert Answer.objects.count() == 0


def test_the_code_in_use_elsewhere_is_refused_and_the_old_phone_stops(
    thura: Client, codes: list[str]
) -> None:
    # While Thura is active, another phone is refused
    other = Client()
    assert _post(other, "/api/education/exam/login", {"code": codes[1]}).status_code == 400
    # After his phone went silent, a second phone takes over; the first can no longer save
    Attempt.objects.update(last_seen_at=timezone.now() - timedelta(minutes=3))
    assert _post(other, "/api/education/exam/login", {"code": codes[1]}).status_code == 200
    river = _choice_question()
    stale = _post(thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 1})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "This exam is now open on another device, so this one can no longer save."
    }
    assert Answer.objects.count() == 0
    kinds = sorted(IntegrityEvent.objects.values_list("kind", flat=True))
    assert kinds == ["two_places", "two_places"]


def test_without_a_login_every_exam_call_is_a_401(client: Client) -> None:
    assert client.get("/api/education/exam/question").status_code == 401
    answer = _post(client, "/api/education/exam/answers", {"question": "0" * 32, "choice": 1})
    assert answer.status_code == 401


@pytest.mark.parametrize("n", [0, -5, 99])
def test_a_place_outside_the_paper_is_clamped_not_a_500(thura: Client, n: int) -> None:
    response = thura.get(f"/api/education/exam/question?n={n}")
    assert response.status_code == 200
    assert response.json()["n"] == (1 if n < 1 else 3)


def test_a_wrong_code_is_a_400(client_en: Client, codes: list[str]) -> None:
    for code in ("AAAA-BBBB-CCCC-DDDD", "", "x" * 41):
        response = _post(client_en, "/api/education/exam/login", {"code": code})
        assert 400 <= response.status_code < 500
    assert Attempt.objects.count() == 0


def test_an_api_save_is_the_same_four_statements_as_the_page(thura: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    river = _choice_question()
    with CaptureQueriesContext(connection) as queries:
        saved = _post(
            thura, "/api/education/exam/answers", {"question": str(river.pk), "choice": 0}
        )
    assert saved.status_code == 200
    verbs = [
        q["sql"].split()[0].upper()
        for q in queries.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]
    assert verbs == ["SELECT", "SELECT", "UPDATE", "INSERT"]
