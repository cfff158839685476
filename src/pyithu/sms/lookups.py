"""Answers to STATUS and RESULT, worded for a text message.

Nothing here decides anything about a booking, an exam or an application: the look-ups every
channel shares (``pyithu.channels.lookups``, the service functions the web pages use) find it,
and this words their answer for a text message. Medical content never goes out by SMS: a
booking's status and the number of doctor replies only, never which clinic.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyithu.channels import lookups as common
from pyithu.core.i18n import localized
from pyithu.education.exams.services.exams import Result
from pyithu.education.models import Application
from pyithu.health.models import CaseStatus, Consultation
from pyithu.sms import replies
from pyithu.sms.models import Outcome


@dataclass(frozen=True)
class Answer:
    text: str
    outcome: str


_CASE_TEMPLATES = {
    CaseStatus.WAITING: "status_waiting",
    CaseStatus.OPEN: "status_open",
    CaseStatus.CLOSED: "status_closed",
}
_ADMISSION_TEMPLATES = {
    Application.Status.PENDING: "admission_pending",
    Application.Status.ADMITTED: "admission_admitted",
    Application.Status.REFUSED: "admission_refused",
}


def _booking(case: Consultation, language: str) -> Answer:
    text = replies.render(
        _CASE_TEMPLATES[case.status],
        language,
        replies=common.doctor_replies(case),
        follow_up=case.follow_up_on,
    )
    return Answer(text, Outcome.ANSWERED)


def _admission(application: Application, language: str) -> Answer:
    decided = application.decided_at.date() if application.decided_at else None
    text = replies.render(
        _ADMISSION_TEMPLATES[application.status],
        language,
        school=localized(application.school, "name", language),
        date=replies.day(decided),
    )
    return Answer(text, Outcome.ANSWERED)


def _result(result: Result, language: str) -> Answer:
    text = replies.render(
        "result_passed" if result.passed else "result_not_passed",
        language,
        sitting=result.sitting,
        number=result.number,
        score=result.score,
        total=result.total,
    )
    return Answer(text, Outcome.ANSWERED)


def status(code: str, sender: str, language: str) -> Answer | None:
    """STATUS: a health booking, else an admission application (both are "my status");
    failures count against the sender's digest."""
    try:
        found = common.status(code, f"sms:{sender}")
    except common.NotFound:
        return None
    if isinstance(found, Consultation):
        return _booking(found, language)
    return _admission(found, language)


def result(code: str, language: str) -> Answer | None:
    """RESULT: a national-exam result, else an admission decision."""
    try:
        found = common.result(code)
    except common.NotFound as exc:
        if exc.not_released:
            return Answer(replies.render("not_released", language), Outcome.NOT_RELEASED)
        return None
    if isinstance(found, Application):
        return _admission(found, language)
    return _result(found, language)
