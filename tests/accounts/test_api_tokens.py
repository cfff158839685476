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


def test_staff_revoke_tokens_after_a_breach(client_en: Client, olivia: User, make_staff) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    other = make_staff("operator-oscar")
    _t1, mine = services.create_api_token(olivia, "dashboard")
    _t2, theirs = services.create_api_token(other, "exporter")

    def works(raw: str) -> bool:
        response = client_en.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        return response.status_code == 200

    with pytest.raises(CommandError, match="--all"):
        call_command("staff", "revoke-tokens")
    out = StringIO()
    call_command("staff", "revoke-tokens", "operator-olivia", stdout=out)
    assert "Revoked 1 API token(s)." in out.getvalue()
    assert not works(mine) and works(theirs)
    call_command("staff", "revoke-tokens", "--all", stdout=out)
    assert not works(theirs)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
