"""Education look-ups and the public Q&A from the chat, and the webhook's checks."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from talk import MYA, Person

from pyithu.accounts.models import Role, User
from pyithu.chat.models import Chat
from pyithu.education.admissions.services import admissions
from pyithu.education.exams.services import exams, papers
from pyithu.education.models import Question as ExamQuestion
from pyithu.education.models import Recommender, School, Sitting
from pyithu.health.services import community

pytestmark = pytest.mark.django_db

HOOK = "/chat/telegram/hook-Secret_42/"


@pytest.fixture
def english(mya: Person) -> Person:
    mya.say("/start")
    mya.press("English")
    return mya


@pytest.fixture
def nilar(make_staff: Any) -> User:
    return make_staff("examofficer-nilar", Role.EXAM_OFFICER, "education")


@pytest.fixture
def school(db: Any) -> School:
    return School.objects.create(
        slug="spring", name_en="Spring Online School", status=School.Status.RECOGNISED
    )


def test_an_admission_status_by_code(english: Person, nilar: User, school: School) -> None:
    recommender = admissions.register_recommender(Recommender.Kind.TEACHER, "Daw Khin", nilar)
    voucher = admissions.issue_vouchers(recommender, 1, nilar)[0]
    _application, code = admissions.apply(
        pseudonym="Padauk", school=school, programme="Grade 6", voucher_code=voucher
    )
    reply = english.say(f"/admission {code.lower()}")
    assert reply.text.startswith("Spring Online School · Grade 6\nWaiting for the school\n\nWhat")
    assert Chat.objects.get().step == ""


def test_an_exam_result_by_code(english: Person, nilar: User, school: School) -> None:
    bank = papers.create_bank("Grade 5", nilar, school=school)
    question = papers.add_question(
        bank, ExamQuestion.Kind.CHOICE, "Which river?", options=["A", "B"], correct_option=0
    )
    paper = papers.create_paper("Mid-term", [question], nilar, school=school, minutes=30)
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, "Mid-term 2025", now - timedelta(hours=2), now - timedelta(hours=1), nilar
    )
    code = exams.register_candidates(sitting, school, 1, nilar)[0][1]
    english.say("/result")
    assert english.say(code).text == "Results for this exam have not been released yet."
    exams.release_results(Sitting.objects.get(), nilar)
    result = english.say(code).text
    assert result.startswith("Mid-term 2025 · Candidate 1\n0 / 1 · Not passed\n\nWhat")


def test_searching_the_public_questions(english: Person, make_staff: Any) -> None:
    doctor = make_staff("doctor-thida", Role.DOCTOR, "health")
    asked = community.ask_question("Is dengue fever dangerous for children?", "en")
    community.answer_question(doctor, asked.pk, "Yes: watch for bleeding and vomiting.")
    community.ask_question("Unanswered about dengue", "en")
    english.say("/search")
    reply = english.say("dengue")
    assert reply.text.startswith(
        "❓ Is dengue fever dangerous for children?\nYes: watch for bleeding and vomiting.\n\n"
        "More answers: https://pyithu.example/health/questions/\n"
    )
    assert english.say("/search malaria").text.startswith("No answers found. Try other words.")


def _update(telegram: Any, text: str) -> str:
    return json.dumps(telegram.update(MYA, text))


def test_the_webhook_answers_in_its_response(telegram: Any) -> None:
    client = Client()
    response = client.post(
        HOOK,
        _update(telegram, "/start"),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="hook-Secret_42",
    )
    assert response.status_code == 200
    assert response.json() == {
        "method": "sendMessage",
        "chat_id": MYA,
        "text": "ဘာသာစကား ရွေးပါ။ Choose your language.",
        "reply_markup": {
            "keyboard": [[{"text": "မြန်မာ"}], [{"text": "English"}]],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        },
    }
    assert Chat.objects.get().step == "language"


def test_the_webhook_refuses_wrong_secrets_and_junk(telegram: Any) -> None:
    client = Client()
    body = _update(telegram, "/start")
    header = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": "hook-Secret_42"}
    wrong_path = client.post("/chat/telegram/guess/", body, "application/json", **header)
    no_header = client.post(HOOK, body, content_type="application/json")
    wrong_header = client.post(
        HOOK, body, "application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="guess"
    )
    junk = client.post(HOOK, "{not json", "application/json", **header)
    shapeless = client.post(HOOK, '{"message": 5}', "application/json", **header)
    get = client.get(HOOK, **header)
    statuses = [r.status_code for r in (wrong_path, no_header, wrong_header, junk, shapeless, get)]
    assert statuses == [404, 403, 403, 400, 400, 405]
    assert Chat.objects.count() == 0


def test_the_webhook_is_closed_without_configuration(settings: Any, telegram: Any) -> None:
    settings.PYITHU_TELEGRAM_WEBHOOK_SECRET = ""
    response = Client().post(
        HOOK,
        _update(telegram, "/start"),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="hook-Secret_42",
    )
    assert response.status_code == 404


def test_the_webhook_ignores_edits_quietly(telegram: Any) -> None:
    update = {"update_id": 9, "edited_message": telegram.update(MYA, "hi")["message"]}
    response = Client().post(
        HOOK,
        json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="hook-Secret_42",
    )
    assert (response.status_code, response.content) == (200, b"")
    assert Chat.objects.count() == 0
