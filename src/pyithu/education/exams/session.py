"""The exam a device holds, remembered in its session at login.

The session keeps what cannot change once the attempt has started: the attempt and paper ids,
whether the paper is shuffled, the deadline and the candidate's order of questions. Pages and
saves then need neither the attempt nor the paper read again. Nothing here is trusted to
allow a save: the database still decides every one (device binding, hand-in, deadline) in the
save's own conditional update (see ``services.exams.record_answer``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from pyithu.education import selectors
from pyithu.education.exams.services import exams as service
from pyithu.education.models import Attempt

SESSION_KEY = "exam"


@dataclass(frozen=True)
class Held:
    attempt_id: UUID
    token: str
    paper_id: UUID
    shuffle: bool
    deadline: datetime
    order: tuple[str, ...]  # question ids (hex) in the candidate's order

    @property
    def count(self) -> int:
        return len(self.order)

    def question_at(self, n: int) -> str | None:
        return self.order[n - 1] if 1 <= n <= len(self.order) else None


def device_token(request: HttpRequest) -> str:
    """This device's token: kept across logins so a resume on the same phone is not a
    second device."""
    return (request.session.get(SESSION_KEY) or {}).get("token") or secrets.token_urlsafe(24)


def hold(request: HttpRequest, attempt: Attempt, token: str) -> Held:
    paper = attempt.candidate.sitting.paper
    order = tuple(q.hex for q in selectors.question_order(attempt))
    request.session[SESSION_KEY] = {
        "attempt": attempt.pk.hex,
        "token": token,
        "paper": paper.pk.hex,
        "shuffle": paper.shuffle,
        "deadline": attempt.deadline.isoformat(),
        "order": list(order),
    }
    return Held(attempt.pk, token, paper.pk, paper.shuffle, attempt.deadline, order)


def held(request: HttpRequest) -> Held | None:
    """The exam this device holds, or None. A session from before the order was kept is
    upgraded once from the database."""
    data = request.session.get(SESSION_KEY) or {}
    try:
        return Held(
            UUID(data["attempt"]),
            str(data["token"]),
            UUID(data["paper"]),
            bool(data["shuffle"]),
            _when(data["deadline"]),
            tuple(data["order"]),
        )
    except (KeyError, TypeError, ValueError):
        attempt = service.current_attempt(data.get("attempt"), data.get("token"))
        if attempt is None:
            return None
        return hold(request, attempt, data["token"])


def release(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def _when(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        raise ValueError(text)
    return value
