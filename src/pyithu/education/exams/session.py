"""The exam a device holds, remembered at login.

What cannot change once the attempt has started is kept: the attempt and paper ids, whether
the paper is shuffled, the deadline and the device's token. Pages and saves then need neither
the attempt nor the paper read again. The pages keep it in a signed cookie (``exam``, only
sent to the exam's own paths), so a page or a save reads no session from the database
(decision 0035); the API keeps it in the session. The candidate's order of questions is
recomputed from the paper's questions (cached per process) and the attempt's keyed digest.
Nothing here is trusted to allow a save: the database still decides every one (device
binding, hand-in, deadline) in the save's own conditional update (see
``services.exams.record_answer``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_datetime

from pyithu.education import selectors
from pyithu.education.exams.services import exams as service
from pyithu.education.models import Attempt

SESSION_KEY = "exam"
COOKIE = "exam"
COOKIE_PATH = "/education/exam/"
COOKIE_SALT = "pyithu.education.exam-held"


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
    kept = _from_cookie(request)
    if kept is not None:
        return kept.token
    return (request.session.get(SESSION_KEY) or {}).get("token") or secrets.token_urlsafe(24)


def hold(request: HttpRequest, attempt: Attempt, token: str) -> Held:
    """Keep the exam in the session (the API's way)."""
    held = _held_from(attempt, token)
    request.session[SESSION_KEY] = {
        "attempt": held.attempt_id.hex,
        "token": token,
        "paper": held.paper_id.hex,
        "shuffle": held.shuffle,
        "deadline": held.deadline.isoformat(),
    }
    return held


def hold_in_cookie(response: HttpResponse, attempt: Attempt, token: str) -> Held:
    """Keep the exam in a signed cookie on this response (the pages' way)."""
    held = _held_from(attempt, token)
    value = signing.dumps(
        [held.attempt_id.hex, token, held.paper_id.hex, held.shuffle, held.deadline.isoformat()],
        salt=COOKIE_SALT,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=settings.SESSION_COOKIE_AGE,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return held


def _held_from(attempt: Attempt, token: str) -> Held:
    paper = attempt.candidate.sitting.paper
    order = _order(attempt.pk, paper.pk, paper.shuffle)
    return Held(attempt.pk, token, paper.pk, paper.shuffle, attempt.deadline, order)


def held(request: HttpRequest) -> Held | None:
    """The exam this device holds, or None: from the signed cookie, else the session."""
    kept = _from_cookie(request)
    if kept is not None:
        return kept
    data = request.session.get(SESSION_KEY) or {}
    try:
        attempt_id, paper_id = UUID(data["attempt"]), UUID(data["paper"])
        shuffle = bool(data["shuffle"])
        return Held(
            attempt_id,
            str(data["token"]),
            paper_id,
            shuffle,
            _when(data["deadline"]),
            _order(attempt_id, paper_id, shuffle),
        )
    except (KeyError, TypeError, ValueError):
        attempt = service.current_attempt(data.get("attempt"), data.get("token"))
        if attempt is None:
            return None
        return hold(request, attempt, data["token"])


def _from_cookie(request: HttpRequest) -> Held | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    cached = getattr(request, "_exam_held", None)
    if cached is not None:
        return cached
    try:
        attempt, token, paper, shuffle, deadline = signing.loads(raw, salt=COOKIE_SALT)
        attempt_id, paper_id = UUID(attempt), UUID(paper)
        kept = Held(
            attempt_id,
            str(token),
            paper_id,
            bool(shuffle),
            _when(deadline),
            _order(attempt_id, paper_id, bool(shuffle)),
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None
    request._exam_held = kept  # type: ignore[attr-defined]
    return kept


# The candidate's order by attempt: the same few attempts come back to each process.
_orders: dict[UUID, tuple[str, ...]] = {}


def _order(attempt_id: UUID, paper_id: UUID, shuffle: bool) -> tuple[str, ...]:
    found = _orders.get(attempt_id)
    if found is None:
        paper_order = [q.pk for q in service.paper_questions(paper_id).values()]
        found = tuple(q.hex for q in selectors.order_of(attempt_id, shuffle, paper_order))
        if len(_orders) >= 50_000:
            _orders.clear()
        _orders[attempt_id] = found
    return found


def release(request: HttpRequest, response: HttpResponse | None = None) -> None:
    request.session.pop(SESSION_KEY, None)
    if response is not None:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")


def _when(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        raise ValueError(text)
    return value
