"""The national exam (BECA): shuffled per candidate, one device per code, integrity signals."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education import selectors
from pyithu.education.exams.services import exams as service
from pyithu.education.exams.services import papers
from pyithu.education.models import Answer, Attempt, Question, School, Sitting
from tests.education.conftest import choices_shown, question_shown

pytestmark = pytest.mark.django_db

QUESTIONS = 12


@pytest.fixture
def beca(nilar: User) -> Sitting:
    bank = papers.create_bank("BECA 2025 general", nilar)
    questions = [
        papers.add_question(
            bank,
            Question.Kind.CHOICE,
            f"Question {i}",
            options=["A", "B", "C", "D"],
            correct_option=i % 4,
        )
        for i in range(QUESTIONS)
    ]
    paper = papers.create_paper("BECA 2025", questions, nilar, minutes=120, national=True)
    now = timezone.now()
    return papers.open_sitting(
        paper, "BECA 2025", now - timedelta(minutes=1), now + timedelta(hours=3), nilar, "morning"
    )


@pytest.fixture
def beca_codes(beca: Sitting, spring_school: School, nilar: User) -> list[str]:
    return [c for _n, c in service.register_candidates(beca, spring_school, 3, nilar)]


def _login(code: str) -> tuple[Client, Attempt]:
    client = Client()
    assert client.post("/education/exam/", {"code": code}).status_code == 302
    attempt = Attempt.objects.select_related("candidate__sitting__paper").get(
        candidate__code_digest=service.code_digest(code)
    )
    return client, attempt


def test_each_candidate_sees_their_own_stable_order(beca_codes: list[str]) -> None:
    # Given two candidates of the same paper
    _c1, first = _login(beca_codes[0])
    _c2, second = _login(beca_codes[1])
    # Then their question orders differ, and the same attempt always gets the same order
    assert selectors.question_order(first) != selectors.question_order(second)
    assert selectors.question_order(first) == selectors.question_order(first)
    assert sorted(selectors.question_order(first)) == sorted(selectors.question_order(second))
    question = Question.objects.get(prompt="Question 0")
    orders = {tuple(selectors.option_order(a, question)) for a in (first, second)}
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders)


def test_a_shuffled_page_still_saves_the_option_meant(beca_codes: list[str]) -> None:
    client, attempt = _login(beca_codes[0])
    page = client.get("/education/exam/q/1/")
    question = question_shown(page)
    shown = choices_shown(page)
    assert shown == selectors.option_order(attempt, question)
    client.post(
        "/education/exam/q/1/",
        {"question": str(question.pk), "choice": str(question.correct_option)},
    )
    assert Answer.objects.get().marks == 1


def test_resume_shows_the_same_question_at_the_same_place(beca_codes: list[str]) -> None:
    client, _attempt = _login(beca_codes[0])
    before = [question_shown(client.get(f"/education/exam/q/{n}/")).pk for n in (1, 2, 3)]
    Attempt.objects.update(last_seen_at=timezone.now() - timedelta(minutes=5))
    phone, _ = _login(beca_codes[0])
    after = [question_shown(phone.get(f"/education/exam/q/{n}/")).pk for n in (1, 2, 3)]
    assert before == after


def _sit(code: str, choices: dict[str, int], seconds_each: int) -> None:
    """A candidate answering every question, ``seconds_each`` apart (times set directly)."""
    _client, attempt = _login(code)
    start = attempt.started_at
    for i, question in enumerate(Question.objects.filter(prompt__startswith="Question ")):
        _direct(attempt, question, choices[question.prompt], start, i, seconds_each)


def _direct(
    attempt: Attempt, question: Question, choice: int, start: Any, i: int, gap: int
) -> None:
    Answer.objects.create(
        attempt=attempt,
        question=question,
        choice=choice,
        marks=service.auto_mark(question, choice, ""),
        saved_at=start + timedelta(seconds=gap * (i + 1)),
    )


def test_integrity_flags_shared_wrong_answers_and_impossible_speed(
    beca: Sitting, beca_codes: list[str]
) -> None:
    # Given two candidates with the same four wrong answers, and one honest candidate
    copied = {f"Question {i}": (i + 1) % 4 if i < 4 else i % 4 for i in range(QUESTIONS)}
    honest = {f"Question {i}": i % 4 for i in range(QUESTIONS)}
    _sit(beca_codes[0], copied, seconds_each=60)
    _sit(beca_codes[1], copied, seconds_each=1)
    _sit(beca_codes[2], honest, seconds_each=60)
    # When an officer reads the signals
    signals = selectors.integrity_signals(beca)
    # Then the copied pair is one group, and the one-second candidate is too fast
    assert signals.identical == [[1, 2]]
    assert signals.too_fast == [2]


def test_the_officer_sees_signals_on_the_sitting_page(
    client: Client, nilar: User, beca: Sitting, beca_codes: list[str], alice: User
) -> None:
    Client().post("/education/exam/", {"code": beca_codes[0]})
    Client().post("/education/exam/", {"code": beca_codes[0]})  # second place: refused
    client.force_login(nilar)
    page = client.get(f"/education/staff/sittings/{beca.pk}/")
    assert page.status_code == 200
    assert page.context["integrity"].events == {"two_places": 1}
    client.force_login(alice)
    assert client.get(f"/education/staff/sittings/{beca.pk}/").status_code == 403


def test_a_page_drawn_for_one_candidate_shows_another_their_own_position(
    beca_codes: list[str],
) -> None:
    # Given two candidates whose shuffled papers put the same questions at other positions
    (c1, first), (c2, second) = _login(beca_codes[0]), _login(beca_codes[1])
    assert selectors.question_order(first) != selectors.question_order(second)
    # Then every page (drawn once per process per question) links and names their own place
    for client, attempt in ((c1, first), (c2, second)):
        for n in range(2, len(selectors.question_order(attempt)) + 1):
            html = client.get(f"/education/exam/q/{n}/").content.decode()
            assert f"next=/education/exam/q/{n}/" in html
            assert f'href="/education/exam/q/{n + 1}/"' in html
            assert f'href="/education/exam/q/{n - 1}/"' in html


def test_two_candidates_sending_the_same_cached_page_both_save(beca_codes: list[str]) -> None:
    # Given two candidates shown the same question from the page drawn once per process
    (c1, first), (c2, second) = _login(beca_codes[0]), _login(beca_codes[1])
    question = Question.objects.get(prompt="Question 0")
    pages = []
    for client, attempt in ((c1, first), (c2, second)):
        n = selectors.question_order(attempt).index(question.pk) + 1
        page = client.get(f"/education/exam/q/{n}/")
        assert question_shown(page) == question
        tokens = re.findall(r'name="form_once" value="([0-9a-f]{32})"', page.content.decode())
        pages.append((client, n, tokens))
    # Then each page carries its own one-time token (a drawn token would be everyone's)
    assert pages[0][2] and pages[1][2] and not set(pages[0][2]) & set(pages[1][2])
    # And when both send the page as a browser does, both answers are saved
    for client, n, tokens in pages:
        data = {"question": str(question.pk), "choice": "1", "form_once": tokens[0]}
        assert client.post(f"/education/exam/q/{n}/", data).status_code == 302
    assert Answer.objects.filter(question=question).count() == 2
