"""Certificates: issued from a released exam result, signed, verified, revoked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.core.ids import new_id
from pyithu.core.text import normalise_text
from pyithu.education.certificates import signing
from pyithu.education.errors import EducationError
from pyithu.education.exams.services.exams import code_digest, result_for_code
from pyithu.education.models import Candidate, Certificate, School

MINISTRY = "education"


def _pseudonym(candidate: Candidate) -> str:
    return f"C-{str(candidate.pk)[-8:].upper()}"


@transaction.atomic
def issue(
    *,
    holder_pseudonym: str,
    title: str,
    result: str,
    school: School | None = None,
    holder_name: str = "",
    candidate: Candidate | None = None,
    courses: list[list[str | int]] | None = None,
) -> Certificate:
    """Sign and keep a certificate. The name is printed (and kept, sealed) only if given.
    A transcript gives its ``courses`` (see ``signing.COURSE_TYPES``)."""
    holder_name = normalise_text(holder_name)[:120]
    cert_id = new_id()
    today = timezone.localdate()
    payload: dict[str, Any] = {
        "id": str(cert_id),
        "holder": holder_pseudonym,
        "name": holder_name,
        "title": title,
        "school": school.name_en if school else "",
        "date": today.isoformat(),
        "result": result,
    }
    if courses is not None:
        payload[signing.COURSES] = courses
    return Certificate.objects.create(
        id=cert_id,
        holder_pseudonym=holder_pseudonym,
        holder_name=holder_name,
        school=school,
        title=title,
        candidate=candidate,
        issued_on=today,
        result=result,
        signed_text=signing.sign(payload),
    )


def issue_from_result(code: str, holder_name: str = "") -> Certificate:
    """The holder, proving it with their exam code, takes a certificate of a released result.

    One certificate per candidate: asking again returns the one already issued.
    """
    outcome = result_for_code(code)  # refuses unknown codes and unreleased results
    candidate = Candidate.objects.select_related("sitting", "school").get(
        code_digest=code_digest(code)
    )
    existing = Certificate.objects.filter(candidate=candidate).first()
    if existing is not None:
        return existing
    verdict = "pass" if outcome.passed else "not passed"
    return issue(
        holder_pseudonym=_pseudonym(candidate),
        holder_name=holder_name,
        title=candidate.sitting.title,
        school=candidate.school,
        result=f"{outcome.score}/{outcome.total} {verdict}",
        candidate=candidate,
    )


@transaction.atomic
def revoke(certificate: Certificate, by: object) -> Certificate:
    if not has_role(by, Role.EXAM_OFFICER, MINISTRY):
        raise EducationError(_("Only an exam officer may revoke a certificate."))
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, updated_at=timezone.now()
    )
    if updated != 1:
        raise EducationError(_("This certificate has already been revoked."))
    changed(Certificate, [certificate.pk])
    audit.record(by, "education.certificate_revoke", certificate)
    certificate.refresh_from_db()
    return certificate


@dataclass(frozen=True)
class Check:
    state: str  # "valid", "revoked" or "invalid"
    payload: dict[str, Any] | None


def check(text: str) -> Check:
    """What the verify page shows: valid, revoked, or not valid (any input is safe)."""
    try:
        payload = signing.verify_text(text)
    except signing.InvalidCertificate:
        return Check("invalid", None)
    row = Certificate.objects.filter(pk=payload["id"]).only("revoked_at").first()
    if row is None:
        return Check("invalid", None)
    return Check("revoked" if row.revoked_at else "valid", payload)
