"""Referral desks: the staff of a receiving service (GBV support, legal aid, any service an
operator adds) read the referrals sent to it, accept or decline, reply and close; a desk can
also refer a person to a health clinic.

Who sees what: a desk officer holds a ``referral_officer`` grant whose unit names the service
(``service:<slug>``, any ministry). Every function takes the officer and finds the referral
among their services' only, so a referral sent elsewhere is "not found" with nothing changed.
A desk reads only the sealed summary of what the patient ticked, never the consultation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role, RoleGrant
from pyithu.core import audit
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    Clinic,
    Consultation,
    DeskReferral,
    ReceivingService,
    ServiceReferral,
)
from pyithu.health.services import booking
from pyithu.outbox import services as outbox

UNIT_PREFIX = "service:"
Status = DeskReferral.Status


class ReferralNotFound(HealthError):
    """Unknown, or sent to a service this officer does not staff: the same answer for both."""

    def __init__(self) -> None:
        super().__init__(_("Referral not found."))


def is_officer(user: Any) -> bool:
    """Holds a referral-desk grant (whether or not it names a service yet)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return RoleGrant.objects.filter(
        user=user, role=Role.REFERRAL_OFFICER, revoked_at__isnull=True
    ).exists()


def service_slugs_for(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    units = RoleGrant.objects.filter(
        user=user, role=Role.REFERRAL_OFFICER, revoked_at__isnull=True
    ).values_list("unit", flat=True)
    return {u.removeprefix(UNIT_PREFIX) for u in units if u.startswith(UNIT_PREFIX)}


def services_for(user: Any) -> QuerySet[ReceivingService]:
    return ReceivingService.objects.filter(slug__in=service_slugs_for(user), active=True)


def incoming(user: Any) -> QuerySet[DeskReferral]:
    """Referrals sent to the officer's services, open ones first, newest first."""
    return (
        DeskReferral.objects.filter(service__in=services_for(user))
        .select_related("service")
        .order_by("closed_at", "-created_at")
    )


def referral_for(user: Any, referral_id: Any) -> DeskReferral:
    try:
        return incoming(user).get(pk=referral_id)
    except (DeskReferral.DoesNotExist, ValueError, TypeError):
        raise ReferralNotFound() from None


def _locked(user: Any, referral_id: Any) -> DeskReferral:
    found = referral_for(user, referral_id)
    locked = DeskReferral.objects.select_for_update().get(pk=found.pk)
    if locked.status == Status.CLOSED:
        raise HealthError(_("This referral is closed."))
    return locked


def _notify(referral: DeskReferral) -> None:
    """Tell the patient an answer is waiting (never what it says), on the channel they chose."""
    case = referral.consultation
    if not case.contact_channel or not case.contact:
        return
    with translation.override(case.language or "my"):
        body = gettext("Pyithu health: a service answered. Open the service and enter your code.")
    key = f"health:desk:{referral.pk}:{referral.status}:{referral.updated_at.isoformat()}"
    outbox.enqueue(case.contact_channel, case.contact, body, dedupe_key=key)


@transaction.atomic
def decide(officer: Any, referral_id: Any, *, accept: bool, reply: str = "") -> DeskReferral:
    """Accept or decline a referral not yet decided, with a reply the patient reads."""
    found = _locked(officer, referral_id)
    if found.status != Status.SENT:
        raise HealthError(_("This referral has already been answered."))
    found.status = Status.ACCEPTED if accept else Status.DECLINED
    found.decided_at = timezone.now()
    found.handled_by = officer
    if reply:
        found.reply = reply
    found.save()
    _notify(found)
    audit.record(officer, f"health.referral_{found.status}", found, summary=found.service.slug)
    return found


@transaction.atomic
def reply_to(officer: Any, referral_id: Any, reply: str) -> DeskReferral:
    found = _locked(officer, referral_id)
    if found.status == Status.SENT:
        raise HealthError(_("Accept or decline the referral first."), "reply")
    found.reply = reply
    found.handled_by = officer
    found.save()
    _notify(found)
    audit.record(officer, "health.referral_reply", found, summary=found.service.slug)
    return found


@transaction.atomic
def close(officer: Any, referral_id: Any) -> DeskReferral:
    found = _locked(officer, referral_id)
    found.status, found.closed_at, found.handled_by = Status.CLOSED, timezone.now(), officer
    found.save()
    audit.record(officer, "health.referral_close", found, summary=found.service.slug)
    return found


@transaction.atomic
def from_consent(consent: ServiceReferral) -> DeskReferral | None:
    """Put a patient's consented referral on the receiving service's desk."""
    service = ReceivingService.objects.filter(slug=consent.service, active=True).first()
    if service is None:
        return None
    return DeskReferral.objects.create(
        consultation=consent.consultation,
        service=service,
        consent=consent,
        summary=consent.shared_summary,
    )


@transaction.atomic
def refer_to_clinic(
    officer: Any,
    service: ReceivingService,
    clinic: Clinic,
    details: booking.Booking,
    *,
    consent: bool,
) -> tuple[DeskReferral, str]:
    """A desk sends a person to a health clinic, with their consent: a consultation waits in
    the clinic's queue and the person follows it by the code returned (shown once)."""
    if service.slug not in service_slugs_for(officer):
        raise ReferralNotFound()
    if not consent:
        raise HealthError(_("The person must agree before anything is shared."), "consent")
    if not clinic.active:
        raise HealthError(_("Choose the clinic to refer to."), "clinic")
    case, code = booking.book_consultation(details, clinic=clinic, not_happening_now=True)
    referral = DeskReferral.objects.create(
        consultation=case, from_service=service, summary=details.symptoms, handled_by=officer
    )
    audit.record(officer, "health.referral_to_clinic", referral, summary=clinic.slug)
    return referral, code


def for_case(case: Consultation) -> QuerySet[DeskReferral]:
    """What the patient sees by their code: where each referral went and the answer."""
    return case.desk_referrals.filter(service__isnull=False).select_related("service")
