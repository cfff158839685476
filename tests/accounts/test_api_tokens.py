from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import services
from pyithu.accounts.models import ApiToken, User


def test_a_staff_token_authenticates_the_api(client_en: Client, olivia: User) -> None:
    _token, raw = services.create_api_token(olivia, "dashboard")
    response = client_en.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == {
        "handle": "operator-olivia",
        "is_staff": True,
        "roles": [{"role": "operator", "ministry": "communications", "unit": ""}],
    }
    assert not ApiToken.objects.filter(token_digest=raw).exists()


def test_missing_wrong_and_revoked_tokens_get_401(client_en: Client, olivia: User) -> None:
    token, raw = services.create_api_token(olivia, "dashboard")
    assert client_en.get("/api/accounts/me").status_code == 401
    assert (
        client_en.get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer pyt_nope").status_code == 401
    )
    services.revoke_api_token(token)
    assert client_en.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_citizens_get_no_api_tokens(alice: User) -> None:
    with pytest.raises(services.AccountError):
        services.create_api_token(alice, "mine")
    assert ApiToken.objects.count() == 0


def test_openapi_document_is_served(client_en: Client, db: Any) -> None:
    doc = client_en.get("/api/openapi.json").json()
    assert doc["info"]["title"] == "Pyithu API"
    assert "/api/accounts/me" in doc["paths"]
    assert client_en.get("/api/docs").status_code == 200
