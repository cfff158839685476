"""Health staff pages as a Burmese reader meets them: desks per role, clinics by name, waiting
times through plural-aware translation, and a next step after every action."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pyithu.accounts.models import Role, User
from pyithu.health import selectors
from pyithu.health.models import Consultation
from pyithu.health.services import consults
from pyithu.health.templatetags.health import service_note, waited


def _client(user: User, language: str = "my") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["lang"] = language
    client.force_login(user)
    return client


def test_every_health_desk_opens_without_arguments() -> None:
    desks = apps.get_app_config("health").desks
    assert {d.role for d in desks} == {
        Role.DOCTOR,
        Role.PHARMACIST,
        Role.CLINIC_COORDINATOR,
        Role.COUNSELLOR,
        Role.REFERRAL_OFFICER,
        Role.OPERATOR,
    }
    for desk in desks:
        assert reverse(desk.url_name)


def test_the_staff_page_shows_each_role_its_own_desks(
    thida: User, kyaw: User, make_staff: Any, olivia: User
) -> None:
    # A general doctor: queue, public questions, hours; never the pharmacist's dispensing
    page = _client(thida, "en").get("/health/staff/").content.decode()
    assert 'href="/health/staff/queue/"' in page and 'href="/health/staff/questions/"' in page
    assert 'href="/health/verify/"' not in page
    # A pharmacist: verify and dispense only
    hla = make_staff("pharmacist-hla", Role.PHARMACIST, "health")
    page = _client(hla, "en").get("/health/staff/").content.decode()
    assert 'href="/health/verify/"' in page and "/health/staff/queue/" not in page
    # A cardiologist's clinic is named in Burmese, never as its role unit
    page = _client(kyaw).get("/health/staff/").content.decode()
    assert "နှလုံးရောဂါ" in page and "clinic:cardiology" not in page
    # Someone with no health role is refused
    assert _client(olivia).get("/health/staff/").status_code == 403


def test_unit_labels_name_the_clinic_in_the_readers_language(db: Any) -> None:
    with translation.override("my"):
        assert selectors.unit_label("clinic:respiratory") == "အဆုတ်နှင့် အသက်ရှူလမ်းကြောင်း"
        assert selectors.unit_label("") == "အထွေထွေရောဂါကုဆေးခန်း"
    with translation.override("en"):
        assert selectors.unit_label("clinic:respiratory") == "Lungs and breathing (respiratory)"
    assert selectors.unit_label("outlet:42") == "outlet:42"


def test_waiting_times_are_counted_in_the_readers_language() -> None:
    now = timezone.now()
    with translation.override("en"):
        assert waited(now - timedelta(minutes=1, seconds=5)) == "1 minute"
        assert waited(now - timedelta(minutes=17, seconds=5)) == "17 minutes"
        assert waited(now - timedelta(hours=3, minutes=1)) == "3 hours"
        assert waited(now - timedelta(days=2, minutes=1)) == "2 days"
    with translation.override("my"):
        assert waited(now - timedelta(minutes=17, seconds=5)) == "၁၇ မိနစ်"


def test_the_queue_reads_in_burmese_without_a_wide_table(book: Any, thida: User) -> None:
    book("Cough", abroad_country="TH", township=None, language="en")
    page = _client(thida).get("/health/staff/queue/").content.decode()
    assert "<table" not in page
    assert "မိနစ်" in page and "minutes" not in page
    assert "အင်္ဂလိပ်" in page  # the case's language by name, not "en"


def test_referring_a_case_lands_on_the_queue_with_the_clinic_named(book: Any, thida: User) -> None:
    case, _code = book()
    client = _client(thida)
    client.post(f"/health/staff/case/{case.pk}/claim/")
    # The referral list names every clinic in Burmese
    page = client.get(f"/health/staff/case/{case.pk}/").content.decode()
    assert ">နှလုံးရောဂါ</option>" in page and "Heart (cardiology)" not in page
    cardiology = selectors.Clinic.objects.get(slug="cardiology")
    response = client.post(
        f"/health/staff/case/{case.pk}/outcome/",
        {"kind": "referral", "referred_to": cardiology.pk},
    )
    # The case left the doctor's clinics: the next page is their queue, not a 404
    assert response.status_code == 302 and response["Location"] == "/health/staff/queue/"
    page = client.get(response["Location"]).content.decode()
    assert "နှလုံးရောဂါ" in page
    assert Consultation.objects.get(pk=case.pk).clinic == cardiology


def test_a_service_note_shows_the_readers_half(db: Any) -> None:
    note = "→ Heart (cardiology) / နှလုံးရောဂါ"
    with translation.override("my"):
        assert service_note(note) == "→ နှလုံးရောဂါ"
    with translation.override("en"):
        assert service_note(note) == "→ Heart (cardiology)"
    assert service_note("plain words") == "plain words"


def test_the_verify_page_keeps_jargon_on_the_experts_page(client_my: Client) -> None:
    page = client_my.get("/health/verify/").content.decode()
    assert "Ed25519" not in page and "FHIR" not in page and "/health/verify/offline/" in page
    expert = client_my.get("/health/verify/offline/").content.decode()
    assert "Ed25519" in expert and "pyithu prescription verify" in expert


def test_a_doctor_who_prescribes_is_told_the_next_step(book: Any, thida: User) -> None:
    case, _code = book()
    client = _client(thida, "en")
    consults.claim_case(thida, case.pk)
    response = client.post(
        f"/health/staff/case/{case.pk}/prescribe/",
        {"valid_days": 30, "medicine_1": "ORS", "dose_1": "after each stool", "quantity_1": "5"},
        follow=True,
    )
    assert "Signed. The patient sees it with their code." in response.content.decode()


def test_the_app_names_its_own_role_units_for_other_pages(db: Any) -> None:
    health = apps.get_app_config("health")
    with translation.override("my"):
        assert health.unit_label("clinic:respiratory") == "အဆုတ်နှင့် အသက်ရှူလမ်းကြောင်း"
    assert health.unit_label("school:42") is None


def test_each_role_may_open_every_desk_it_is_shown(make_staff: Any) -> None:
    # No desk links into a page its role may not open (the admin's lists for coordinators too)
    desks = apps.get_app_config("health").desks
    for role in {d.role for d in desks}:
        person = make_staff(f"health-{role.replace('_', '-')}", role, "health")
        client = _client(person, "en")
        for desk in (d for d in desks if d.role == role):
            assert client.get(reverse(desk.url_name)).status_code == 200, (role, desk.url_name)


def test_the_account_home_names_a_specialists_clinic_not_its_unit(kyaw: User) -> None:
    # The account page (accounts knows nothing of health) asks the app that owns the unit
    page = _client(kyaw).get("/accounts/").content.decode()
    assert "နှလုံးရောဂါ" in page and "clinic:cardiology" not in page
