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
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseStatus, Consultation
from pyithu.health.services import appointments as appointment_service
from pyithu.health.services import reminders as reminder_service
from pyithu.health.services.booking import CODE_LENGTH
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


def hotline_callback(number: str, language: str) -> Answer:
    """HOTLINE: this number joins the hotline's call-back queue; the reply says how long and
    which number to call in danger. Nothing about why."""
    shown, minutes = common.hotline_callback("phone", number, "sms", language)
    if minutes is None:
        return Answer(
            replies.render("hotline_no_one", language, phone=shown or "-"), Outcome.ANSWERED
        )
    text = replies.render("hotline_queued", language, minutes=minutes, phone=shown or "-")
    return Answer(text, Outcome.ANSWERED)


# --- appointments by text: SLOTS, TAKE, STOP (decision 0016) -----------------------------------

# A time is named by its Myanmar day of the month, hour and minute ("051430"): what a person
# reads in the SLOTS reply and types back, stable however the list changes meanwhile.
TIME_DIGITS = 6


def _time_name(slot: appointment_service.Slot) -> str:
    return f"{slot.myanmar:%d%H%M}"


def _case(code: str, sender: str) -> Consultation | None:
    try:
        return common.booking(code[:CODE_LENGTH], f"sms:{sender}")
    except common.NotFound:
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
    wanted = code[CODE_LENGTH:]
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
