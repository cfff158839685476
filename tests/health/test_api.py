"""The JSON API: booking and status by code (in the body), staff queue and claim."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import services as accounts
from pyithu.accounts.models import User
from pyithu.health.models import CaseStatus, Consultation

pytestmark = pytest.mark.django_db


def test_book_then_read_status_by_code(client: Client, township: Any) -> None:
    body = {
        "symptoms": "Rash on both arms",
        "age_band": "5-17",
        "sex": "male",
        "language": "en",
        "township": township.pcode,
    }
    created = client.post("/api/health/bookings", body, content_type="application/json")
    assert created.status_code == 201
    code = created.json()["code"]
    status = client.post(
        "/api/health/bookings/status", {"code": code}, content_type="application/json"
    )
    assert status.json() == {"status": "waiting", "clinic": "general", "messages": []}
    unknown = client.post(
        "/api/health/bookings/status",
        {"code": "aaaa-bbbb-cccc-dddd"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    assert "/api/health/bookings" in client.get("/api/openapi.json").content.decode()


def test_an_emergency_is_refused_by_the_api(client: Client, township: Any) -> None:
    body = {
        "symptoms": "x",
        "age_band": "60+",
        "sex": "female",
        "language": "my",
        "township": township.pcode,
        "red_flags": ["stroke"],
    }
    response = client.post("/api/health/bookings", body, content_type="application/json")
    assert response.status_code == 409 and response.json()["refusal"] == "emergency"
    assert Consultation.objects.count() == 0


def test_staff_queue_and_claim_need_a_doctor_token(
    book: Any, thida: User, kyaw: User, olivia: User
) -> None:
    case, _ = book()
    _t, thida_token = accounts.create_api_token(thida, "queue")
    _t, kyaw_token = accounts.create_api_token(kyaw, "queue")
    _t, olivia_token = accounts.create_api_token(olivia, "ops")
    client = Client()
    queue = client.get("/api/health/staff/queue", HTTP_AUTHORIZATION=f"Bearer {thida_token}")
    assert [item["reference"] for item in queue.json()] == [case.reference]
    assert client.get("/api/health/staff/queue").status_code == 401
    assert (
        client.get(
            "/api/health/staff/queue", HTTP_AUTHORIZATION=f"Bearer {olivia_token}"
        ).status_code
        == 403
    )
    url = f"/api/health/staff/cases/{case.pk}/claim"
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {kyaw_token}").status_code == 404
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {thida_token}").status_code == 200
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {thida_token}").status_code == 409
    case.refresh_from_db()
    assert (case.status, case.doctor) == (CaseStatus.OPEN, thida)
