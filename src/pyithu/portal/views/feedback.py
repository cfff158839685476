"""Feedback: a "tell us" form for every service, following a thread by code, staff answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pyithu.accounts.decorators import counts_code_lookups
from pyithu.core import audit
from pyithu.core.pages import citizen_page
from pyithu.portal.forms import FeedbackForm, FollowUpForm, ReplyForm, StaffReplyForm
from pyithu.portal.models import Feedback
from pyithu.portal.selectors import active_services
from pyithu.portal.services import feedback as services
from pyithu.portal.services.errors import Refusal
from pyithu.portal.views.common import posted, put_on_form, render_form_page, staff_only


def _example_service() -> dict[str, Any]:
    return {"slug": active_services()[0].slug}


@citizen_page(example=_example_service)
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(active_services(), slug=slug)
    form = FeedbackForm(*posted(request))
    context = {"service": service, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            _feedback, code = services.send_feedback(
                service, form.cleaned_data["kind"], form.cleaned_data["body"]
            )
        except Refusal as refusal:
            put_on_form(form, refusal)
        else:
            # The code is shown in this response only; the server keeps its digest.
            return render(request, "portal/feedback_sent.html", {"service": service, "code": code})
    return render_form_page(request, "portal/feedback_form.html", context)


@citizen_page
@require_http_methods(["GET", "HEAD", "POST"])
@counts_code_lookups("portal-fb-code")
def feedback_follow(request: HttpRequest) -> HttpResponse:
    """Type the code (never in the URL) to read the thread and add to it."""
    if request.method != "POST":
        return render(request, "portal/feedback_follow.html", {"form": FollowUpForm()})
    with_reply = "body" in request.POST
    form: FollowUpForm = ReplyForm(request.POST) if with_reply else FollowUpForm(request.POST)
    feedback = services.find_by_code(request.POST.get("code", "")[:40])
    if feedback is None:
        if form.is_valid():
            form.add_error("code", _("No feedback has this code. Check it and try again."))
        return render_form_page(request, "portal/feedback_follow.html", {"form": form})
    status = 200
    if with_reply:
        if form.is_valid():
            try:
                services.add_sender_message(feedback, form.cleaned_data["body"])
            except Refusal as refusal:
                put_on_form(form, refusal)
                status = refusal.status
            else:
                form = ReplyForm(initial={"code": request.POST["code"]})
        else:
            status = 400
    else:
        form = ReplyForm(initial={"code": request.POST["code"]})
    context = {"feedback": feedback, "messages_": list(feedback.messages.all()), "form": form}
    return render(request, "portal/feedback_thread.html", context, status=status)


@staff_only
@require_safe
def staff_feedback(request: HttpRequest) -> HttpResponse:
    ministries = services.staff_ministries(request.user)
    status = request.GET.get("status", Feedback.Status.OPEN)
    threads = Feedback.objects.filter(service__ministry__slug__in=ministries)
    if status in Feedback.Status.values:
        threads = threads.filter(status=status)
    context = {
        "threads": threads.select_related("service")[:200],
        "status": status,
        "statuses": Feedback.Status.choices,
    }
    return render(request, "portal/staff/feedback_list.html", context)


def _staff_thread(request: HttpRequest, pk: Any) -> Feedback:
    feedback = get_object_or_404(Feedback.objects.select_related("service__ministry"), pk=pk)
    if not services.is_ministry_staff(request.user, feedback.service.ministry.slug):
        raise PermissionDenied
    return feedback


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def staff_feedback_thread(request: HttpRequest, pk: Any) -> HttpResponse:
    feedback = _staff_thread(request, pk)
    form = StaffReplyForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_feedback(feedback, form.cleaned_data["body"], request.user)
        except Refusal as refusal:
            put_on_form(form, refusal)
        else:
            return redirect("portal:staff_feedback_thread", feedback.pk)
    # The messages are unsealed for this page: the reading is in the audit log.
    audit.record(request.user, "portal.feedback_read", feedback, summary=feedback.service.slug)
    context = {"feedback": feedback, "messages_": list(feedback.messages.all()), "form": form}
    return render_form_page(request, "portal/staff/feedback_thread.html", context)


@staff_only
@require_POST
def staff_feedback_close(request: HttpRequest, pk: Any) -> HttpResponse:
    feedback = _staff_thread(request, pk)
    try:
        services.close_feedback(feedback, request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal.message))
    return redirect("portal:staff_feedback_thread", feedback.pk)
