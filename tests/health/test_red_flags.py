"""Emergencies are refused with guidance; suicidal thoughts go to the hotline at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.geo.models import Township
from pyithu.health.models import Consultation, RedFlag, Urgency

pytestmark = pytest.mark.django_db


def _form(township: Township, symptoms: str, **extra: Any) -> dict[str, Any]:
    return {
        "symptoms": symptoms,
        "urgency": "0",
        "age_band": "40-59",
        "sex": "male",
        "language": "en",
        "township": township.pcode,
    } | extra


def test_the_seeded_list_covers_the_policy_in_both_languages() -> None:
    slugs = set(RedFlag.objects.values_list("slug", flat=True))
    assert {
        "chest-pain",
        "heavy-bleeding",
        "trouble-breathing",
        "unconscious",
        "seizure",
        "stroke",
        "suicidal-thoughts",
    } <= slugs
    assert not RedFlag.objects.filter(label_my="").exists()
    assert not RedFlag.objects.filter(keywords_my="").exists()


def test_a_ticked_emergency_is_refused_with_first_aid(
    client_en: Client, township: Township
) -> None:
    response = client_en.post(
        "/health/book/", _form(township, "My father is sweating", red_flags=["chest-pain"])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This is an emergency: we cannot help online." in html
    assert "chew one adult aspirin" in html
    assert "My father is sweating" in html  # what was typed is kept
    assert Consultation.objects.count() == 0


def test_a_burmese_keyword_asks_to_confirm_then_books_as_urgent(
    client_my: Client, township: Township
) -> None:
    # Given symptoms mentioning chest pain in Burmese, nothing ticked
    form = _form(township, "မနေ့က ရင်ဘတ်အောင့်တယ်", language="my")
    first = client_my.post("/health/book/", form)
    # Then the patient is asked to confirm it is not happening now; nothing is booked
    assert first.status_code == 400 and first.context["refusal"] == "check"
    assert [f.slug for f in first.context["screening"].flags] == ["chest-pain"]
    assert Consultation.objects.count() == 0
    # When they confirm, the booking is made, marked urgent
    second = client_my.post("/health/book/", form | {"not_happening_now": "on"})
    assert second.status_code == 200
    assert Consultation.objects.get().urgency == Urgency.URGENT


def test_suicidal_thoughts_go_to_the_hotline_at_once(client_en: Client, township: Township) -> None:
    ticked = client_en.post(
        "/health/book/", _form(township, "I can't sleep", red_flags=["suicidal-thoughts"])
    )
    typed = client_en.post("/health/book/", _form(township, "I want to end my life"))
    for response in (ticked, typed):
        assert response.status_code == 302 and response.url == "/health/hotline/"
    assert Consultation.objects.count() == 0
    hotline = client_en.get("/health/hotline/").content.decode()
    assert "Zero-Suicide hotline" in hotline
    assert "/health/book/?clinic=primary-mental-health" in hotline


def test_the_mental_health_clinic_takes_the_words_but_not_a_ticked_box(
    client_en: Client, township: Township
) -> None:
    url = "/health/book/?clinic=primary-mental-health"
    response = client_en.post(url, _form(township, "I sometimes want to die"))
    assert response.status_code == 200
    case = Consultation.objects.get()
    assert (case.clinic.slug, case.urgency) == ("primary-mental-health", Urgency.URGENT)


def test_an_operator_edits_the_list_and_the_form_follows(
    client_en: Client, township: Township
) -> None:
    # Given an operator adds a red flag for dengue warning signs
    RedFlag.objects.create(
        slug="dengue",
        kind="emergency",
        label_en="Bleeding gums with fever",
        label_my="သွားဖုံးသွေးထွက်",
        keywords_en="bleeding gums",
        keywords_my="သွားဖုံးသွေးထွက်",
    )
    page = client_en.get("/health/book/").content.decode()
    assert "Bleeding gums with fever" in page
    response = client_en.post("/health/book/", _form(township, "fever and bleeding gums"))
    assert response.context["refusal"] == "check"
    # And a deactivated flag no longer screens
    RedFlag.objects.filter(slug="dengue").update(active=False)
    assert client_en.post("/health/book/", _form(township, "bleeding gums")).status_code == 200


def test_sensitive_pages_have_a_plain_leave_quickly_link(client_en: Client) -> None:
    for url in ("/health/", "/health/book/", "/health/case/", "/health/hotline/"):
        html = client_en.get(url).content.decode()
        assert '<a href="/places/townships/" rel="noreferrer">Leave quickly</a>' in html, url
