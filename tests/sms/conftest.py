"""SMS fixtures: a fake gateway on a local port, the webhook token, and real records to ask
about (Mya's booking, Hnin's released national-exam result, Ko Aung's application)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import Role, User
from pyithu.education.admissions.services import admissions
from pyithu.education.exams.services import exams, papers
from pyithu.education.models import Question, School, Sitting
from pyithu.geo.models import Township
from pyithu.health.models import Consultation
from pyithu.health.services import booking
from pyithu.sms.fake_gateway import FakeGateway

INBOUND_TOKEN = "inbound-secret"
MYA = "+959450011111"
HNIN = "+959790022222"


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeGateway]:
    """The fake gateway, running, with the platform pointed at it."""
    fake = FakeGateway(token="gateway-secret").start()
    settings.PYITHU_SMS_GATEWAY_URL = fake.url
    settings.PYITHU_SMS_GATEWAY_TOKEN = "gateway-secret"
    settings.PYITHU_SMS_GATEWAY_TIMEOUT = 5
    settings.PYITHU_SMS_SEGMENT_PRICE = 15
    settings.PYITHU_SMS_INBOUND_TOKEN = INBOUND_TOKEN
    yield fake
    fake.stop()


@pytest.fixture
def webhook(gateway: FakeGateway) -> Any:
    """POST a text to /sms/inbound/ as the gateway does; returns the response."""
    client = Client()

    def post(sender: str, text: str, **extra: Any) -> Any:
        payload = {"from": sender, "text": text} | extra
        return client.post(
            "/sms/inbound/",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {INBOUND_TOKEN}",
        )

    return post


@pytest.fixture
def nilar(make_staff: Any) -> User:
    """The ministry's exam officer."""
    return make_staff("examofficer-nilar", Role.EXAM_OFFICER, "education")


@pytest.fixture
def spring_school(db: Any) -> School:
    return School.objects.create(
        slug="spring",
        name_en="Spring Online School",
        name_my="နွေဦး အွန်လိုင်းကျောင်း",
        status=School.Status.RECOGNISED,
    )


@pytest.fixture
def sitting(spring_school: School, nilar: User) -> Sitting:
    bank = papers.create_bank("Matriculation", nilar, school=spring_school)
    question = papers.add_question(
        bank,
        Question.Kind.CHOICE,
        "Which river flows through Mandalay?",
        options=["Ayeyarwady", "Thanlwin", "Chindwin", "Sittaung"],
        correct_option=0,
        marks=2,
    )
    paper = papers.create_paper(
        "Matriculation", [question], nilar, school=spring_school, minutes=30, pass_percent=50
    )
    now = timezone.now()
    return papers.open_sitting(
        paper, "National exam 2026", now - timedelta(hours=2), now + timedelta(hours=2), nilar
    )


@pytest.fixture
def hnin_code(sitting: Sitting, spring_school: School, nilar: User) -> str:
    """Hnin (candidate 1) sat the national exam, answered right; results are released."""
    [(_number, code)] = exams.register_candidates(sitting, spring_school, 1, nilar)
    attempt = exams.start_attempt(code, "hnin-phone")
    item = sitting.paper.items.order_by("position").first()
    exams.save_answer(attempt, "hnin-phone", item, choice=0, text="", next_position=2)
    exams.hand_in(attempt, "hnin-phone")
    Sitting.objects.filter(pk=sitting.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    sitting.refresh_from_db()
    exams.release_results(sitting, nilar)
    return code


@pytest.fixture
def mya_booking(db: Any) -> tuple[Consultation, str]:
    """Mya booked a consultation (no account); returns it and her booking code."""
    township = Township.objects.active().order_by("pcode").first()
    details = booking.Booking(
        symptoms="Cough for two weeks, mild fever at night.",
        age_band="18-39",
        sex="female",
        language="my",
        township=township,
    )
    return booking.book_consultation(details)


@pytest.fixture
def aung_application(spring_school: School, nilar: User) -> str:
    """Ko Aung applied to Spring school with a teacher's voucher; returns his application code."""
    recommender = admissions.register_recommender("teacher", "Daw Khin", nilar)
    [voucher] = admissions.issue_vouchers(recommender, 1, nilar)
    _application, code = admissions.apply(
        pseudonym="aung", school=spring_school, programme="Grade 10", voucher_code=voucher
    )
    return code
