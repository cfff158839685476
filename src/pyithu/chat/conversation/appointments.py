"""A time with a doctor, and stopping messages, by booking code: the same appointment and
reminder services the web page and SMS call. The times offered are kept in the (sealed) step,
so the number a person sends names exactly the time they were shown."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pyithu.chat.conversation import texts
from pyithu.chat.conversation.base import Reply, Turn, ask_again, choose, free_text, menu
from pyithu.health.errors import HealthError
from pyithu.health.models import CaseStatus, Consultation
from pyithu.health.services import appointments, booking, reminders
from pyithu.health.templatetags.health import when

TIMES_SHOWN = 6


def _code_turn(turn: Turn, arg: str, step: str) -> Reply:
    turn.go(step)
    if arg:
        turn.text = arg
        return STEPS[step](turn)
    return free_text(_("Send your booking code."))


def begin_time(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "time.code")


def begin_stop(turn: Turn, arg: str) -> Reply:
    return _code_turn(turn, arg, "stop.code")


def _find(turn: Turn) -> Consultation | Reply:
    try:
        return booking.find_by_code(turn.text, f"telegram:{turn.chat.person}")
    except HealthError as exc:
        return free_text(str(exc.message))


def _time_code(turn: Turn) -> Reply:
    case = _find(turn)
    if isinstance(case, Reply):
        return case
    if case.status == CaseStatus.CLOSED:
        turn.done()
        return menu(_("This consultation is closed. Book a new one if you need more help."))
    free = appointments.free_slots(case.clinic, limit=TIMES_SHOWN)
    current = appointments.booked(case)
    head = f"{_('Your time (Myanmar time)')}: {when(current.starts_at)}\n\n" if current else ""
    if not free:
        turn.done()
        return menu(
            head
            + _(
                "No free times in the next two weeks. Check again later, "
                "or wait in the queue: a doctor will answer."
            )
        )
    labels = [when(slot.starts_at) for slot in free]
    turn.data = {}
    turn.go("time.pick", case=str(case.pk), tokens=[s.token for s in free], labels=labels)
    return _ask(head, labels)


def _ask(head: str, labels: list[str]) -> Reply:
    lines = "\n".join(f"{n}. {label}" for n, label in enumerate(labels, start=1))
    prompt = f"{head}{_('Free times (Myanmar time)')}\n{lines}"
    return Reply(prompt, (*labels, texts.cancel()))


def _time_pick(turn: Turn) -> Reply:
    labels = turn.data["labels"]
    index = choose(turn.text, labels)
    if index is None:
        return ask_again(_ask("", labels))
    case = Consultation.objects.filter(pk=turn.data["case"]).first()
    turn.done()
    if case is None:
        return menu(texts.cancelled())
    token = turn.data["tokens"][index]
    current = appointments.booked(case)
    try:
        if current is not None:
            appointments.reschedule(case, current.pk, token)
        else:
            appointments.take_slot(case, token)
    except HealthError as exc:
        return menu(str(exc.message))
    return menu(f"{_('Your time is booked.')} {labels[index]}\n")


def _stop_code(turn: Turn) -> Reply:
    case = _find(turn)
    if isinstance(case, Reply):
        return case
    turn.done()
    reminders.stop_messages(case)
    return menu(_("Done. No more messages will be sent, and your number or handle is deleted."))


STEPS = {"time.code": _time_code, "time.pick": _time_pick, "stop.code": _stop_code}
