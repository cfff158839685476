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
from pyithu.core.changes import changed
from pyithu.core.text import normalise_text
from pyithu.education.errors import EducationError
from pyithu.education.models import Guideline, Review, School
from pyithu.geo.models import Township

MINISTRY = "education"
MAX_REASON_CHARS = 120


def require_reason(decision: str, reason: str) -> None:
    """A suspension or refusal is explained: the school must know what to put right."""
    if decision != School.Status.RECOGNISED and not normalise_text(reason):
        raise EducationError(_("Give the reason for suspending or refusing."), "reason")


@transaction.atomic
def apply_school(
    name_en: str,
    *,
    kind: str,
    level: str,
    languages: str = "",
    curriculum: str = "",
    name_my: str = "",
    townships: Iterable[Township] = (),
    by: object = None,
) -> School:
    name_en = normalise_text(name_en)
    if not name_en:
        raise EducationError(_("Give the school's name."), "name_en")
    if kind not in School.Kind.values:
        raise EducationError(_("Choose a school or a university."), "kind")
    if level not in School.Level.values:
        raise EducationError(_("Choose a level."), "level")
    base = slugify(name_en)[:56] or "school"
    slug, n = base, 1
    while School.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    school = School.objects.create(
        slug=slug,
        name_en=name_en,
        name_my=normalise_text(name_my),
        kind=kind,
        level=level,
        languages=normalise_text(languages),
        curriculum=normalise_text(curriculum),
    )
    school.townships.set(list(townships))
    if by is not None:
        audit.record(by, "education.school_apply", school, summary=school.slug)
    return school


def can_decide(user: object, school: School) -> bool:
    return has_role(user, Role.EXAM_OFFICER, MINISTRY) or has_role(
        user, Role.SCHOOL_ADMIN, MINISTRY, unit=school.slug
    )


@transaction.atomic
def decide_school(
    school: School, decision: str, by: object, met: Iterable[UUID] = (), reason: str = ""
) -> Review:
    """Recognise, suspend or refuse. Recognition needs every guideline in use met.

    ``reason`` (required by ``require_reason``, which the staff pages and the API set for a
    suspension or refusal) is kept on the review and in the audit entry: institutions are
    public, and the reason must name no one.
    """
    if not can_decide(by, school):
        raise EducationError(_("You may not decide on this school."))
    if decision not in (School.Status.RECOGNISED, School.Status.SUSPENDED, School.Status.REFUSED):
        raise EducationError(_("Choose recognise, suspend or refuse."), "decision")
    reason = " ".join(normalise_text(reason).split())[:MAX_REASON_CHARS]
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
    changed(School, [school.pk])
    review = Review.objects.create(school=school, decision=decision, decided_by=by, reason=reason)
    review.met.set(Guideline.objects.filter(pk__in=met_ids))
    summary = f"{school.slug}: {reason}" if reason else school.slug
    audit.record(by, f"education.school_{decision}", school, summary=summary)
    school.refresh_from_db()
    return review
