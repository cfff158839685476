"""What every channel asks: a booking by its code, an admission application by its code, an
exam result by its code, and the public health questions and answers.

Each calls the function the web page calls, so a channel refuses what the web refuses; a wrong
code raises ``NotFound`` with the service's own refusal. Nothing here words an answer: the chat
and SMS each say it their way (a thread in the chat; only a status and a count of doctor
replies by SMS, never medical content).
"""

from __future__ import annotations

from typing import Any

from pyithu.education.admissions.services import admissions
from pyithu.education.errors import EducationError
from pyithu.education.exams.services import exams
from pyithu.education.exams.services.exams import Result
from pyithu.education.models import Application, Candidate
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseMessage, Consultation, Question
from pyithu.health.selectors import published_questions
from pyithu.health.services import booking as booking_service

MAX_QUERY = 100  # characters of a search for health answers


class NotFound(Exception):
    """Nothing the person may see matches the code. ``message`` is the service's refusal in the
    active language; ``not_released`` says the exam code is real but its results are not out."""

    def __init__(self, message: Any, *, not_released: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.not_released = not_released


def booking(code: str, asker: str) -> Consultation:
    """A consultation by its booking code. ``asker`` is ``"<channel>:<sender>"``: failures
    count against it, as failures on the web count against the address."""
    try:
        return booking_service.find_by_code(code, asker)
    except HealthError as exc:
        raise NotFound(exc.message) from exc


def doctor_replies(case: Consultation) -> int:
    return case.messages.filter(author=CaseMessage.Author.DOCTOR).count()


def admission(code: str) -> Application:
    """An admission application by its code (its school and status)."""
    try:
        return admissions.status_for_code(code)
    except EducationError as exc:
        raise NotFound(exc.message) from exc


def exam_result(code: str) -> Result:
    """A candidate's released result by exam code."""
    try:
        return exams.result_for_code(code)
    except EducationError as exc:
        # The service says "not valid" or "not released" in one error; tell them apart here.
        known = Candidate.objects.filter(code_digest=exams.code_digest(code)).exists()
        raise NotFound(exc.message, not_released=known) from exc


def status(code: str, asker: str) -> Consultation | Application:
    """ "My status": a health booking, else an admission application."""
    try:
        return booking(code, asker)
    except NotFound:
        return admission(code)


def result(code: str) -> Result | Application:
    """ "My result": a national-exam result, else an admission decision. An exam code whose
    results are not out yet is refused as such (``NotFound.not_released``)."""
    try:
        return exam_result(code)
    except NotFound as exc:
        if exc.not_released:
            raise
        return admission(code)


def health_answers(query: str, limit: int) -> list[Question]:
    """Published public health questions and answers matching a few words."""
    return list(published_questions(query[:MAX_QUERY])[:limit])
