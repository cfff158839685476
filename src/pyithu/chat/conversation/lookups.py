"""Look-ups by code (a booking, an application, an exam result) and the public health Q&A.
The look-ups every channel shares (``pyithu.channels.lookups``) call the function the web page
calls, so a wrong code gets the web's own refusal; this words the answer for the chat."""

from __future__ import annotations

from uuid import UUID
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.channels import lookups as common
from pyithu.chat import config
from pyithu.chat.conversation import texts
from pyithu.chat.conversation.base import Reply, Turn, free_text, menu
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseStatus, Consultation
from pyithu.health.services import booking

MAX_MESSAGE = 2000  # as the web form
MAX_THREAD = 3000  # characters of a thread shown in one message (Telegram allows 4096)
MAX_ANSWER = 600
SEARCH_RESULTS = 3
YANGON = ZoneInfo("Asia/Yangon")  # as the web shows times to patients


def _code_turn(turn: Turn, arg: str, step: str, prompt: str) -> Reply:
    turn.go(step)
    if arg:
        turn.text = arg
        return STEPS[step](turn)
    return free_text(prompt)


# --- a booking: read the thread, answer the doctor ------------------------------------------


def begin_check(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "check.code", _("Send your booking code."))


def _thread(case: Consultation) -> str:
    lines: list[str] = []
    for message in reversed(list(case.messages.all())):
        stamp = timezone.localtime(message.created_at, YANGON)
        entry = f"{message.get_author_display()} · {stamp:%Y-%m-%d %H:%M}\n{message.body}"
        if sum(len(line) for line in lines) + len(entry) > MAX_THREAD:
            break
        lines.insert(0, entry)
    return "\n\n".join(lines)


def _check_code(turn: Turn) -> Reply:
    try:
        case = common.booking(turn.text, f"telegram:{turn.chat.person}")
    except common.NotFound as exc:
        return free_text(str(exc.message))
    head = f"{case.clinic.display_name()} · {case.get_status_display()}"
    if case.follow_up_on:
        head += f" · {_('Follow-up')}: {case.follow_up_on:%Y-%m-%d}"
    thread = _thread(case) or _("No replies yet. A doctor will answer; check again later.")
    if case.status == CaseStatus.CLOSED:
        turn.done()
        closed = _("This consultation is closed. Book a new one if you need more help.")
        return menu(f"{head}\n\n{thread}\n\n{closed}\n")
    turn.data = {}
    turn.go("check.answer", case=str(case.pk))
    how_to_answer = _("To answer the doctor, write your message now.")
    return free_text(f"{head}\n\n{thread}\n\n{how_to_answer}")


def _answer(turn: Turn) -> Reply:
    if len(turn.text) > MAX_MESSAGE:
        return free_text(texts.too_long(MAX_MESSAGE))
    case = Consultation.objects.filter(pk=UUID(turn.data["case"])).first()
    turn.done()
    if case is None:
        return menu(texts.cancelled())
    try:
        booking.add_patient_message(case, turn.text)
    except HealthError as exc:
        return menu(str(exc.message))
    return menu(_("Sent to the doctor.") + "\n")


# --- public questions and answers -----------------------------------------------------------


def begin_search(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "search.query", _("What do you want to know? Write a few words."))


def _search(turn: Turn) -> Reply:
    turn.done()
    found = common.health_answers(turn.text, SEARCH_RESULTS)
    if not found:
        return menu(_("No answers found. Try other words.") + "\n")
    parts = []
    for question in found:
        answer = question.answer
        if len(answer) > MAX_ANSWER:
            answer = answer[: MAX_ANSWER - 1] + "…"
        parts.append(f"❓ {question.question}\n{answer}")
    url = config.telegram().public_url
    if url:
        parts.append(_("More answers: %(url)s") % {"url": f"{url}/health/questions/"})
    return menu("\n\n".join(parts) + "\n")


# --- education: admission status and exam result -------------------------------------------


def begin_admission(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "admission.code", _("Send your application code."))


def _admission(turn: Turn) -> Reply:
    try:
        application = common.admission(turn.text)
    except common.NotFound as exc:
        return free_text(str(exc.message))
    turn.done()
    lines = [f"{application.school} · {application.programme}", application.get_status_display()]
    if application.decided_at:
        lines[-1] += f" · {application.decided_at:%Y-%m-%d}"
    return menu("\n".join(lines) + "\n")


def begin_result(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "result.code", _("Send your exam code."))


def _result(turn: Turn) -> Reply:
    try:
        result = common.exam_result(turn.text)
    except common.NotFound as exc:
        return free_text(str(exc.message))
    turn.done()
    verdict = _("Pass") if result.passed else _("Not passed")
    candidate = _("Candidate %(number)s") % {"number": result.number}
    text = f"{result.sitting} · {candidate}\n{result.score} / {result.total} · {verdict}\n"
    return menu(text)


STEPS = {
    "check.code": _check_code,
    "check.answer": _answer,
    "search.query": _search,
    "admission.code": _admission,
    "result.code": _result,
}
