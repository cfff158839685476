"""The education API: public school list, a candidate's exam (session-bound, the same
services as the pages), and sittings for staff (token)."""

from __future__ import annotations

import secrets
from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.core.schema import Text
from pyithu.education import selectors
from pyithu.education.models import School, Sitting
from pyithu.education.services import EducationError
from pyithu.education.services import exams as service

router = Router(tags=["education"])
SESSION_KEY = "exam"


class SchoolOut(Schema):
    slug: str
    name_en: str
    name_my: str
    kind: str
    level: str
    languages: str
    curriculum: str


@router.get("/schools", response=list[SchoolOut], summary="Recognised schools and universities")
def schools(request: HttpRequest) -> list[School]:
    return list(School.objects.filter(status=School.Status.RECOGNISED)[:500])


class CodeIn(Schema):
    code: Text(40)  # type: ignore[valid-type]


class AttemptOut(Schema):
    position: int
    questions: int
    deadline: datetime


@router.post("/exam/login", response=AttemptOut, summary="Start or resume an exam with a code")
def exam_login(request: HttpRequest, payload: CodeIn) -> dict:
    token = (request.session.get(SESSION_KEY) or {}).get("token") or secrets.token_urlsafe(24)
    try:
        attempt = service.start_attempt(payload.code, token)
    except EducationError as exc:
        raise HttpError(400, str(exc.message)) from exc
    request.session[SESSION_KEY] = {"attempt": str(attempt.pk), "token": token}
    count = len(selectors.question_order(attempt))
    return {"position": attempt.position, "questions": count, "deadline": attempt.deadline}


class AnswerIn(Schema):
    question: UUID
    choice: int | None = None
    text: Text(2000) = ""  # type: ignore[valid-type]
    position: int = 1


class SavedOut(Schema):
    question: UUID
    next_position: int


@router.post("/exam/answers", response=SavedOut, summary="Save one answer (upsert)")
def exam_answer(request: HttpRequest, payload: AnswerIn) -> dict:
    held = request.session.get(SESSION_KEY) or {}
    attempt = service.current_attempt(held.get("attempt"), held.get("token"))
    if attempt is None:
        raise HttpError(401, "No exam is open in this session; log in with the exam code.")
    try:
        saved = service.save_answer(
            attempt,
            held["token"],
            str(payload.question),
            choice=payload.choice,
            text=payload.text,
            next_position=payload.position + 1,
        )
    except EducationError as exc:
        raise HttpError(400, str(exc.message)) from exc
    return {"question": saved.answer_question_id, "next_position": saved.next_position}


class SittingOut(Schema):
    id: UUID
    title: str
    slot: str
    opens_at: datetime
    closes_at: datetime
    results_released_at: datetime | None
    candidates: int


@router.get(
    "/sittings", response=list[SittingOut], auth=ApiTokenAuth(), summary="Sittings you manage"
)
def sittings(request: HttpRequest) -> list[dict]:
    rows = Sitting.objects.select_related("paper__school").order_by("-opens_at")[:200]
    return [
        {
            **{f: getattr(s, f) for f in SittingOut.model_fields if f != "candidates"},
            "candidates": s.candidates.count(),
        }
        for s in rows
        if selectors.can_manage_sitting(request.auth, s)
    ]


class IntegrityOut(Schema):
    identical: list[list[int]]
    too_fast: list[int]
    events: dict[str, int]


@router.get(
    "/sittings/{sitting_id}/integrity",
    response=IntegrityOut,
    auth=ApiTokenAuth(),
    summary="Integrity signals of a sitting",
)
def sitting_integrity(request: HttpRequest, sitting_id: UUID) -> object:
    sitting = Sitting.objects.select_related("paper__school").filter(pk=sitting_id).first()
    if sitting is None or not selectors.can_manage_sitting(request.auth, sitting):
        raise HttpError(404, "No such sitting.")
    return selectors.integrity_signals(sitting)
