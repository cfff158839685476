"""The exams API: a candidate's exam (session-bound, the same services as the pages), and
sittings for staff (token)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.utils import check_csrf

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.accounts.decorators import begin_code_lookup
from pyithu.accounts.services import LoginThrottled
from pyithu.core.schema import Text
from pyithu.education import selectors
from pyithu.education.errors import EducationError
from pyithu.education.exams import session as exam_session
from pyithu.education.exams.services import exams as service
from pyithu.education.models import Answer, Attempt, Sitting

router = Router(tags=["education"])
SESSION_KEY = exam_session.SESSION_KEY


class CodeIn(Schema):
    code: Text(40)  # type: ignore[valid-type]


class AttemptOut(Schema):
    position: int
    questions: int
    deadline: datetime


@router.post("/exam/login", response=AttemptOut, summary="Start or resume an exam with a code")
def exam_login(request: HttpRequest, payload: CodeIn) -> dict:
    _check_csrf(request)
    try:
        lookup = begin_code_lookup(request, "edu-exam-code")
    except LoginThrottled as exc:
        raise HttpError(429, str(exc.message)) from exc
    token = exam_session.device_token(request)
    try:
        attempt = service.start_attempt(payload.code, token)
    except EducationError as exc:
        raise HttpError(400, str(exc.message)) from exc
    lookup.succeeded()
    held = exam_session.hold(request, attempt, token)
    return {"position": attempt.position, "questions": held.count, "deadline": held.deadline}


def _check_csrf(request: HttpRequest) -> None:
    """The exam endpoints run on the session cookie, so a write is CSRF-checked as the pages
    are (the token from the csrftoken cookie in the X-CSRFToken header); another site cannot
    log a candidate into its exam or save answers in their name."""
    if check_csrf(request) is not None:
        raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")


def _held(request: HttpRequest) -> exam_session.Held:
    held = exam_session.held(request)
    if held is None:
        raise HttpError(401, "No exam is open in this session; log in with the exam code.")
    return held


class OptionOut(Schema):
    index: int  # the option's written index: send it back as ``choice``
    text: str


class QuestionOut(Schema):
    n: int
    questions: int
    question: UUID
    kind: str
    prompt: str
    options: list[OptionOut]  # in this candidate's order
    marks: int
    saved_choice: int | None
    saved_text: str
    seconds_left: int


@router.get(
    "/exam/question",
    response=QuestionOut,
    summary="The question at a place in this candidate's paper (default: where they stopped)",
)
def exam_question(request: HttpRequest, n: int | None = None) -> dict:
    held = _held(request)
    if n is None:
        n = Attempt.objects.filter(pk=held.attempt_id).values_list("position", flat=True).first()
        n = n or 1
    question_id = held.question_at(min(max(n, 1), held.count))
    question = service.question_in_paper(held.paper_id, question_id or "")
    if question is None:
        raise HttpError(404, "This paper has no such question.")
    saved = (
        Answer.objects.filter(attempt_id=held.attempt_id, question_id=question.pk)
        .values_list("choice", "text")
        .first()
    ) or (None, "")
    order = selectors.options_in_order(held.attempt_id, held.shuffle, question)
    left = (held.deadline - timezone.now()).total_seconds()
    return {
        "n": min(max(n, 1), held.count),
        "questions": held.count,
        "question": question.pk,
        "kind": question.kind,
        "prompt": question.prompt,
        "options": [{"index": i, "text": question.options[i]} for i in order],
        "marks": question.marks,
        "saved_choice": saved[0],
        "saved_text": saved[1],
        "seconds_left": max(0, int(left)),
    }


class AnswerIn(Schema):
    question: UUID
    choice: int | None = None
    text: Text(2000) = ""  # type: ignore[valid-type]
    position: int = 1


class SavedOut(Schema):
    question: UUID
    next_position: int


@router.post(
    "/exam/answers",
    response=SavedOut,
    summary="Save one answer (an upsert: sending it again replaces it, never adds one)",
)
def exam_answer(request: HttpRequest, payload: AnswerIn) -> dict:
    """400: the answer itself is wrong (a question not in the paper, no such option, too
    long). 409: the paper no longer takes answers (time up, handed in, another device)."""
    _check_csrf(request)
    held = _held(request)
    question = service.question_in_paper(held.paper_id, str(payload.question))
    if question is None:
        attempt = Attempt.objects.select_related("candidate").get(pk=held.attempt_id)
        raise HttpError(400, str(service.refuse_foreign_question(attempt).message))
    try:
        saved = service.record_answer(
            held.attempt_id,
            held.token,
            question,
            choice=payload.choice,
            text=payload.text,
            next_position=payload.position + 1,
        )
    except EducationError as exc:
        raise HttpError(400 if exc.field else 409, str(exc.message)) from exc
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
