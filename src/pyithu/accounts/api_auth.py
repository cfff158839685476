from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from pyithu.accounts.services import user_for_token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer pyt_…` for staff and integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
