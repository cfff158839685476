"""The education API, public part: the registry of schools and universities, and applying
with a recommendation voucher (the same services, refusals and throttling as the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from pyithu.accounts.services import client_address
from pyithu.core.schema import Code, Text
from pyithu.education.admissions.services import admissions
from pyithu.education.errors import EducationError
from pyithu.education.models import School
from pyithu.education.schools import registry
from pyithu.geo.selectors import get_township

router = Router(tags=["education"])


class SchoolOut(Schema):
    slug: str
    name_en: str
    name_my: str
    kind: str
    level: str
    languages: list[str]
    curriculum: str
    status: str
    townships: list[str]  # P-codes of the areas served


class ProgrammeOut(Schema):
    name: str
    award: str


class SchoolDetailOut(SchoolOut):
    decided_at: datetime | None
    programmes: list[ProgrammeOut]


class SchoolFilter(Schema):
    level: Code = ""  # type: ignore[valid-type]
    language: Code = ""  # type: ignore[valid-type]
    township: Code = ""  # type: ignore[valid-type]
    status: Code = ""  # type: ignore[valid-type]
    kind: Code = ""  # type: ignore[valid-type]


def _school(school: School, townships: Any) -> dict[str, Any]:
    return {
        "slug": school.slug,
        "name_en": school.name_en,
        "name_my": school.name_my,
        "kind": school.kind,
        "level": school.level,
        "languages": registry.language_codes(school.languages),
        "curriculum": school.curriculum,
        "status": school.status,
        "townships": sorted(t.pcode for t in townships),
    }


@router.get(
    "/schools",
    response=list[SchoolOut],
    summary="The registry: recognised schools and universities, and suspended ones",
)
def schools(request: HttpRequest, filters: Query[SchoolFilter]) -> list[dict[str, Any]]:
    if filters.level and filters.level not in School.Level.values:
        raise HttpError(400, f"Unknown level; use one of {', '.join(School.Level.values)}.")
    if filters.kind and filters.kind not in School.Kind.values:
        raise HttpError(400, f"Unknown kind; use one of {', '.join(School.Kind.values)}.")
    if filters.status and filters.status not in registry.PUBLIC_STATUSES:
        raise HttpError(400, "Unknown status; use recognised or suspended.")
    chosen = registry.RegistryFilter(
        level=filters.level,
        language=filters.language.casefold(),
        township=filters.township.upper(),
        status=filters.status,
        kind=filters.kind,
    )
    return [_school(s, townships) for s, townships in registry.listing(chosen).schools]


@router.get("/schools/{slug}", response=SchoolDetailOut, summary="One school or university")
def school(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = registry.public_school(slug[:64])
    if found is None:
        raise HttpError(404, "No recognised or suspended school has this short name.")
    programmes = [{"name": n, "award": a} for n, a in registry.programmes_of(found)]
    return {
        **_school(found, found.townships.all()),
        "decided_at": found.decided_at,
        "programmes": programmes,
    }


class ApplicationIn(Schema):
    pseudonym: Text(60)  # type: ignore[valid-type]
    school: Code  # type: ignore[valid-type]
    programme: Text(200)  # type: ignore[valid-type]
    voucher: Text(40)  # type: ignore[valid-type]
    township: Code = ""  # type: ignore[valid-type]  # optional P-code: counts reach only


class AppliedOut(Schema):
    code: str  # shown once: only its digest is kept
    school: str
    status: str


class ApplicationCodeIn(Schema):
    code: Text(40)  # type: ignore[valid-type]


class ApplicationOut(Schema):
    school: str
    programme: str
    status: str
    decided_at: datetime | None


def _refused(exc: EducationError) -> HttpError:
    return HttpError(429 if isinstance(exc, admissions.Throttled) else 400, str(exc.message))


@router.post(
    "/applications",
    response={201: AppliedOut},
    summary="Apply with a pseudonym and a one-time recommendation voucher",
)
def apply(request: HttpRequest, payload: ApplicationIn) -> tuple[int, dict[str, str]]:
    school_found = School.objects.filter(slug=payload.school).first()
    if school_found is None:
        raise HttpError(400, "No school has this short name.")
    township = get_township(payload.township) if payload.township else None
    if payload.township and township is None:
        raise HttpError(400, "No township has this P-code.")
    try:
        application, code = admissions.apply(
            pseudonym=payload.pseudonym,
            school=school_found,
            programme=payload.programme,
            voucher_code=payload.voucher,
            address=client_address(request),
            township=township,
        )
    except EducationError as exc:
        raise _refused(exc) from exc
    return 201, {"code": code, "school": school_found.slug, "status": application.status}


@router.post(
    "/applications/status",
    response=ApplicationOut,
    summary="An application's status, by its code (sent in the body, never in the address)",
)
def application_status(request: HttpRequest, payload: ApplicationCodeIn) -> dict[str, Any]:
    try:
        found = admissions.status_for_code(payload.code, client_address(request))
    except EducationError as exc:
        status = 429 if isinstance(exc, admissions.Throttled) else 404
        raise HttpError(status, str(exc.message)) from exc
    return {
        "school": found.school.slug,
        "programme": found.programme,
        "status": found.status,
        "decided_at": found.decided_at,
    }
