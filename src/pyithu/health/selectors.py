"""Reads shared by views, the API and the FHIR export: above all, who may see which case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pyithu.accounts.models import Role, RoleGrant
from pyithu.health.models import AvailabilitySlot, CaseStatus, Clinic, Consultation, Question

MINISTRY = "health"
UNIT_PREFIX = "clinic:"


def clinic_slugs_for(user: Any) -> set[str]:
    """Clinics a doctor works in (decision 0010): a grant with unit ``clinic:<slug>`` gives that
    clinic; a ministry-wide doctor grant (unit "") gives the general clinic only, so a
    psychiatric case is never visible to every doctor of the ministry."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    units = RoleGrant.objects.filter(
        user=user, role=Role.DOCTOR, ministry=MINISTRY, revoked_at__isnull=True
    ).values_list("unit", flat=True)
    slugs = set()
    for unit in units:
        if unit == "":
            slugs.add(Clinic.GENERAL)
        elif unit.startswith(UNIT_PREFIX):
            slugs.add(unit.removeprefix(UNIT_PREFIX))
    return slugs


def clinics_for(user: Any) -> QuerySet[Clinic]:
    return Clinic.objects.filter(slug__in=clinic_slugs_for(user), active=True)


def is_doctor(user: Any) -> bool:
    return bool(clinic_slugs_for(user))


def health_roles(user: Any) -> set[str]:
    """The roles a person holds in the Ministry of Health (active grants only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        RoleGrant.objects.filter(user=user, ministry=MINISTRY, revoked_at__isnull=True).values_list(
            "role", flat=True
        )
    )


def unit_label(unit: str) -> str:
    """A role unit as a person reads it: ``clinic:respiratory`` is the clinic's own name in the
    reader's language; an empty unit is the general clinic; anything else is shown as it is."""
    if unit and not unit.startswith(UNIT_PREFIX):
        return unit
    slug = unit.removeprefix(UNIT_PREFIX) or Clinic.GENERAL
    clinic = Clinic.objects.filter(slug=slug).first()
    return clinic.display_name() if clinic else unit


def cases_for(user: Any) -> QuerySet[Consultation]:
    """Every case a doctor may read: those of their clinics."""
    return Consultation.objects.filter(clinic__in=clinics_for(user)).select_related(
        "clinic", "township", "doctor"
    )


def queue(user: Any, *, clinic: str = "", language: str = "") -> QuerySet[Consultation]:
    """Waiting cases, most urgent first, then longest waiting."""
    cases = cases_for(user).filter(status=CaseStatus.WAITING)
    if clinic:
        cases = cases.filter(clinic__slug=clinic)
    if language:
        cases = cases.filter(language=language)
    return cases.order_by("-urgency", "waiting_since", "id")


def my_open_cases(user: Any) -> QuerySet[Consultation]:
    return cases_for(user).filter(status=CaseStatus.OPEN, doctor=user).order_by("claimed_at")


def upcoming_slots(clinic: Clinic | None = None, limit: int = 20) -> QuerySet[AvailabilitySlot]:
    slots = AvailabilitySlot.objects.filter(ends_at__gt=timezone.now(), clinic__active=True)
    if clinic is not None:
        slots = slots.filter(clinic=clinic)
    return slots.select_related("clinic").order_by("starts_at")[:limit]


def published_questions(query: str = "") -> QuerySet[Question]:
    from pyithu.core.text import search_filter

    found = Question.objects.filter(published_at__isnull=False)
    if query:
        found = found.filter(search_filter("search_text", query))
    return found.order_by("-published_at")
