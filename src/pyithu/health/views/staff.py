"""Doctors' pages: the queue, a case, slots and public answers. Each checks the clinic rule
through the services (a case outside the doctor's clinics is a 404, never a hint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pyithu.core.desks import desks_for
from pyithu.core.ids import parse_id
from pyithu.health import fhir, selectors
from pyithu.health.errors import HealthError
from pyithu.health.forms import AnswerForm, OutcomeForm, PrescriptionForm, ReplyForm, SlotForm
from pyithu.health.models import Question
from pyithu.health.services import community, consults, prescriptions

View = Callable[..., HttpResponse]


def doctor_required(view: View) -> View:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_doctor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _case(request: HttpRequest, case_id: UUID) -> Any:
    try:
        return consults.case_for(request.user, case_id)
    except consults.CaseNotFound:
        raise Http404 from None


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where health staff start: the desks of the roles they hold, and their clinics by name."""
    roles = selectors.health_roles(request.user)
    if not roles:
        raise PermissionDenied
    health = {d.url_name for d in apps.get_app_config("health").desks}
    desks = [d for d in desks_for(roles) if d.url_name in health]
    grants = request.user.role_grants.filter(ministry=selectors.MINISTRY, revoked_at__isnull=True)
    context = {
        "desks": desks,
        "grants": [
            (g.get_role_display(), selectors.unit_label(g.unit) if g.role == "doctor" else g.unit)
            for g in grants
        ],
    }
    return render(request, "health/staff/home.html", context)


@doctor_required
def queue(request: HttpRequest) -> HttpResponse:
    clinic = request.GET.get("clinic", "")[:64]
    language = request.GET.get("language", "")[:8]
    context = {
        "waiting": selectors.queue(request.user, clinic=clinic, language=language)[:100],
        "mine": selectors.my_open_cases(request.user),
        "clinics": selectors.clinics_for(request.user),
        "languages": settings.LANGUAGES,
        "clinic": clinic,
        "language": language,
    }
    return render(request, "health/staff/queue.html", context)


@doctor_required
def case_detail(
    request: HttpRequest, case_id: UUID, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    case = _case(request, case_id)
    mine = case.doctor_id == request.user.pk and case.status == "open"
    forms = forms or {}
    context = {
        "case": case,
        "thread": case.messages.all(),
        "outcomes": case.outcomes.select_related("referred_to"),
        "prescriptions": case.prescriptions.all(),
        "mine": mine,
        "reply_form": forms.get("reply") or ReplyForm(),
        "outcome_form": forms.get("outcome") or OutcomeForm(),
        "rx_form": forms.get("rx") or PrescriptionForm(initial={"valid_days": 30}),
    }
    return render(request, "health/staff/case.html", context, status=status)


def _act(
    request: HttpRequest,
    case_id: UUID,
    name: str,
    form: Any,
    action: Callable[[Any], Any],
    done: str,
) -> HttpResponse:
    """Run one action on a case; then back to the case, or to the queue when the case has left
    the doctor's clinics (a referral), so the next step is always a page they may open."""
    _case(request, case_id)  # 404 outside the doctor's clinics, before anything else
    if form.is_valid():
        try:
            action(form)
        except HealthError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            if selectors.cases_for(request.user).filter(pk=case_id).exists():
                return redirect("health:staff_case", case_id=case_id)
            return redirect("health:queue")
    return case_detail(request, case_id, forms={name: form}, status=400)


def _outcome_done(form: Any) -> str:
    clinic = form.cleaned_data.get("referred_to")
    if form.cleaned_data.get("kind") == "referral" and clinic is not None:
        return _("Referred to %(clinic)s, with the whole history.") % {
            "clinic": clinic.display_name()
        }
    return _("Recorded.")


@require_POST
@doctor_required
def claim(request: HttpRequest, case_id: UUID) -> HttpResponse:
    try:
        consults.claim_case(request.user, case_id)
    except consults.CaseNotFound:
        raise Http404 from None
    except HealthError as exc:
        messages.error(request, exc.message)
        return redirect("health:queue")
    return redirect("health:staff_case", case_id=case_id)


@require_POST
@doctor_required
def reply(request: HttpRequest, case_id: UUID) -> HttpResponse:
    form = ReplyForm(request.POST)
    return _act(
        request,
        case_id,
        "reply",
        form,
        lambda f: consults.reply(request.user, case_id, f.cleaned_data["body"]),
        _("Sent. The patient reads it with their code."),
    )


@require_POST
@doctor_required
def outcome(request: HttpRequest, case_id: UUID) -> HttpResponse:
    form = OutcomeForm(request.POST)
    return _act(
        request,
        case_id,
        "outcome",
        form,
        lambda f: consults.record_outcome(
            request.user,
            case_id,
            f.cleaned_data["kind"],
            message=f.cleaned_data["message"] or "",
            note=f.cleaned_data["note"] or "",
            follow_up_on=f.cleaned_data["follow_up_on"],
            referred_to=f.cleaned_data["referred_to"],
        ),
        _outcome_done(form) if form.is_valid() else "",
    )


@require_POST
@doctor_required
def prescribe(request: HttpRequest, case_id: UUID) -> HttpResponse:
    form = PrescriptionForm(request.POST)
    return _act(
        request,
        case_id,
        "rx",
        form,
        lambda f: prescriptions.issue_prescription(
            request.user, case_id, f.items(), valid_days=f.cleaned_data["valid_days"]
        ),
        _("Signed. The patient sees it with their code."),
    )


@doctor_required
def fhir_bundle(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    return JsonResponse(fhir.case_bundle(case).model_dump(mode="json", exclude_none=True))


@doctor_required
def slots(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.POST or None, initial={"timezone": "Asia/Yangon"})
    form.fields["clinic"].queryset = selectors.clinics_for(request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            consults.publish_slot(
                request.user,
                d["clinic"],
                d["starts_at"].replace(tzinfo=None),
                d["minutes"],
                d["timezone"],
            )
        except HealthError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Published."))
            return redirect("health:slots")
    mine = request.user.health_slots.filter(ends_at__gte=timezone.now()).select_related("clinic")
    status = 400 if request.method == "POST" else 200
    return render(request, "health/staff/slots.html", {"form": form, "mine": mine}, status=status)


@doctor_required
def answer_questions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        question_id = parse_id(request.POST.get("question_id"))
        try:
            if "reject" in request.POST:
                community.reject_question(request.user, question_id)
            else:
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    raise HealthError(_("Write the question and the answer."))
                community.answer_question(
                    request.user,
                    question_id,
                    form.cleaned_data["answer"],
                    question=form.cleaned_data["question"],
                )
                messages.success(request, _("Published. Everyone can read it now."))
        except (HealthError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("health:answer_questions")
    pending = Question.objects.filter(published_at__isnull=True).order_by("created_at")[:30]
    # One form per question on one page: each gets its own element ids.
    context = {
        "pending": [
            (q, AnswerForm(initial={"question": q.question}, auto_id=f"id_%s_{q.pk.hex}"))
            for q in pending
        ]
    }
    return render(request, "health/staff/questions.html", context)
