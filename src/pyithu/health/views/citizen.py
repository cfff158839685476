"""Citizen pages of the telemedicine service: no JavaScript, POST/redirect/GET, and the booking
code never in a URL (it is posted, and the open case is remembered in the session)."""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts.decorators import counts_code_lookups
from pyithu.accounts.services import client_address
from pyithu.core.pages import citizen_page
from pyithu.health import selectors
from pyithu.health.errors import HealthError
from pyithu.health.forms import (
    BookingForm,
    CodeForm,
    MessageForm,
    QuestionForm,
    SearchForm,
    ServiceReferralForm,
    VerifyForm,
)
from pyithu.health.models import Consultation, RedFlag
from pyithu.health.reach import reach_table
from pyithu.health.screening import active_flags
from pyithu.health.services import booking, community, prescriptions
from pyithu.health.signing import public_key_text

OPEN_CASE = "health_case"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _refuse(form: Any, exc: HealthError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@citizen_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "health/home.html", {})


@citizen_page
@never_cache
def book(request: HttpRequest) -> HttpResponse:
    clinic = booking.bookable_clinic(request.GET.get("clinic") or request.POST.get("clinic") or "")
    form = BookingForm(
        request.POST or None,
        initial={"language": request.LANGUAGE_CODE, "clinic": clinic.slug},
    )
    context: dict[str, Any] = {"form": form, "clinic": clinic}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        details = booking.Booking(
            symptoms=d["symptoms"],
            age_band=d["age_band"],
            sex=d["sex"],
            language=d["language"],
            township=d["township"],
            abroad_country=d["abroad_country"],
            urgency=d["urgency"],
            contact_channel=d["contact_channel"],
            contact=d["contact"] or "",
        )
        try:
            case, code = booking.book_consultation(
                details,
                red_flags=d["red_flags"],
                not_happening_now=d["not_happening_now"],
                clinic=clinic,
                patient=request.user,
            )
        except booking.RedFlagRaised as exc:
            if exc.kind == "suicide":
                return redirect("health:hotline")
            context.update(screening=exc.screening, refusal=exc.kind)
        except HealthError as exc:
            _refuse(form, exc)
        else:
            request.session[OPEN_CASE] = str(case.pk)
            # The code is shown in this response only; the database keeps a keyed digest.
            return render(request, "health/booked.html", {"code": code, "case": case})
    return _render(request, "health/book.html", context)


@citizen_page
def emergency(request: HttpRequest) -> HttpResponse:
    flags = [f for f in active_flags() if f.kind == RedFlag.Kind.EMERGENCY]
    return render(request, "health/emergency.html", {"flags": flags})


@citizen_page
def hotline(request: HttpRequest) -> HttpResponse:
    flag = RedFlag.objects.filter(kind=RedFlag.Kind.SUICIDE, active=True).first()
    return render(request, "health/hotline.html", {"flag": flag})


def _open_case(request: HttpRequest) -> Consultation | None:
    case_id = request.session.get(OPEN_CASE)
    return Consultation.objects.filter(pk=case_id).select_related("clinic").first()


@citizen_page
@never_cache
def case(request: HttpRequest) -> HttpResponse:
    """Enter a code to open a consultation; then read replies and write follow-ups."""
    opened = _open_case(request) if request.method == "GET" or "body" in request.POST else None
    if opened is None:
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                found = booking.find_by_code(form.cleaned_data["code"], client_address(request))
            except HealthError as exc:
                _refuse(form, exc)
            else:
                request.session.cycle_key()
                request.session[OPEN_CASE] = str(found.pk)
                return redirect("health:case")
        return _render(request, "health/code.html", {"form": form})
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking.add_patient_message(opened, form.cleaned_data["body"])
        except HealthError as exc:
            _refuse(form, exc)
        else:
            return redirect("health:case")
    context = {
        "case": opened,
        "thread": opened.messages.all(),
        "form": form,
        "share_form": ServiceReferralForm(),
        "prescriptions": opened.prescriptions.count(),
    }
    return _render(request, "health/case.html", context)


@require_POST
def case_forget(request: HttpRequest) -> HttpResponse:
    request.session.pop(OPEN_CASE, None)
    return redirect("health:case")


@require_POST
def case_share(request: HttpRequest) -> HttpResponse:
    opened = _open_case(request)
    if opened is None:
        return redirect("health:case")
    form = ServiceReferralForm(request.POST)
    if form.is_valid():
        try:
            community.refer_to_service(
                opened,
                form.cleaned_data["service"],
                form.cleaned_data["fields"],
                consent=form.cleaned_data["consent"],
            )
        except HealthError as exc:
            _refuse(form, exc)
        else:
            return render(request, "health/shared.html", {"case": opened})
    context = {"case": opened, "thread": [], "form": MessageForm(), "share_form": form}
    return render(request, "health/case.html", context, status=400)


def _qr(text: str) -> str:
    return mark_safe(segno.make(text, error="m").svg_inline(scale=2))


@citizen_page
@never_cache
def case_prescriptions(request: HttpRequest) -> HttpResponse:
    opened = _open_case(request)
    if opened is None:
        return render(request, "health/code.html", {"form": CodeForm()})
    items = []
    for rx in opened.prescriptions.all():
        payload, _record = prescriptions.check(rx.signed_text)
        number = prescriptions.number(rx)
        items.append({"rx": rx, "payload": payload, "qr": _qr(rx.signed_text), "number": number})
    return render(request, "health/prescriptions.html", {"case": opened, "items": items})


@citizen_page
@never_cache
@counts_code_lookups("health-rx-check")
def verify(request: HttpRequest) -> HttpResponse:
    """Paste or scan the text of a prescription; a pharmacist may then mark it dispensed."""
    form = VerifyForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if prescriptions.NUMBER.fullmatch(text.strip().upper()):
                text = prescriptions.text_by_number(request.user, text.strip())
            if "dispense" in request.POST:
                prescriptions.dispense(request.user, text)
            payload, record = prescriptions.check(text)
        except HealthError as exc:
            _refuse(form, exc)
        else:
            context.update(payload=payload, record=record, text=text)
            context["can_dispense"] = request.user.has_perm("health.dispense_prescription")
            return render(request, "health/verify.html", context)
    return _render(request, "health/verify.html", context)


@citizen_page
def verify_offline(request: HttpRequest) -> HttpResponse:
    """For experts: the public key and the offline command (the jargon lives here only)."""
    return render(request, "health/verify_offline.html", {"public_key": public_key_text()})


@citizen_page
def questions(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        community.ask_question(form.cleaned_data["question"], request.LANGUAGE_CODE)
        return redirect(f"{request.path}?asked=1")
    context = {
        "search": search,
        "query": query,
        "form": form,
        "found": selectors.published_questions(query)[:30],
        "asked": request.GET.get("asked") == "1",
    }
    return _render(request, "health/questions.html", context)


@citizen_page
def clinics(request: HttpRequest) -> HttpResponse:
    slots = selectors.upcoming_slots(limit=30)
    context = {"clinics": selectors.Clinic.objects.filter(active=True), "slots": slots}
    return render(request, "health/clinics.html", context)


@citizen_page
def reach(request: HttpRequest) -> HttpResponse:
    return render(request, "health/reach.html", reach_table())
