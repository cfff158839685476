"""JSON API: public booking and status by code (the code travels in the body, never the URL),
and the doctors' queue and claim (bearer token + the clinic rule)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.accounts.services import client_address
from pyithu.core.schema import Text
from pyithu.geo.selectors import get_township
from pyithu.health import selectors
from pyithu.health.errors import HealthError
from pyithu.health.models import AgeBand, ContactChannel, Sex
from pyithu.health.services import booking, consults

router = Router(tags=["health"])


class BookingIn(Schema):
    symptoms: Text(2000)  # type: ignore[valid-type]
    age_band: AgeBand
    sex: Sex
    language: Text(8)  # type: ignore[valid-type]
    township: Text(16) = ""  # type: ignore[valid-type]
    abroad_country: Text(2) = ""  # type: ignore[valid-type]
    urgency: int = 0
    contact_channel: ContactChannel = ContactChannel.NONE
    contact: Text(100) = ""  # type: ignore[valid-type]
    red_flags: list[Text(64)] = []  # type: ignore[valid-type]
    not_happening_now: bool = False


class BookingOut(Schema):
    code: str
    status: str


class CodeIn(Schema):
    code: Text(40)  # type: ignore[valid-type]


class MessageOut(Schema):
    author: str
    body: str
    at: datetime


class StatusOut(Schema):
    status: str
    clinic: str
    messages: list[MessageOut]


class FollowUpIn(CodeIn):
    body: Text(2000)  # type: ignore[valid-type]


class QueueItem(Schema):
    id: UUID
    reference: str
    clinic: str
    urgency: int
    language: str
    waiting_since: datetime


@router.post("/bookings", response={201: BookingOut, 400: dict, 409: dict})
def create_booking(request: HttpRequest, data: BookingIn) -> Any:
    township = get_township(data.township) if data.township else None
    if data.township and township is None:
        return 400, {"field": "township", "detail": "unknown township"}
    details = booking.Booking(
        symptoms=data.symptoms,
        age_band=data.age_band,
        sex=data.sex,
        language=data.language,
        township=township,
        abroad_country=data.abroad_country,
        urgency=max(0, min(2, data.urgency)),
        contact_channel=data.contact_channel,
        contact=data.contact,
    )
    try:
        case, code = booking.book_consultation(
            details, red_flags=data.red_flags, not_happening_now=data.not_happening_now
        )
    except booking.RedFlagRaised as exc:
        return 409, {"refusal": exc.kind, "red_flags": [f.slug for f in exc.screening.flags]}
    except HealthError as exc:
        return 400, {"field": exc.field, "detail": str(exc.message)}
    return 201, {"code": code, "status": case.status}


def _find(request: HttpRequest, code: str) -> Any:
    try:
        return booking.find_by_code(code, client_address(request))
    except HealthError as exc:
        raise HttpError(404, str(exc.message)) from None


@router.post("/bookings/status", response=StatusOut)
def booking_status(request: HttpRequest, data: CodeIn) -> Any:
    case = _find(request, data.code)
    thread = [{"author": m.author, "body": m.body, "at": m.created_at} for m in case.messages.all()]
    return {"status": case.status, "clinic": case.clinic.slug, "messages": thread}


@router.post("/bookings/messages", response={201: dict, 400: dict})
def booking_follow_up(request: HttpRequest, data: FollowUpIn) -> Any:
    case = _find(request, data.code)
    try:
        booking.add_patient_message(case, data.body)
    except HealthError as exc:
        return 400, {"detail": str(exc.message)}
    return 201, {"status": case.status}


@router.get("/staff/queue", auth=ApiTokenAuth(), response=list[QueueItem])
def staff_queue(request: HttpRequest, clinic: Text(64) = "", language: Text(8) = "") -> Any:  # type: ignore[valid-type]
    if not selectors.is_doctor(request.auth):
        raise HttpError(403, "doctors only")
    cases = selectors.queue(request.auth, clinic=clinic, language=language)[:100]
    return [
        {
            "id": c.pk,
            "reference": c.reference,
            "clinic": c.clinic.slug,
            "urgency": c.urgency,
            "language": c.language,
            "waiting_since": c.waiting_since,
        }
        for c in cases
    ]


@router.post("/staff/cases/{case_id}/claim", auth=ApiTokenAuth(), response={200: dict, 409: dict})
def staff_claim(request: HttpRequest, case_id: UUID) -> Any:
    try:
        case = consults.claim_case(request.auth, case_id)
    except consults.CaseNotFound:
        raise HttpError(404, "Case not found.") from None
    except HealthError as exc:
        return 409, {"detail": str(exc.message)}
    return 200, {"id": str(case.pk), "status": case.status}
