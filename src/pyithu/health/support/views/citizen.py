"""Citizen pages of the photos, hotline and facility flows: no JavaScript, POST/redirect/GET.
The booking code is never in a URL (the open case is in the session, as on the case page);
the hotline request is remembered in the session of the phone that made it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.core.pages import citizen_page
from pyithu.health.errors import HealthError
from pyithu.health.forms import CodeForm
from pyithu.health.models import CallbackRequest, Consultation, RedFlag
from pyithu.health.screening import active_flags
from pyithu.health.services import facilities, hotline, photos, referrals
from pyithu.health.support.forms import CallbackForm, PhotoForm, PlaceForm

OPEN_CASE = "health_case"  # the same session key as the case page (health.views.OPEN_CASE)
OPEN_CALL = "health_hotline"


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _refuse(form: Any, exc: HealthError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@citizen_page
@never_cache
def case_photo(request: HttpRequest) -> HttpResponse:
    """Attach a photo of a result to the consultation open on this phone (multipart, no JS)."""
    case = Consultation.objects.filter(pk=request.session.get(OPEN_CASE)).first()
    if case is None:  # open the case with its code first (as the prescriptions page does)
        return render(request, "health/code.html", {"form": CodeForm()})
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            photos.attach_photo(case, upload, upload.size)
        except HealthError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Photo added. Only the doctors of your case see it."))
            return redirect("health:case")
    context = {"case": case, "form": form, "count": case.photos.count(), "most": photos.MAX_PHOTOS}
    return render(request, "health/support/photo.html", context, status=_status(request))


def case_context(case: Consultation) -> dict[str, Any]:
    """What the case page shows of this folder: the photo form and the referrals' answers."""
    return {"photo_form": PhotoForm(), "referrals": referrals.for_case(case)}


def _numbers_context() -> dict[str, Any]:
    return {"numbers": hotline.numbers()}


@citizen_page
@never_cache
def hotline_page(request: HttpRequest) -> HttpResponse:
    """The hotline now: what to do, the numbers and hours, the wait, and a call-back request."""
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            found = hotline.request_callback(
                priority=d["priority"],
                language=request.LANGUAGE_CODE,
                contact_channel=d["contact_channel"],
                contact=d["contact"],
                message=d["message"] or "",
            )
        except HealthError as exc:
            _refuse(form, exc)
        else:
            request.session[OPEN_CALL] = str(found.pk)
            return redirect("health:hotline_waiting")
    flag = RedFlag.objects.filter(kind=RedFlag.Kind.SUICIDE, active=True).first()
    context = {
        "flag": flag,
        "form": form,
        "wait": hotline.wait_text(hotline.queue_wait()),
        **_numbers_context(),
    }
    return render(request, "health/hotline.html", context, status=_status(request))


@citizen_page
@never_cache
def hotline_waiting(request: HttpRequest) -> HttpResponse:
    """The person's own request: its place, the wait, what to do meanwhile; or cancel it."""
    found = CallbackRequest.objects.filter(pk=request.session.get(OPEN_CALL)).first()
    if found is None:  # nothing asked from this phone (or already forgotten): the numbers
        return render(request, "health/support/waiting.html", {"none": True, **_numbers_context()})
    if request.method == "POST":
        if found.status != CallbackRequest.Status.CLOSED:
            hotline.cancel_by_person(found.pk)
        request.session.pop(OPEN_CALL, None)
        messages.success(request, _("Your request is cancelled and your number erased."))
        return redirect("health:hotline")
    wait = hotline.wait_for(found)
    context = {
        "request_": found,
        "wait": hotline.wait_text(wait),
        "ahead": wait.ahead,
        "closed": found.status == CallbackRequest.Status.CLOSED,
        **_numbers_context(),
    }
    return render(request, "health/support/waiting.html", context)


@citizen_page
def emergency(request: HttpRequest) -> HttpResponse:
    """What to do in an emergency, with the facilities in and near the person's township."""
    flags = [f for f in active_flags() if f.kind == RedFlag.Kind.EMERGENCY]
    form = PlaceForm(request.GET or None)
    township = form.cleaned_data.get("township") if form.is_bound and form.is_valid() else None
    context = {"flags": flags, "place_form": form, "facilities": facilities.near(township)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "health/emergency.html", context, status=status)
