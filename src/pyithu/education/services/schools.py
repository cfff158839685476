"""The school registry: applications and recognition decisions (with audit)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.core.text import normalise_text
from pyithu.education.models import Guideline, Review, School
from pyithu.education.services import EducationError

MINISTRY = "education"


@transaction.atomic
def apply_school(
    name_en: str,
    *,
    kind: str,
    level: str,
    languages: str = "",
    curriculum: str = "",
    name_my: str = "",
) -> School:
    name_en = normalise_text(name_en)
    slug = slugify(name_en)[:56] or "school"
    if School.objects.filter(slug=slug).exists():
        slug = f"{slug}-{School.objects.count() + 1}"
    return School.objects.create(
        slug=slug,
        name_en=name_en,
        name_my=normalise_text(name_my),
        kind=kind,
        level=level,
        languages=normalise_text(languages),
        curriculum=normalise_text(curriculum),
    )


def can_decide(user: object, school: School) -> bool:
    return has_role(user, Role.EXAM_OFFICER, MINISTRY) or has_role(
        user, Role.SCHOOL_ADMIN, MINISTRY, unit=school.slug
    )


@transaction.atomic
def decide_school(school: School, decision: str, by: object, met: Iterable[UUID] = ()) -> Review:
    """Recognise, suspend or refuse. Recognition needs every guideline in use met."""
    if not can_decide(by, school):
        raise EducationError(_("You may not decide on this school."))
    if decision not in (School.Status.RECOGNISED, School.Status.SUSPENDED, School.Status.REFUSED):
        raise EducationError(_("Choose recognise, suspend or refuse."), "decision")
    met_ids = set(met)
    missing = Guideline.objects.filter(is_active=True).exclude(pk__in=met_ids)
    if decision == School.Status.RECOGNISED and missing.exists():
        raise EducationError(
            _("Every guideline must be met before recognition (%(n)d missing).")
            % {"n": missing.count()},
            "met",
        )
    School.objects.filter(pk=school.pk).update(
        status=decision, decided_at=timezone.now(), decided_by=by, updated_at=timezone.now()
    )
    review = Review.objects.create(school=school, decision=decision, decided_by=by)
    review.met.set(Guideline.objects.filter(pk__in=met_ids))
    audit.record(by, f"education.school_{decision}", school, summary=school.slug)
    school.refresh_from_db()
    return review
