"""Pages of care that does not drop people: a patient takes, changes or cancels a
time by their booking code and can stop every message; doctors publish weekly hours, record
no-shows and hand their cases back; coordinators see each doctor's load and reassign.

Like the consultation pages, the code is posted once and the open case is remembered in the
session; no code or id of a patient's is ever in a URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts.models import User
from pyithu.accounts.services import client_address
from pyithu.core.digits import local_digits
from pyithu.core.ids import parse_id
from pyithu.core.pages import citizen_page
from pyithu.health import selectors
from pyithu.health.errors import HealthError
from pyithu.health.forms import CodeForm
from pyithu.health.forms.care import RosterForm, SlotForm
from pyithu.health.models import CaseStatus, Consultation
from pyithu.health.services import appointments, booking, cases, reminders
from pyithu.health.templatetags.health import when
from pyithu.health.views.citizen import OPEN_CASE
from pyithu.health.views.staff import doctor_required


def _opened(request: HttpRequest) -> Consultation | None:
    case_id = request.session.get(OPEN_CASE)
    return Consultation.objects.filter(pk=case_id).select_related("clinic").first()


def _refuse(form: Any, exc: HealthError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- patients ----------------------------------------------------------------------------------


def _slot_choices(case: Consultation) -> list[tuple[str, str]]:
    return [(s.token, when(s.starts_at)) for s in appointments.free_slots(case.clinic)]


@citizen_page
@never_cache
def appointment(request: HttpRequest) -> HttpResponse:
    """Take a free time, or change the one taken (the old one is kept if the new is gone)."""
    opened = _opened(request)
    if opened is None:  # the code first (it opens the case, then "a time" is one link away)
        return render(request, "health/code.html", {"form": CodeForm()})
    current = appointments.booked(opened)
    form = SlotForm(
        request.POST or None,
        slots=_slot_choices(opened),
        initial={"appointment": current.pk.hex if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["appointment"]:
                appointments.reschedule(opened, d["appointment"], d["slot"])
            else:
                appointments.take_slot(opened, d["slot"])
        except HealthError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Your time is booked."))
            return redirect("health:appointment")
    context = {"case": opened, "current": current, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "health/care/appointment.html", context, status=status)


@require_POST
def appointment_cancel(request: HttpRequest) -> HttpResponse:
    opened = _opened(request)
    if opened is None:
        return redirect("health:case")
    try:
        appointments.cancel(opened, request.POST.get("appointment", ""))
    except HealthError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your time is cancelled. You can choose another."))
    return redirect("health:appointment")


@citizen_page
@never_cache
def stop(request: HttpRequest) -> HttpResponse:
    """Stop every message (reminders and reply notices): the contact is erased. With the case
    open on this device, one button; otherwise the code."""
    opened = _opened(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and opened is not None and "confirm" in request.POST:
        reminders.stop_messages(opened)
        return render(request, "health/care/stopped.html", {})
    if request.method == "POST" and form.is_valid():
        try:
            found = booking.find_by_code(form.cleaned_data["code"], client_address(request))
        except HealthError as exc:
            _refuse(form, exc)
        else:
            reminders.stop_messages(found)
            return render(request, "health/care/stopped.html", {})
    context = {"form": form, "case": opened}
    status = 400 if request.method == "POST" else 200
    return render(request, "health/care/stop.html", context, status=status)


# --- doctors -----------------------------------------------------------------------------------


@doctor_required
def roster(request: HttpRequest) -> HttpResponse:
    """Weekly hours in the doctor's own zone, and the times patients took."""
    last = request.user.health_rosters.order_by("-created_at").first()
    form = RosterForm(
        request.POST or None, initial={"timezone": last.timezone if last else "Asia/Yangon"}
    )
    form.fields["clinic"].queryset = selectors.clinics_for(request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            appointments.publish_roster(
                request.user,
                d["clinic"],
                d["weekday"],
                d["starts"],
                d["ends"],
                d["slot_minutes"],
                d["timezone"],
            )
        except HealthError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Published. Patients see these times in Myanmar time."))
            return redirect("health:roster")
    context = {
        "form": form,
        "rosters": request.user.health_rosters.filter(active=True).select_related("clinic"),
        "booked": appointments.doctor_appointments(request.user),
        "now": timezone.now(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "health/care/roster.html", context, status=status)


@require_POST
@doctor_required
def roster_withdraw(request: HttpRequest) -> HttpResponse:
    try:
        appointments.withdraw_roster(request.user, request.POST.get("roster", ""))
    except HealthError as exc:
        messages.error(request, exc.message)
    return redirect("health:roster")


@require_POST
@doctor_required
def no_show(request: HttpRequest) -> HttpResponse:
    try:
        appointments.record_no_show(request.user, request.POST.get("appointment", ""))
    except HealthError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded: the patient did not come."))
    return redirect("health:roster")


@require_POST
@doctor_required
def hand_back(request: HttpRequest) -> HttpResponse:
    count = cases.hand_back_all(request.user)
    messages.success(
        request,
        _("%(n)s case(s) went back to the queue and your weekly hours were withdrawn.")
        % {"n": local_digits(count)},
    )
    return redirect("health:queue")


# --- coordinators ------------------------------------------------------------------------------


def _coordination(request: HttpRequest, status: int = 200) -> HttpResponse:
    doctors = cases.doctors()
    live = (
        Consultation.objects.exclude(status=CaseStatus.CLOSED)
        .select_related("clinic", "doctor")
        .prefetch_related(Prefetch("events", to_attr="history"))
        .order_by("status", "-urgency", "waiting_since")[:30]
    )
    rows = []
    for case in live:
        able = [d for d in doctors if case.clinic.slug in selectors.clinic_slugs_for(d)]
        rows.append((case, [d for d in able if d.pk != case.doctor_id]))
    context = {"loads": cases.doctor_loads(), "rows": rows}
    return render(request, "health/care/coordinate.html", context, status=status)


@login_required
def coordinate(request: HttpRequest) -> HttpResponse:
    """Each doctor's open cases, and every live case with who may take it."""
    if request.method == "POST":
        target = None
        doctor_id = parse_id(request.POST.get("doctor", "")) if request.POST.get("doctor") else None
        if doctor_id is not None:
            target = User.objects.filter(pk=doctor_id, is_active=True).first()
        try:
            if request.POST.get("doctor") and target is None:
                raise HealthError(_("Choose a doctor."), "doctor")
            cases.reassign(request.user, request.POST.get("case", ""), target)
        except HealthError as exc:
            if not cases.is_coordinator(request.user):
                context = {"error": exc.message}
                return render(request, "health/care/refused.html", context, status=403)
            messages.error(request, exc.message)
            return _coordination(request, status=400)
        # The reference is not in the message: it would be read as a word to translate.
        messages.success(request, _("Case reassigned. The doctor sees it in their queue."))
        return redirect("health:coordinate")
    if not cases.is_coordinator(request.user):
        raise PermissionDenied
    return _coordination(request)
