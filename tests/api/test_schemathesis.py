"""The whole JSON API fuzzed from its own OpenAPI description, in-process: anonymous and with a
bearer token of each staff role. No input may produce a 5xx, and every response must match the
schema the API publishes for it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pyithu.accounts import services as account_services
from pyithu.accounts.models import Role

ROLES = [None, Role.OPERATOR, Role.DOCTOR, Role.EXAM_OFFICER, Role.BANK_OFFICER, Role.AGENT]
MINISTRY = {
    Role.OPERATOR: "communications",
    Role.DOCTOR: "health",
    Role.EXAM_OFFICER: "education",
    Role.BANK_OFFICER: "finance",
    Role.AGENT: "finance",
}


@pytest.fixture
def kept_connection() -> Any:
    """As Django's test client does: the app must not close the test's database connection
    at the end of each in-process request (the test's transaction lives on it)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def identities(make_staff: Any) -> list[dict[str, str]]:
    headers = [{}]
    for role in ROLES[1:]:
        user = make_staff(f"probe-{role.value.replace('_', '-')}", role, MINISTRY[role])
        _token, raw = account_services.create_api_token(user, "probe")
        headers.append({"Authorization": f"Bearer {raw}"})
    return headers


# Read in-process from the app itself (no database is touched to describe the API).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_its_own_schema(
    db: Any, kept_connection: None, case: Any, identities: list[dict[str, str]]
) -> None:
    for headers in identities:
        # The in-process client does not decompress; the real one is tested in tests/browser.
        plain = {"Accept-Encoding": "identity"}
        response = case.call(headers={**(case.headers or {}), **headers, **plain})
        assert response.status_code < 500, (case.method, case.path, response.status_code)
        # And the body matches the schema the API publishes for that status (raises if not)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
