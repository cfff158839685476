"""Feedback on services: the sender writes and follows by code; the ministry answers and closes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.accounts.models import RoleGrant
from pyithu.core import audit, changes, sealing
from pyithu.portal.models import Feedback, FeedbackMessage, Service
from pyithu.portal.services.errors import Conflict, Refusal
from pyithu.portal.services.surveys import new_code, normalise_code

MAX_MESSAGE = 4000


def follow_up_digest(code: str) -> str:
    return sealing.digest("feedback-code", normalise_code(code))


def is_ministry_staff(user: Any, ministry_slug: str) -> bool:
    """Whether ``user`` holds any active role in the ministry (its staff see its feedback)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    return RoleGrant.objects.filter(
        user=user, ministry=ministry_slug, revoked_at__isnull=True
    ).exists()


def staff_ministries(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return []
    grants = RoleGrant.objects.filter(user=user, revoked_at__isnull=True)
    return sorted(set(grants.values_list("ministry", flat=True)))


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise Refusal(_("Write your message."), field="body")
    if len(body) > MAX_MESSAGE:
        raise Refusal(_("Write at most %(max)d characters.") % {"max": MAX_MESSAGE}, "body")
    return body


@transaction.atomic
def send_feedback(service: Service, kind: str, body: str) -> tuple[Feedback, str]:
    """A new thread; returns it and the follow-up code, which is shown once and never stored."""
    if kind not in Feedback.Kind.values:
        raise Refusal(_("Choose complaint, suggestion or praise."), field="kind")
    body = _check_body(body)
    code = new_code()
    feedback = Feedback.objects.create(
        service=service, kind=kind, code_digest=follow_up_digest(code)
    )
    FeedbackMessage.objects.create(feedback=feedback, body=body)
    return feedback, code


def find_by_code(code: str) -> Feedback | None:
    if not normalise_code(code):
        return None
    return (
        Feedback.objects.select_related("service__ministry")
        .filter(code_digest=follow_up_digest(code))
        .first()
    )


@transaction.atomic
def add_sender_message(feedback: Feedback, body: str) -> FeedbackMessage:
    body = _check_body(body)
    reopened = Feedback.objects.filter(pk=feedback.pk).exclude(status=Feedback.Status.CLOSED)
    if not reopened.update(status=Feedback.Status.OPEN, updated_at=timezone.now()):
        raise Conflict(_("This conversation is closed. Send new feedback instead."), "body")
    changes.changed(Feedback, [feedback.pk])
    return FeedbackMessage.objects.create(feedback=feedback, body=body)


@transaction.atomic
def answer_feedback(feedback: Feedback, body: str, by: Any) -> FeedbackMessage:
    _check_staff(feedback, by)
    body = _check_body(body)
    open_ = Feedback.objects.filter(pk=feedback.pk).exclude(status=Feedback.Status.CLOSED)
    if not open_.update(status=Feedback.Status.ANSWERED, updated_at=timezone.now()):
        raise Conflict(_("This conversation is closed."), "body")
    changes.changed(Feedback, [feedback.pk])
    message = FeedbackMessage.objects.create(feedback=feedback, body=body, author=by)
    audit.record(by, "portal.feedback_answer", feedback, summary=feedback.service.slug)
    return message


@transaction.atomic
def close_feedback(feedback: Feedback, by: Any) -> None:
    _check_staff(feedback, by)
    changed = (
        Feedback.objects.filter(pk=feedback.pk)
        .exclude(status=Feedback.Status.CLOSED)
        .update(status=Feedback.Status.CLOSED, closed_at=timezone.now(), updated_at=timezone.now())
    )
    if not changed:
        raise Conflict(_("This conversation is already closed."))
    changes.changed(Feedback, [feedback.pk])
    audit.record(by, "portal.feedback_close", feedback, summary=feedback.service.slug)


def _check_staff(feedback: Feedback, user: Any) -> None:
    if not is_ministry_staff(user, feedback.service.ministry.slug):
        raise Refusal(_("Only staff of the responsible ministry can do this."))
