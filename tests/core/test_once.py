"""Every form post is done once, however often it arrives (decision 0086): the one-time token
that {% csrf_token %} writes is claimed before the view runs; a replay gets the first answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from pyithu.core.models import SubmittedForm
from pyithu.geo.models import Township
from pyithu.health.models import Consultation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_once" value="([0-9a-f]{32})"')


@pytest.fixture
def township(db: Any) -> Township:
    return Township.objects.active().order_by("pcode").first()


def _booking(township: Township, token: str, **extra: str) -> dict[str, str]:
    return {
        "symptoms": "ချောင်းဆိုးတာ နှစ်ပတ်ရှိပြီ",
        "urgency": "0",
        "age_band": "18-39",
        "sex": "female",
        "language": "my",
        "township": township.pcode,
        "form_once": token,
    } | extra


def test_every_post_form_carries_a_fresh_token(client_en: Client) -> None:
    first = TOKEN.findall(client_en.get("/health/book/").content.decode())
    second = TOKEN.findall(client_en.get("/health/book/").content.decode())
    assert first and second and set(first).isdisjoint(second)


def test_a_booking_sent_twice_is_done_once(client_en: Client, township: Township) -> None:
    token = TOKEN.findall(client_en.get("/health/book/").content.decode())[-1]
    first = client_en.post("/health/book/", _booking(township, token))
    assert first.status_code == 200 and "code" in first.context
    again = client_en.post("/health/book/", _booking(township, token))
    assert again.status_code == 200
    assert "Already received" in again.content.decode()
    assert Consultation.objects.count() == 1
    # The database keeps a digest of the token, never the token
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_digest FROM core_submittedform")
        (digest,) = cursor.fetchone()
    assert token not in digest


def test_a_refused_form_gives_its_token_back(client_en: Client, township: Township) -> None:
    token = "a" * 32
    refused = client_en.post("/health/book/", _booking(township, token, sex=""))
    assert refused.status_code == 400
    assert not SubmittedForm.objects.exists()
    done = client_en.post("/health/book/", _booking(township, token))
    assert done.status_code == 200 and Consultation.objects.count() == 1


def test_a_redirect_is_repeated_and_its_location_sealed(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    token = "b" * 32
    first = client.post("/accounts/logout/", {"form_once": token})
    assert first.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT location FROM core_submittedform")
        (stored,) = cursor.fetchone()
    assert stored.startswith("sealed:")
    again = client.post("/accounts/logout/", {"form_once": token})
    assert again.status_code == 303 and again["Location"] == first["Location"]


def test_a_claim_left_by_a_killed_server_is_taken_over(
    client_en: Client, township: Township
) -> None:
    token = "c" * 32
    from pyithu.core import sealing

    claim = SubmittedForm.objects.create(key_digest=sealing.digest("form-once", token))
    # While fresh, a replay is told to wait (the first may still be running)
    waiting = client_en.post("/health/book/", _booking(township, token))
    assert waiting.status_code == 409 and waiting["Retry-After"]
    assert Consultation.objects.count() == 0
    # Once stale (its server died, its transaction rolled back), the next post does the work
    SubmittedForm.objects.filter(pk=claim.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5)
    )
    done = client_en.post("/health/book/", _booking(township, token))
    assert done.status_code == 200 and Consultation.objects.count() == 1
