"""Booking a consultation in a few questions. The answers go to the same ``book_consultation``
the web form calls, with the same red-flag screening and refusal guidance."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pyithu.chat import services
from pyithu.chat.conversation import texts
from pyithu.chat.conversation.base import Reply, Turn, ask_again, choose, free_text, menu, numbered
from pyithu.geo.selectors import find_townships, get_township
from pyithu.health.errors import HealthError
from pyithu.health.forms import COUNTRIES
from pyithu.health.models import AgeBand, Clinic, ContactChannel, RedFlag, Sex, Urgency
from pyithu.health.screening import Screening, active_flags, screen
from pyithu.health.services import booking

MAX_SYMPTOMS = 2000  # as the web form
MAX_TOWNSHIP_CHOICES = 8
MENTAL_HEALTH_CLINIC = "primary-mental-health"


def begin(turn: Turn, _arg: str, clinic: str = "") -> Reply:
    turn.data = {}
    turn.go("book.flags", clinic=booking.bookable_clinic(clinic).slug)
    return _ask_flags()


# --- red flags first: an emergency is turned away before any other question ----------------


def _flag_labels() -> tuple[list[RedFlag], list[str]]:
    flags = active_flags()
    return flags, [f.display_label() for f in flags] + [_("None of these")]


def _ask_flags() -> Reply:
    _flags, labels = _flag_labels()
    text = f"{_('Is any of these happening now?')}\n{numbered(labels)}"
    return Reply(text, tuple(labels))


def _flags(turn: Turn) -> Reply:
    flags, labels = _flag_labels()
    index = choose(turn.text, labels)
    if index is None:
        return ask_again(_ask_flags())
    if index < len(flags):
        clinic = booking.bookable_clinic(turn.data.get("clinic", ""))
        screening = screen([flags[index].slug], "")
        mental = clinic.is_mental_health
        return _refuse(
            turn,
            screening,
            "suicide" if screening.suicide(mental_health_clinic=mental) else "emergency",
        )
    turn.go("book.symptoms")
    return _ask_symptoms()


def _steps(screening: Screening) -> list[str]:
    lines = []
    for flag in screening.flags:
        if flag.first_aid_steps():
            lines.append(f"\n{flag.display_label()}\n{numbered(flag.first_aid_steps())}")
    return lines


def _go_now() -> str:
    return _("Go now to the nearest hospital, clinic or health worker, or ask someone to take you.")


def _refuse(turn: Turn, screening: Screening, kind: str) -> Reply:
    """The web's refusal, as a message: first aid, and the hotline for suicidal thoughts."""
    if kind == "suicide":
        turn.go("book.hotline")
        suicide = [f for f in screening.flags if f.kind == RedFlag.Kind.SUICIDE]
        steps = numbered(suicide[0].first_aid_steps()) if suicide else ""
        text = "\n".join(
            [
                _("Talk to someone now"),
                steps,
                _("You can also talk to a mental-health doctor here, without your name."),
            ]
        )
        return Reply(text, (_("Book with the mental-health clinic"), texts.cancel()))
    if kind == "check":
        turn.go("book.confirm")
        text = "\n".join(
            [
                _("This may be an emergency."),
                _go_now(),
                *_steps(screening),
                "",
                _("Is it happening now?"),
            ]
        )
        return Reply(text, tuple(_confirm_labels()))
    turn.done()
    text = "\n".join(
        [_("This is an emergency: we cannot help online."), _go_now(), *_steps(screening)]
    )
    return menu(text + "\n")


def _hotline(turn: Turn) -> Reply:
    if choose(turn.text, [_("Book with the mental-health clinic")]) == 0:
        return begin(turn, "", MENTAL_HEALTH_CLINIC)
    turn.done()
    return menu()


# --- the questions ---------------------------------------------------------------------------


def _ask_symptoms() -> Reply:
    return free_text(
        _("What is wrong? In your own words: since when, what you feel, medicines you take.")
    )


def _symptoms(turn: Turn) -> Reply:
    if len(turn.text) > MAX_SYMPTOMS:
        return Reply(texts.too_long(MAX_SYMPTOMS), (texts.cancel(),))
    turn.go("book.urgency", symptoms=turn.text)
    return _ask_choice(_("How bad is it?"), Urgency.choices)


def _ask_choice(question: str, choices: list[tuple[object, str]]) -> Reply:
    return Reply(question, (*(str(label) for _value, label in choices), texts.cancel()))


def _pick(turn: Turn, choices: list[tuple[object, str]]) -> object | None:
    index = choose(turn.text, [str(label) for _value, label in choices])
    return None if index is None else choices[index][0]


def _urgency(turn: Turn) -> Reply:
    value = _pick(turn, Urgency.choices)
    if value is None:
        return ask_again(_ask_choice(_("How bad is it?"), Urgency.choices))
    turn.go("book.age", urgency=value)
    return _ask_choice(_("Your age?"), AgeBand.choices)


def _age(turn: Turn) -> Reply:
    value = _pick(turn, AgeBand.choices)
    if value is None:
        return ask_again(_ask_choice(_("Your age?"), AgeBand.choices))
    turn.go("book.sex", age_band=value)
    return _ask_choice(_("Sex?"), Sex.choices)


def _sex(turn: Turn) -> Reply:
    value = _pick(turn, Sex.choices)
    if value is None:
        return ask_again(_ask_choice(_("Sex?"), Sex.choices))
    turn.go("book.place", sex=value)
    return _ask_place()


def _abroad() -> str:
    return _("I am abroad")


def _ask_place() -> Reply:
    return Reply(_("Which township are you in? Write its name."), (_abroad(), texts.cancel()))


def _place(turn: Turn) -> Reply:
    if turn.text.casefold() == _abroad().casefold():
        turn.go("book.country")
        return _ask_choice(_("Which country?"), COUNTRIES[1:])
    found = find_townships(turn.text[:100], limit=MAX_TOWNSHIP_CHOICES + 1)
    if len(found) == 1:
        return _placed(turn, township=found[0].pcode)
    if not found:
        return Reply(
            _("No township has that name. Try again, in Burmese or English."), _ask_place().options
        )
    if len(found) > MAX_TOWNSHIP_CHOICES:
        return Reply(_("Many townships match. Write more of the name."), _ask_place().options)
    turn.go("book.township", townships=[t.pcode for t in found])
    return Reply(_("Which one?"), tuple(_township_label(t.pcode) for t in found))


def _township_label(pcode: str) -> str:
    township = get_township(pcode)
    assert township is not None
    return f"{township.display_name()} ({township.state.display_name()})"


def _township(turn: Turn) -> Reply:
    pcodes = turn.data.get("townships", [])
    index = choose(turn.text, [_township_label(p) for p in pcodes])
    if index is None:
        turn.go("book.place")
        return _place(turn)
    return _placed(turn, township=pcodes[index])


def _country(turn: Turn) -> Reply:
    value = _pick(turn, COUNTRIES[1:])
    if value is None:
        return ask_again(_ask_choice(_("Which country?"), COUNTRIES[1:]))
    return _placed(turn, country=value)


def _notify_labels() -> list[str]:
    return [_("Yes, tell me here"), _("No, I will check myself")]


def _ask_notify() -> Reply:
    return Reply(
        _("Shall I tell you here when a doctor replies? The message only says to check."),
        tuple(_notify_labels()),
    )


def _placed(turn: Turn, *, township: str = "", country: object = "") -> Reply:
    turn.data.pop("townships", None)
    turn.go("book.notify", township=township, country=country)
    return _ask_notify()


def _notify(turn: Turn) -> Reply:
    index = choose(turn.text, _notify_labels())
    if index is None:
        return ask_again(_ask_notify())
    turn.data["notify"] = index == 0
    return _book(turn, confirmed=False)


def _confirm_labels() -> list[str]:
    return [_("Yes, it is happening now"), _("No, not now")]


def _confirm(turn: Turn) -> Reply:
    index = choose(turn.text, _confirm_labels())
    if index is None:
        return ask_again(Reply(_("Is it happening now?"), tuple(_confirm_labels())))
    if index == 0:
        screening = screen([], turn.data["symptoms"])
        return _refuse(turn, screening, "emergency")
    return _book(turn, confirmed=True)


# --- booking ---------------------------------------------------------------------------------


def _book(turn: Turn, *, confirmed: bool) -> Reply:
    data = turn.data
    clinic = booking.bookable_clinic(data.get("clinic", ""))
    token = services.new_link_token() if data["notify"] else ""
    details = booking.Booking(
        symptoms=data["symptoms"],
        age_band=data["age_band"],
        sex=data["sex"],
        language=turn.chat.language or "my",
        township=get_township(data["township"]) if data["township"] else None,
        abroad_country=str(data["country"]),
        urgency=int(data["urgency"]),
        contact_channel=ContactChannel.TELEGRAM if token else "",
        contact=token,
    )
    try:
        with transaction.atomic():
            case, code = booking.book_consultation(
                details, not_happening_now=confirmed, clinic=clinic
            )
            if token:
                services.link_booking(turn.chat, case, token, turn.chat_id)
    except booking.RedFlagRaised as exc:
        return _refuse(turn, exc.screening, exc.kind)
    except HealthError as exc:
        turn.done()
        return menu(str(exc.message))
    turn.done()
    return menu(_booked(clinic, code, bool(token)) + "\n")


def _booked(clinic: Clinic, code: str, notify: bool) -> str:
    lines = [
        _("Booked with: %(clinic)s") % {"clinic": clinic.display_name()},
        _("Your code: %(code)s") % {"code": code},
        _("Keep it secret: it opens your consultation. Write it down, then delete this message."),
    ]
    if notify:
        lines.append(_("I will tell you here when a doctor replies."))
    lines.append(_("To read replies and answer: /check"))
    return "\n".join(lines)


STEPS = {
    "book.flags": _flags,
    "book.hotline": _hotline,
    "book.symptoms": _symptoms,
    "book.urgency": _urgency,
    "book.age": _age,
    "book.sex": _sex,
    "book.place": _place,
    "book.township": _township,
    "book.country": _country,
    "book.notify": _notify,
    "book.confirm": _confirm,
}
