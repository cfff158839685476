"""Cases that move: a claim with no reply in time returns to the queue, a coordinator reassigns,
a doctor who stops volunteering hands every open case back in one step.

Every move is a conditional update on the case's current holder (of two moves at once exactly
one applies), then one ``CaseEvent`` row: who moved it, to whom, when; never what it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role, RoleGrant, User
from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.core.ids import parse_id
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    Appointment,
    AppointmentStatus,
    CaseEvent,
    CaseMessage,
    CaseStatus,
    Clinic,
    Consultation,
    Roster,
)
from pyithu.health.selectors import MINISTRY, clinic_slugs_for, health_roles
from pyithu.health.services import reminders

NOT_COORDINATOR = _("Only a clinic coordinator can reassign cases. Nothing was changed.")


def is_coordinator(user: Any) -> bool:
    return Role.CLINIC_COORDINATOR in health_roles(user)


def _move(
    case: Consultation, kind: str, *, actor: Any, to: Any = None, now: datetime | None = None
) -> bool:
    """Move ``case`` from its current holder to ``to`` (None: the queue), if nobody moved it
    since it was read. Returns whether this call did it."""
    now = now or timezone.now()
    moved = Consultation.objects.filter(
        pk=case.pk, status=case.status, doctor_id=case.doctor_id
    ).update(
        status=CaseStatus.OPEN if to is not None else CaseStatus.WAITING,
        doctor=to,
        claimed_at=now if to is not None else None,
        updated_at=now,
    )
    if moved:
        CaseEvent.objects.create(consultation=case, kind=kind, actor=actor, doctor=to)
        changed(Consultation, [case.pk])
    return bool(moved)


def record_claim(case: Consultation, doctor: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        consultation=case, kind=CaseEvent.Kind.CLAIMED, actor=doctor, doctor=doctor
    )


def stale_claims(now: datetime | None = None) -> list[Consultation]:
    """Claimed cases whose doctor has not replied within their clinic's set time."""
    now = now or timezone.now()
    replied = CaseMessage.objects.filter(
        consultation=OuterRef("pk"),
        author=CaseMessage.Author.DOCTOR,
        created_at__gte=OuterRef("claimed_at"),
    )
    found: list[Consultation] = []
    for clinic in Clinic.objects.filter(claim_timeout_hours__gt=0):
        cutoff = now - timedelta(hours=clinic.claim_timeout_hours)
        found += Consultation.objects.filter(
            clinic=clinic, status=CaseStatus.OPEN, claimed_at__lt=cutoff
        ).exclude(Exists(replied))
    return found


@transaction.atomic
def release_stale_claims(now: datetime | None = None) -> int:
    """Return unanswered claims to the queue (the periodic command, and every queue view)."""
    return sum(
        _move(case, CaseEvent.Kind.RELEASED, actor=None, now=now) for case in stale_claims(now)
    )


def _case(case_id: Any) -> Consultation:
    found = Consultation.objects.select_for_update().filter(pk=parse_id(case_id)).first()
    if found is None:
        raise HealthError(_("Case not found."))
    return found


@transaction.atomic
def reassign(coordinator: Any, case_id: Any, doctor: User | None) -> Consultation:
    """Give a case to a doctor of its clinic, or (``doctor`` None) back to the queue."""
    if not is_coordinator(coordinator):
        raise HealthError(NOT_COORDINATOR)
    case = _case(case_id)
    if case.status == CaseStatus.CLOSED:
        raise HealthError(_("This case is closed."))
    if doctor is not None and case.clinic.slug not in clinic_slugs_for(doctor):
        raise HealthError(_("That doctor does not work in this case's clinic."), "doctor")
    if doctor is not None and doctor.pk == case.doctor_id:
        raise HealthError(_("This doctor already has the case."), "doctor")
    _move(case, CaseEvent.Kind.REASSIGNED, actor=coordinator, to=doctor)
    audit.record(coordinator, "health.case_reassign", case, summary=case.clinic.slug)
    case.refresh_from_db()
    return case


@transaction.atomic
def hand_back_all(doctor: Any) -> int:
    """A doctor stops volunteering: every open case back to the queue, their weekly hours
    withdrawn, their times still ahead cancelled with a notice to each patient."""
    cases = list(
        Consultation.objects.select_for_update().filter(status=CaseStatus.OPEN, doctor=doctor)
    )
    count = sum(_move(case, CaseEvent.Kind.HANDED_BACK, actor=doctor) for case in cases)
    now = timezone.now()
    Roster.objects.filter(doctor=doctor, active=True).update(active=False, updated_at=now)
    # Times still ahead with this doctor are cancelled, and their patients told (no content):
    # each may take another time with the same code.
    ahead = Appointment.objects.select_for_update().filter(
        doctor=doctor, status=AppointmentStatus.BOOKED, starts_at__gt=now
    )
    for appointment in ahead.select_related("consultation"):
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status", "updated_at"])
        reminders.tell_cancelled(appointment)
    audit.record(doctor, "health.cases_hand_back", None, summary=str(count))
    return count


@dataclass(frozen=True)
class Load:
    doctor: User
    open_cases: int


def doctors() -> list[User]:
    ids = RoleGrant.objects.filter(
        role=Role.DOCTOR, ministry=MINISTRY, revoked_at__isnull=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("handle"))


def doctor_loads() -> list[Load]:
    """Open cases per doctor, busiest first: what a coordinator weighs before reassigning."""
    counts = dict(
        Consultation.objects.filter(status=CaseStatus.OPEN, doctor__isnull=False)
        .values("doctor")
        .annotate(n=Count("id"))
        .values_list("doctor", "n")
    )
    loads = [Load(d, counts.get(d.pk, 0)) for d in doctors()]
    return sorted(loads, key=lambda load: (-load.open_cases, load.doctor.handle))
