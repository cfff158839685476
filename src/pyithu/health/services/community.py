"""Public questions and answers, and consented referrals to other ministries' services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pyithu.core import audit
from pyithu.core.text import search_key
from pyithu.health.errors import HealthError
from pyithu.health.models import (
    AgeBand,
    Consultation,
    Question,
    ReceivingService,
    ServiceReferral,
    Sex,
)
from pyithu.health.selectors import is_doctor
from pyithu.health.services import referrals


@transaction.atomic
def ask_question(text: str, language: str) -> Question:
    """Stored with no account, address or contact: only the words and their language."""
    return Question.objects.create(question=text, language=language)


@transaction.atomic
def answer_question(doctor: Any, question_id: Any, answer: str, *, question: str = "") -> Question:
    """A doctor answers and publishes; they may tidy the question (e.g. remove a name)."""
    if not is_doctor(doctor):
        raise HealthError(_("Only doctors answer questions."))
    found = Question.objects.select_for_update().filter(pk=question_id).first()
    if found is None:
        raise HealthError(_("Question not found."))
    found.question = question or found.question
    found.answer = answer
    found.answered_by = doctor
    found.published_at = found.published_at or timezone.now()
    found.search_text = search_key(f"{found.question}\n{found.answer}")
    found.save()
    audit.record(doctor, "health.question_answer", found)
    return found


@transaction.atomic
def reject_question(doctor: Any, question_id: Any) -> None:
    if not is_doctor(doctor):
        raise HealthError(_("Only doctors answer questions."))
    Question.objects.filter(pk=question_id, published_at__isnull=True).delete()
    audit.record(doctor, "health.question_reject", None, summary=str(question_id)[:40])


# What a patient may choose to share, and how each is written into the summary.
SHAREABLE = {
    "age_band": _("age"),
    "sex": _("sex"),
    "place": _("township or country"),
    "language": _("language"),
    "contact": _("how to reach me"),
    "symptoms": _("what I wrote about my health"),
}


def _value(case: Consultation, field: str) -> str:
    if field == "age_band":
        return str(AgeBand(case.age_band).label)
    if field == "sex":
        return str(Sex(case.sex).label)
    if field == "place":
        return case.abroad_country or case.township.display_name("en")
    if field == "contact":
        return f"{case.contact_channel}: {case.contact}" if case.contact else "-"
    return str(getattr(case, field))


@transaction.atomic
def refer_to_service(
    case: Consultation, service: str, fields: list[str], *, consent: bool
) -> ServiceReferral:
    """Share exactly the ticked fields with another service, and keep a sealed copy of what."""
    if not consent:
        raise HealthError(_("Tick the box to agree before anything is shared."), "consent")
    if not ReceivingService.objects.filter(slug=service, active=True).exists():
        raise HealthError(_("Choose a service."), "service")
    chosen = [f for f in SHAREABLE if f in fields]
    if not chosen:
        raise HealthError(_("Choose at least one thing to share."), "fields")
    lines = [f"{gettext(SHAREABLE[f])}: {_value(case, f)}" for f in chosen]
    consent_record = ServiceReferral.objects.create(
        consultation=case,
        service=service,
        shared_fields=chosen,
        shared_summary="\n".join(lines),
        consented_at=timezone.now(),
    )
    referrals.from_consent(consent_record)
    return consent_record
