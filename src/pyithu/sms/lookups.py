"""Answers to STATUS and RESULT, through the same service functions the web pages use.

Nothing here decides anything about a booking, an exam or an application: it asks the health
and education services and words their answer for a text message. Medical content never goes
out by SMS: a booking's status and the number of doctor replies only, never which clinic.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyithu.core.i18n import localized
from pyithu.education.models import Application, Candidate
from pyithu.education.services import EducationError
from pyithu.education.services import admissions as admission_service
from pyithu.education.services import exams as exam_service
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseMessage, CaseStatus, Consultation
from pyithu.health.services import appointments as appointment_service
from pyithu.health.services import booking as booking_service
from pyithu.health.services import reminders as reminder_service
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


def booking_status(code: str, sender: str, language: str) -> Answer | None:
    """A consultation's status by booking code; failures count against the sender's digest."""
    try:
        case = booking_service.find_by_code(code, f"sms:{sender}")
    except HealthError:
        return None
    doctor_replies = case.messages.filter(author=CaseMessage.Author.DOCTOR).count()
    text = replies.render(
        _CASE_TEMPLATES[case.status],
        language,
        replies=doctor_replies,
        follow_up=case.follow_up_on,
    )
    return Answer(text, Outcome.ANSWERED)


def admission_status(code: str, language: str) -> Answer | None:
    try:
        application = admission_service.status_for_code(code)
    except EducationError:
        return None
    decided = application.decided_at.date() if application.decided_at else None
    text = replies.render(
        _ADMISSION_TEMPLATES[application.status],
        language,
        school=localized(application.school, "name", language),
        date=replies.day(decided),
    )
    return Answer(text, Outcome.ANSWERED)


def exam_result(code: str, language: str) -> Answer | None:
    try:
        result = exam_service.result_for_code(code)
    except EducationError:
        # The service says "not valid" or "not released" in one error; tell them apart here.
        if Candidate.objects.filter(code_digest=exam_service.code_digest(code)).exists():
            return Answer(replies.render("not_released", language), Outcome.NOT_RELEASED)
        return None
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
    """STATUS: a health booking, else an admission application (both are "my status")."""
    return booking_status(code, sender, language) or admission_status(code, language)


def result(code: str, language: str) -> Answer | None:
    """RESULT: a national-exam result, else an admission decision."""
    return exam_result(code, language) or admission_status(code, language)


# --- appointments by text: SLOTS, TAKE, STOP (issue 17) ----------------------------------------

# A time is named by its Myanmar day of the month, hour and minute ("051430"): what a person
# reads in the SLOTS reply and types back, stable however the list changes meanwhile.
TIME_DIGITS = 6


def _time_name(slot: appointment_service.Slot) -> str:
    return f"{slot.myanmar:%d%H%M}"


def _case(code: str, sender: str) -> Consultation | None:
    try:
        return booking_service.find_by_code(code[: booking_service.CODE_LENGTH], f"sms:{sender}")
    except HealthError:
        return None


def slots(code: str, sender: str, language: str) -> Answer | None:
    case = _case(code, sender)
    if case is None:
        return None
    free = appointment_service.free_slots(case.clinic, limit=3)
    if not free:
        return Answer(replies.render("slots_none", language), Outcome.ANSWERED)
    times = " ".join(_time_name(slot) for slot in free)
    return Answer(replies.render("slots", language, times=times), Outcome.ANSWERED)


def take(code: str, sender: str, language: str) -> Answer | None:
    """TAKE code 051430: that time (any doctor of the case's clinic), or a change to it."""
    case = _case(code, sender)
    if case is None:
        return None
    wanted = code[booking_service.CODE_LENGTH :]
    if len(wanted) != TIME_DIGITS or not wanted.isdigit():
        return Answer(replies.render("take_how", language), Outcome.ANSWERED)
    free = appointment_service.free_slots(case.clinic, limit=1000)
    chosen = next((slot for slot in free if _time_name(slot) == wanted), None)
    if chosen is None:
        return Answer(replies.render("take_gone", language), Outcome.ANSWERED)
    current = appointment_service.booked(case)
    try:
        if current is not None:
            appointment_service.reschedule(case, current.pk, chosen.token)
        else:
            appointment_service.take_slot(case, chosen.token)
    except HealthError:
        return Answer(replies.render("take_gone", language), Outcome.ANSWERED)
    when = f"{chosen.myanmar:%d-%m %H:%M}"
    return Answer(replies.render("take_done", language, when=when), Outcome.ANSWERED)


def stop(code: str, sender: str, language: str) -> Answer | None:
    case = _case(code, sender)
    if case is None:
        return None
    reminder_service.stop_messages(case)
    return Answer(replies.render("stopped", language), Outcome.ANSWERED)


APPOINTMENTS = {"slots": slots, "take": take, "stop": stop}
