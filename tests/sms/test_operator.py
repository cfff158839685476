"""Operators see states, channels, parts and cost of outgoing messages: never who or what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pyithu.accounts import services as accounts
from pyithu.accounts.models import User
from pyithu.outbox import services as outbox
from pyithu.outbox.models import MessageState
from pyithu.sms.fake_gateway import DOWN, FakeGateway

from .conftest import MYA

pytestmark = pytest.mark.django_db


@pytest.fixture
def traffic(gateway: FakeGateway) -> None:
    """Three texts sent, one waiting on a gateway outage, one Telegram message not yet sent."""
    for body in ("Exam: secret result text", "Health: secret notice", "က" * 71):
        outbox.enqueue("sms", MYA, body)
    outbox.deliver_due()
    gateway.mode = DOWN
    outbox.enqueue("sms", MYA, "Admission: secret decision")
    outbox.deliver_due()
    outbox.enqueue("telegram", "@secret_handle", "secret chat text")


def _page(user: User, query: str = "") -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get(f"/sms/outbox/{query}")


def test_the_operator_sees_counts_and_costs_but_no_content(olivia: User, traffic: None) -> None:
    page = _page(olivia)
    assert page.status_code == 200
    rows = {
        name: (counts, total, item.segments, item.cost)
        for name, counts, total, item in page.context["rows"]
    }
    # queued, sending, sent, failed, expired; then all; parts; cost at 15 a part
    assert rows == {"sms": ([1, 0, 3, 0, 0], 4, 5, 75), "telegram": ([1, 0, 0, 0, 0], 1, 0, 0)}
    assert page.context["totals"] == [2, 0, 3, 0, 0]
    html = page.content.decode()
    for secret in ("secret", MYA, "959450011111", "က" * 10):
        assert secret not in html
    assert "GatewayUnavailable" in html


def test_the_list_filters_by_state_and_channel(olivia: User, traffic: None) -> None:
    queued = _page(olivia, "?state=queued")
    assert [m.channel for m in queued.context["messages"]] == ["telegram", "sms"]
    telegram = _page(olivia, "?channel=telegram&state=sent")
    assert list(telegram.context["messages"]) == []
    # Unknown filter values are ignored, not an error
    odd = _page(olivia, "?state=bogus&channel=<x>")
    assert odd.status_code == 200 and len(odd.context["messages"]) == 5
    # And a NUL character is refused at the gate before the page runs
    assert _page(olivia, "?state=%00bogus").status_code == 400
    assert {m.state for m in odd.context["messages"]} == {MessageState.QUEUED, MessageState.SENT}


def test_only_operators_may_look(make_staff: Any, alice: User, traffic: None) -> None:
    doctor = make_staff("doctor-thida", "doctor", "health")
    assert _page(doctor).status_code == 403
    assert _page(alice).status_code == 403
    anonymous = Client().get("/sms/outbox/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('accounts:login')}?next=/sms/outbox/"


def test_the_api_gives_operators_the_same_counts(
    olivia: User, make_staff: Any, traffic: None
) -> None:
    _t, token = accounts.create_api_token(olivia, "monitoring")
    response = Client().get("/api/sms/outbox", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "channel": "sms",
            "by_state": {"queued": 1, "sending": 0, "sent": 3, "failed": 0, "expired": 0},
            "total": 4,
            "segments": 5,
            "cost": 75,
        },
        {
            "channel": "telegram",
            "by_state": {"queued": 1, "sending": 0, "sent": 0, "failed": 0, "expired": 0},
            "total": 1,
            "segments": 0,
            "cost": 0,
        },
    ]
    assert "secret" not in response.content.decode()
    # And a doctor's token is refused
    _t, doctor_token = accounts.create_api_token(
        make_staff("doctor-thida", "doctor", "health"), "q"
    )
    refused = Client().get("/api/sms/outbox", HTTP_AUTHORIZATION=f"Bearer {doctor_token}")
    assert refused.status_code == 403
