"""The survey API: listing, answering once, refusals as 4xx, results for the ministry only."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pyithu.accounts.models import Role
from pyithu.accounts.services import create_api_token
from pyithu.portal.models import Answer, SurveyResponse
from pyithu.portal.services.surveys import close_survey


def _post(client: Client, body: dict[str, Any], slug: str = "trust") -> Any:
    return client.post(
        f"/api/portal/surveys/{slug}/responses", body, content_type="application/json"
    )


def test_a_survey_is_listed_and_described(client: Client, trust_survey: Any) -> None:
    assert [s["slug"] for s in client.get("/api/portal/surveys").json()] == ["trust"]
    detail = client.get("/api/portal/surveys/trust").json()
    assert [q["key"] for q in detail["questions"]][:3] == ["used", "efficiency", "security"]
    assert detail["questions"][1]["kind"] == "likert"
    assert detail["questions"][1]["options"][0]["text_en"] == "High trust"
    assert client.get("/api/portal/surveys/nothing").status_code == 404


def test_answers_are_taken_once_per_account(
    alice: Any, client: Client, trust_survey: Any, options: dict
) -> None:
    # given alice signed in
    client.force_login(alice)
    body = {
        "answers": {
            "used": str(options["used", 1].pk),
            "township": "MMR013001",
            "comments": "fine",
        }
    }
    # when she answers through the API twice
    first = _post(client, body)
    second = _post(client, body)
    # then the second is refused with 409 and nothing more is saved
    assert first.status_code == 201
    assert second.status_code == 409
    assert "already answered" in second.json()["detail"]
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == 3


def test_bad_answers_are_400_and_save_nothing(
    client: Client, trust_survey: Any, options: dict
) -> None:
    wrong_option = _post(client, {"answers": {"used": str(options["efficiency", 1].pk)}})
    unknown_question = _post(client, {"answers": {"used": str(options["used", 1].pk), "x": "1"}})
    bad_township = _post(
        client, {"answers": {"used": str(options["used", 1].pk), "township": "MMR999"}}
    )
    missing = _post(client, {"answers": {}})
    not_json = client.post(
        "/api/portal/surveys/trust/responses", "{", content_type="application/json"
    )
    assert wrong_option.status_code == 400 and wrong_option.json()["field"] == "used"
    assert unknown_question.status_code == 400 and unknown_question.json()["field"] == "x"
    assert bad_township.status_code == 400 and bad_township.json()["field"] == "township"
    assert missing.status_code == 400 and missing.json()["field"] == "used"
    assert not_json.status_code in (400, 422)
    assert SurveyResponse.objects.count() == 0


def test_a_closed_survey_refuses_api_answers(
    client: Client, trust_survey: Any, options: dict, olivia: Any
) -> None:
    close_survey(trust_survey, olivia)
    response = _post(client, {"answers": {"used": str(options["used", 1].pk)}})
    assert response.status_code == 409
    assert response.json()["detail"] == "This survey is not open for answers."
    assert SurveyResponse.objects.count() == 0


def test_results_need_a_token_of_the_ministrys_operator(
    client: Client, trust_survey: Any, options: dict, make_staff: Any
) -> None:
    _post(client, {"answers": {"used": str(options["used", 1].pk)}})
    _token, mine = create_api_token(make_staff("op-comm", Role.OPERATOR, "communications"), "t")
    _token, theirs = create_api_token(make_staff("op-health", Role.OPERATOR, "health"), "t")
    url = "/api/portal/surveys/trust/results"
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 403
    results = client.get(url, HTTP_AUTHORIZATION=f"Bearer {mine}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert results[0]["key"] == "used"
    assert results[0]["shares"][0] == {"label": "Yes", "count": 1, "percent": "100.0"}


def test_the_openapi_document_lists_the_endpoints(client: Client, db: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/portal/surveys",
        "/api/portal/surveys/{slug}/responses",
        "/api/portal/surveys/{slug}/results",
        "/api/portal/feedback",
        "/api/portal/feedback/follow",
        "/api/portal/reach",
    ):
        assert path in paths
