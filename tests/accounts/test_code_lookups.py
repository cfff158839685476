"""One throttling rule for every look-up by code: wrong codes from one address are counted,
a right one is not, and past the limit the page answers 429 without looking anything up."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import decorators
from pyithu.accounts.models import LoginFailure

LOOKUPS = [
    ("/education/exam/", {"code": "WRONG-CODE-1234"}),
    ("/education/exam/result/", {"code": "WRONG-CODE-1234"}),
    ("/education/certificates/", {"code": "WRONG-CODE-1234"}),
    ("/feedback/follow/", {"code": "wrong-code-1234"}),
    ("/health/verify/", {"text": "RX1.not.signed"}),
]


@pytest.mark.parametrize(("url", "data"), LOOKUPS)
def test_wrong_codes_are_counted_and_then_refused(db: Any, url: str, data: dict) -> None:
    client = Client(REMOTE_ADDR="203.0.113.50")
    limit = decorators.CODE_LOOKUPS_PER_ADDRESS
    LoginFailure.objects.bulk_create(
        LoginFailure(key_digest=key) for key in [_key_for(url)] * limit
    )
    # When one more wrong code comes from the same address
    response = client.post(url, data)
    # Then the page says to wait, in the site's own words, and nothing was looked up
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert LoginFailure.objects.count() == limit
    # While another address is served as usual
    other = Client(REMOTE_ADDR="198.51.100.50").post(url, data)
    assert other.status_code == 400


@pytest.mark.parametrize(("url", "data"), LOOKUPS)
def test_a_wrong_code_counts_once(db: Any, url: str, data: dict) -> None:
    response = Client(REMOTE_ADDR="203.0.113.51").post(url, data)
    assert response.status_code == 400
    assert LoginFailure.objects.count() == 1


def test_the_exam_api_counts_wrong_codes_too(db: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.52")
    response = client.post(
        "/api/education/exam/login", {"code": "WRONG-CODE-1234"}, content_type="application/json"
    )
    assert response.status_code == 400 and LoginFailure.objects.count() == 1


def test_the_exam_api_checks_csrf_like_the_pages(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/education/exam/login", {"code": "WRONG-CODE-1234"}, content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    answer = client.post(
        "/api/education/exam/answers",
        {"question": "0190a0a0-0000-7000-8000-000000000000"},
        content_type="application/json",
    )
    assert answer.status_code == 403


def _key_for(url: str) -> str:
    from pyithu.core import sealing

    purpose = {
        "/education/": "edu-exam-code",
        "/feedback/": "portal-fb-code",
        "/health/": "health-rx-check",
    }
    prefix = next(p for p in purpose if url.startswith(p))
    return sealing.digest(purpose[prefix], "203.0.113.50")
