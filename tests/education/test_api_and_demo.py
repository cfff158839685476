"""The education API (same services as the pages) and the demo data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import services as accounts
from pyithu.education import demo
from pyithu.education.models import Answer, Question, Sitting

pytestmark = pytest.mark.django_db


def _json(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, payload, content_type="application/json")


def test_recognised_schools_are_listed(client: Client, spring_school: Any) -> None:
    response = client.get("/api/education/schools")
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()] == ["spring"]


def test_a_candidate_sits_through_the_api(client: Client, codes: list[str]) -> None:
    # When Hnin logs in with her code through the API
    started = _json(client, "/api/education/exam/login", {"code": codes[0]})
    assert started.status_code == 200 and started.json()["questions"] == 3
    # Then she can save an answer, and saving it again replaces it
    river = Question.objects.get(kind=Question.Kind.CHOICE)
    for choice in (1, 0):
        saved = _json(
            client,
            "/api/education/exam/answers",
            {"question": str(river.pk), "choice": choice, "position": 1},
        )
        assert saved.status_code == 200 and saved.json()["next_position"] == 2
    assert [(a.choice, a.marks) for a in Answer.objects.all()] == [(0, 1)]


def test_the_api_refuses_bad_codes_and_foreign_questions(
    client_en: Client, codes: list[str]
) -> None:
    client = client_en  # the refusal is checked in English; Burmese is the default
    assert _json(client, "/api/education/exam/login", {"code": "nope"}).status_code == 400
    no_session = _json(client, "/api/education/exam/answers", {"question": "0" * 32, "choice": 1})
    assert no_session.status_code == 401
    _json(client, "/api/education/exam/login", {"code": codes[0]})
    foreign = _json(client, "/api/education/exam/answers", {"question": "0" * 32, "choice": 1})
    assert foreign.status_code == 400
    assert foreign.json()["detail"] == "This question is not part of your paper."
    assert Answer.objects.count() == 0


def test_officers_read_sittings_and_integrity_with_a_token(
    client: Client, nilar: Any, sitting: Sitting, codes: list[str]
) -> None:
    _token, raw = accounts.create_api_token(nilar, "exam desk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/education/sittings", **auth)
    assert listed.status_code == 200
    assert [(s["title"], s["candidates"]) for s in listed.json()] == [("Mid-term", 3)]
    signals = client.get(f"/api/education/sittings/{sitting.pk}/integrity", **auth)
    assert signals.json() == {"identical": [], "too_fast": [], "events": {}}
    assert client.get("/api/education/sittings").status_code == 401


def test_demo_opens_a_sitting_and_prints_codes_once(make_staff: Any) -> None:
    lines = demo.load()
    assert lines[0].startswith("Education: exam at /education/exam/")
    assert len([line for line in lines if "candidate" in line]) == 3
    again = demo.load()  # codes are never printed twice (other topics add their own lines)
    assert again[0] == "Education: demo sitting exists; codes were printed when it was made."
    assert not any("candidate" in line for line in again)
