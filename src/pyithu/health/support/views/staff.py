"""Staff pages of the photos, hotline and referral-desk flows. Each checks its rule through
the services: a photo of a case outside the doctor's clinics, a request for a non-counsellor
or a referral sent to another service is a 403/404 page, never a hint, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.health.errors import HealthError
from pyithu.health.models import CallbackRequest
from pyithu.health.services import booking, consults, hotline, photos, referrals
from pyithu.health.support.forms import (
    CounsellorNoteForm,
    DeskReplyForm,
    ReferToClinicForm,
    ShiftForm,
)
from pyithu.health.views.staff import doctor_required

View = Callable[..., HttpResponse]
MYANMAR = ZoneInfo("Asia/Yangon")


# --- photos ------------------------------------------------------------------------------------


@never_cache
@doctor_required
def case_photo(request: HttpRequest, case_id: UUID, photo_id: UUID) -> HttpResponse:
    """The photo's bytes, for a doctor of the case's clinic only; never cached or public."""
    try:
        case = consults.case_for(request.user, case_id)
    except consults.CaseNotFound:
        raise Http404 from None
    photo = case.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    response = HttpResponse(photos.photo_bytes(photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# --- hotline -----------------------------------------------------------------------------------


def counsellor_required(view: View) -> View:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hotline.is_counsellor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@counsellor_required
def hotline_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "queue": hotline.queue().select_related("counsellor")[:100],
        "on_duty": hotline.on_duty(now),
        "settings": hotline.settings_row(),
    }
    return render(request, "health/support/staff_hotline.html", context)


@never_cache
@counsellor_required
def hotline_request(
    request: HttpRequest, request_id: UUID, form: Any = None, status: int = 200
) -> HttpResponse:
    found = CallbackRequest.objects.filter(pk=request_id).exclude(status="closed").first()
    if found is None:
        raise Http404
    mine = found.status == CallbackRequest.Status.CALLING and found.counsellor_id == request.user.pk
    context = {"found": found, "mine": mine, "form": form or CounsellorNoteForm()}
    return render(request, "health/support/staff_request.html", context, status=status)


@require_POST
@counsellor_required
def hotline_act(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """One action on a request: take, talked, no answer, escalate or close."""
    action = request.POST.get("action", "")
    form = CounsellorNoteForm(request.POST)
    if not form.is_valid():
        return hotline_request(request, request_id, form=form, status=400)
    note = form.cleaned_data["note"] or ""
    user = request.user
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "take": (lambda: hotline.take(user, request_id), _("Yours: call now.")),
        "talked": (
            lambda: hotline.record_call(user, request_id, talked=True, note=note),
            _("Recorded. The number is erased."),
        ),
        "no_answer": (
            lambda: hotline.record_call(user, request_id, talked=False, note=note),
            _("Back in the queue for another try."),
        ),
        "escalate": (
            lambda: hotline.escalate(user, request_id, note),
            _("Escalated: the coordinator is told."),
        ),
        "close": (
            lambda: hotline.close(user, request_id, note),
            _("Closed. The number is erased."),
        ),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    try:
        run()
    except HealthError as exc:
        messages.error(request, exc.message)
        return redirect("health:hotline_queue")
    messages.success(request, done)
    if action in ("take", "escalate"):
        return redirect("health:hotline_request", request_id=request_id)
    return redirect("health:hotline_queue")


@never_cache
@counsellor_required
def hotline_rota(request: HttpRequest) -> HttpResponse:
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts = form.cleaned_data["starts_at"].replace(tzinfo=MYANMAR)
        try:
            hotline.add_shift(
                request.user,
                request.user,
                starts,
                starts + timedelta(hours=form.cleaned_data["hours"]),
            )
        except HealthError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("You are on the rota."))
            return redirect("health:hotline_rota")
    shifts = (
        hotline.CounsellorShift.objects.filter(ends_at__gt=timezone.now())
        .select_related("counsellor")
        .order_by("starts_at")[:50]
    )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "shifts": shifts}
    return render(request, "health/support/staff_rota.html", context, status=status)


# --- referral desks ----------------------------------------------------------------------------


def officer_required(view: View) -> View:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not referrals.is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@officer_required
def desk(request: HttpRequest) -> HttpResponse:
    context = {
        "services": referrals.services_for(request.user),
        "incoming": referrals.incoming(request.user)[:100],
    }
    return render(request, "health/support/desk.html", context)


@never_cache
@officer_required
def desk_referral(
    request: HttpRequest, referral_id: UUID, form: Any = None, status: int = 200
) -> HttpResponse:
    try:
        found = referrals.referral_for(request.user, referral_id)
    except referrals.ReferralNotFound:
        raise Http404 from None
    context = {"found": found, "form": form or DeskReplyForm(initial={"reply": found.reply})}
    return render(request, "health/support/desk_referral.html", context, status=status)


@require_POST
@officer_required
def desk_act(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """Accept, decline, reply or close: one service call, then back to the referral."""
    try:
        referrals.referral_for(request.user, referral_id)
    except referrals.ReferralNotFound:
        raise Http404 from None
    action = request.POST.get("action", "")
    form = DeskReplyForm(request.POST)
    if not form.is_valid() or action not in ("accept", "decline", "reply", "close"):
        return desk_referral(request, referral_id, form=form, status=400)
    reply = form.cleaned_data["reply"] or ""
    try:
        if action in ("accept", "decline"):
            referrals.decide(request.user, referral_id, accept=action == "accept", reply=reply)
        elif action == "reply":
            if not reply:
                raise HealthError(_("Write a reply."), "reply")
            referrals.reply_to(request.user, referral_id, reply)
        else:
            referrals.close(request.user, referral_id)
    except HealthError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return desk_referral(request, referral_id, form=form, status=400)
    messages.success(request, _("Saved. The person reads it with their code."))
    return redirect("health:desk_referral", referral_id=referral_id)


@never_cache
@officer_required
def desk_refer(request: HttpRequest) -> HttpResponse:
    """A desk refers a person to a health clinic; the code is shown once, for the person."""
    services = referrals.services_for(request.user)
    if not services:
        raise PermissionDenied
    form = ReferToClinicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        details = booking.Booking(
            symptoms=d["summary"],
            age_band=d["age_band"],
            sex=d["sex"],
            language=d["language"],
            township=d["township"],
        )
        try:
            found, code = referrals.refer_to_clinic(
                request.user, services[0], d["clinic"], details, consent=d["consent"]
            )
        except booking.RedFlagRaised:
            form.add_error(
                None,
                _("This may be an emergency: send the person to a hospital or the hotline now."),
            )
        except HealthError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            context = {"code": code, "found": found}
            return render(request, "health/support/desk_referred.html", context)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "service": services[0]}
    return render(request, "health/support/desk_refer.html", context, status=status)
