"""Education fixtures: a recognised school, a question bank, a paper and an open sitting."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import Role, User
from pyithu.education.exams.services import papers
from pyithu.education.exams.services.exams import register_candidates
from pyithu.education.models import Paper, Question, School, Sitting
from tests.education.classroom import (  # noqa: F401  (fixtures for classes and programmes)
    aung,
    aung_client,
    course,
    enrolled,
    section,
    su,
    su_client,
    thida,
    university,
)

# "Myanmar" in Unicode, accepted for the fill-in question; candidates may type it in Zawgyi.
MYANMAR = "မြန်မာ"
MYANMAR_ZAWGYI = "\u103b\u1019\u1014\u1039\u1019\u102c"


@pytest.fixture
def nilar(make_staff: Any) -> User:
    """The ministry's exam officer."""
    return make_staff("examofficer-nilar", Role.EXAM_OFFICER, "education")


@pytest.fixture
def may(make_staff: Any) -> User:
    """A teacher at Spring School (ministry-wide grant, as the demo gives)."""
    return make_staff("teacher-may", Role.TEACHER, "education")


@pytest.fixture
def spring_school(db: Any) -> School:
    return School.objects.create(
        slug="spring", name_en="Spring Online School", status=School.Status.RECOGNISED
    )


@pytest.fixture
def questions(spring_school: School, nilar: User) -> list[Question]:
    bank = papers.create_bank("Grade 5 general", nilar, school=spring_school)
    return [
        papers.add_question(
            bank,
            Question.Kind.CHOICE,
            "Which river flows through Mandalay?",
            options=["Ayeyarwady", "Thanlwin", "Chindwin", "Sittaung"],
            correct_option=0,
        ),
        papers.add_question(
            bank, Question.Kind.FILL, "Our country is ____.", accepted=[MYANMAR, "Myanmar"]
        ),
        papers.add_question(bank, Question.Kind.SHORT, "Why do we vote? Explain briefly.", marks=4),
    ]


@pytest.fixture
def paper(questions: list[Question], spring_school: School, nilar: User) -> Paper:
    return papers.create_paper(
        "Grade 5 mid-term", questions, nilar, school=spring_school, minutes=30, pass_percent=50
    )


@pytest.fixture
def sitting(paper: Paper, nilar: User) -> Sitting:
    now = timezone.now()
    return papers.open_sitting(
        paper, "Mid-term", now - timedelta(minutes=5), now + timedelta(hours=2), nilar
    )


@pytest.fixture
def codes(sitting: Sitting, spring_school: School, nilar: User) -> list[str]:
    return [code for _n, code in register_candidates(sitting, spring_school, 3, nilar)]


@pytest.fixture
def hnin(client_en: Client, codes: list[str]) -> Client:
    """Candidate Hnin, logged in with the first code on her phone."""
    client_en.post("/education/exam/", {"code": codes[0]})
    return client_en


def question_shown(page: Any) -> Question:
    """The question a page shows, read from its form as the browser sends it back (pages are
    filled from a per-process cache, so the template context is not always there)."""
    match = re.search(r'name="question" value="([0-9a-f-]+)"', page.content.decode())
    assert match, page.content.decode()[:500]
    return Question.objects.get(pk=match.group(1))


def choices_shown(page: Any) -> list[int]:
    """The answer options in the order a page shows them."""
    return [int(v) for v in re.findall(r'name="choice" value="(\d+)"', page.content.decode())]
