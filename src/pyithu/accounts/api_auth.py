from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from pyithu.accounts.services import LoginThrottled, begin_attempt, client_address, user_for_token
from pyithu.core import sealing

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer pyt_…` for staff and integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SharedRateThrottle(BaseThrottle):
    """At most ``"N/period"`` requests per signed-in person (or per address), counted in the
    shared database so the limit holds across workers, app servers and restarts; every request
    is reserved before it runs, so parallel requests cannot slip past (decision 0071)."""

    def __init__(self, rate: str, scope: str) -> None:
        count, period = rate.split("/")
        self.limit, self.seconds, self.scope = int(count), PERIODS[period[0]], scope
        self.retry_after: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        who = f"user:{user.pk}" if getattr(user, "pk", None) else client_address(request)
        key = sealing.digest(f"rate-{self.scope}", who)
        try:
            begin_attempt({key: self.limit}, window_seconds=self.seconds)
        except LoginThrottled as exc:
            self.retry_after = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return self.retry_after
