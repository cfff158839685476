"""FHIR export, public questions and answers, consented sharing, and the reach page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from pyithu.accounts.models import User
from pyithu.core import reach
from pyithu.health.models import Clinic, Consultation, Outcome, Question, ServiceReferral
from pyithu.health.services import community, consults, prescriptions

pytestmark = pytest.mark.django_db


def test_a_case_exports_as_a_valid_fhir_bundle_with_a_pseudonym_only(
    mya_case: tuple[Consultation, str], thida: User, make_doctor: Any
) -> None:
    case, _ = mya_case
    consults.claim_case(thida, case.pk)
    consults.record_outcome(
        thida, case.pk, Outcome.Kind.REFERRAL, referred_to=Clinic.objects.get(slug="dermatology")
    )
    derm = make_doctor("doctor-su", "clinic:dermatology")
    consults.claim_case(derm, case.pk)
    prescriptions.issue_prescription(
        derm, case.pk, [{"medicine": "Clotrimazole cream", "dose": "twice daily", "quantity": "1"}]
    )
    client = Client()
    client.force_login(derm)
    response = client.get(f"/health/staff/case/{case.pk}/fhir.json")
    bundle = Bundle.model_validate_json(response.content)
    kinds = sorted(e.resource.get_resource_type() for e in bundle.entry)
    assert kinds == ["Encounter", "MedicationRequest", "Patient", "ServiceRequest"]
    text = response.content.decode()
    assert "mya_health" not in text and "Cough" not in text
    # The general doctor, no longer in the case's clinic, cannot export it
    general = Client()
    general.force_login(thida)
    assert general.get(f"/health/staff/case/{case.pk}/fhir.json").status_code == 404


def test_questions_are_anonymous_and_answers_searchable_in_both_languages(
    client_my: Client, thida: User
) -> None:
    client_my.post("/health/questions/", {"question": "သွေးတိုးရောဂါ ဘယ်လိုကာကွယ်ရမလဲ"})
    question = Question.objects.get()
    assert {f.name for f in Question._meta.fields} & {"asker", "address", "user"} == set()
    assert client_my.get("/health/questions/?q=သွေးတိုး").context["found"].count() == 0
    community.answer_question(thida, question.pk, "Less salt, more walking. ဆားလျှော့စားပါ။")
    assert client_my.get("/health/questions/?q=သွေးတိုး").context["found"].count() == 1
    assert client_my.get("/health/questions/?q=salt").context["found"].count() == 1
    assert client_my.get("/health/questions/?q=diabetes").context["found"].count() == 0


def test_sharing_with_another_service_sends_only_what_was_ticked(
    mya_case: tuple[Consultation, str], client_en: Client
) -> None:
    _case, code = mya_case
    client_en.post("/health/case/", {"code": code})
    refused = client_en.post(
        "/health/case/share/", {"service": "gbv-counselling", "fields": ["age_band"]}
    )
    assert refused.status_code == 400 and ServiceReferral.objects.count() == 0
    client_en.post(
        "/health/case/share/",
        {"service": "gbv-counselling", "fields": ["age_band", "contact"], "consent": "on"},
    )
    shared = ServiceReferral.objects.get()
    assert shared.shared_fields == ["age_band", "contact"]
    assert shared.shared_summary == "age: 18 to 39\nhow to reach me: telegram: @mya_health"
    assert "Cough" not in shared.shared_summary


def test_reach_counts_by_township_and_country_and_hides_small_numbers(
    book: Any, township: Any, client_en: Client
) -> None:
    book()
    book(township=None, abroad_country="TH")
    source = next(s for s in reach.sources() if s.key == "health")
    places = reach.by_place(source.provider(None, None))
    assert places == {township.pcode: 1, "abroad:TH": 1}
    page = client_en.get("/health/reach/").content.decode()
    assert (
        "<svg" in page and "&lt;5" in page and "Thailand" in page
    )  # the country by name, not its code
