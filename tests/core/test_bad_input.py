"""No input produces a 500: arbitrary text thrown at the forms and the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Burmese, Zawgyi-range, Latin, controls and the odd surrogate-free astral character.
text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], min_codepoint=0, max_codepoint=0x1FFFF),
    max_size=300,
)

FORMS = {
    "/accounts/signup/": ["handle", "passphrase", "passphrase_again", "contact", "language"],
    "/accounts/login/": ["handle", "passphrase"],
    "/accounts/recover/": ["handle", "code", "passphrase"],
}


@FUZZ
@given(values=st.lists(text, min_size=5, max_size=5))
def test_citizen_forms_never_fail_with_a_server_error(db: Any, values: list[str]) -> None:
    client = Client(raise_request_exception=False)
    for url, fields in FORMS.items():
        response = client.post(url, dict(zip(fields, values, strict=False)))
        assert response.status_code < 500, (url, values)


@FUZZ
@given(query=text)
def test_searches_and_api_never_fail_with_a_server_error(db: Any, query: str) -> None:
    client = Client(raise_request_exception=False)
    paths = ["/api/geo/townships/", "/api/portal/services/", "/services/", "/ministries/"]
    for url in ["/places/townships/", "/search/", "/api/geo/townships"]:
        response = client.get(url, {"q": query, "state": query})
        assert response.status_code < 500, (url, query)
    for url in paths:
        response = client.get(url + quote(query[:80], safe="") + ("" if "api" in url else "/"))
        assert response.status_code < 500, (url, query)
