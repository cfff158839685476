"""Referral desks: a receiving service reads only what the patient ticked, answers, and the
patient reads the answer by code; a desk never opens a referral sent elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role, User
from pyithu.geo.models import Township
from pyithu.health.errors import HealthError
from pyithu.health.models import Clinic, Consultation, DeskReferral, ReceivingService
from pyithu.health.services import booking, community, referrals
from pyithu.outbox.models import Message

Status = DeskReferral.Status


@pytest.fixture
def su(make_staff: Any) -> User:
    """The GBV support desk."""
    user = make_staff("desk-su", Role.OPERATOR, "communications")
    accounts.grant_role(
        user, Role.REFERRAL_OFFICER, "women-youth-children", unit="service:gbv-counselling"
    )
    return user


@pytest.fixture
def zaw(make_staff: Any) -> User:
    """The legal-aid desk."""
    user = make_staff("desk-zaw", Role.OPERATOR, "communications")
    accounts.grant_role(user, Role.REFERRAL_OFFICER, "justice", unit="service:legal-aid")
    return user


@pytest.fixture
def gbv_referral(mya_case: tuple[Consultation, str]) -> DeskReferral:
    case, _code = mya_case
    community.refer_to_service(case, "gbv-counselling", ["age_band", "contact"], consent=True)
    return DeskReferral.objects.get()


def test_a_consent_lands_on_the_desk_with_only_the_ticked_fields(
    gbv_referral: DeskReferral, su: User
) -> None:
    found = referrals.referral_for(su, gbv_referral.pk)
    assert found.status == Status.SENT and found.service.slug == "gbv-counselling"
    assert found.summary == "age: 18 to 39\nhow to reach me: telegram: @mya_health"
    assert "Cough" not in found.summary  # symptoms were not ticked


def test_the_desk_accepts_replies_and_the_patient_is_told_only_that_there_is_news(
    gbv_referral: DeskReferral, su: User
) -> None:
    referrals.decide(su, gbv_referral.pk, accept=True, reply="We will call you on Monday.")
    gbv_referral.refresh_from_db()
    assert gbv_referral.status == Status.ACCEPTED and gbv_referral.handled_by == su
    notice = Message.objects.get()
    assert "Monday" not in notice.body and notice.address == "@mya_health"
    # The patient sees the reply on the case opened by code
    case = gbv_referral.consultation
    assert [(r.service.slug, r.reply) for r in referrals.for_case(case)] == [
        ("gbv-counselling", "We will call you on Monday.")
    ]
    referrals.close(su, gbv_referral.pk)
    with pytest.raises(HealthError):
        referrals.reply_to(su, gbv_referral.pk, "again")


def test_a_decision_cannot_be_taken_twice(gbv_referral: DeskReferral, su: User) -> None:
    referrals.decide(su, gbv_referral.pk, accept=False, reply="Not our area.")
    with pytest.raises(HealthError) as refused:
        referrals.decide(su, gbv_referral.pk, accept=True)
    assert str(refused.value.message) == "This referral has already been answered."
    gbv_referral.refresh_from_db()
    assert gbv_referral.status == Status.DECLINED


def test_another_desk_cannot_open_or_answer_it_and_nothing_changes(
    gbv_referral: DeskReferral, zaw: User
) -> None:
    # The legal-aid desk: the GBV referral does not exist for it
    for act in (
        lambda: referrals.referral_for(zaw, gbv_referral.pk),
        lambda: referrals.decide(zaw, gbv_referral.pk, accept=True, reply="x"),
        lambda: referrals.close(zaw, gbv_referral.pk),
    ):
        with pytest.raises(referrals.ReferralNotFound):
            act()
    # And its pages answer with the site's Burmese 404, nothing changed
    client = Client(HTTP_ACCEPT_LANGUAGE="my")
    client.force_login(zaw)
    page = client.get(f"/health/desk/{gbv_referral.pk}/")
    assert page.status_code == 404 and 'lang="my"' in page.content.decode()
    posted = client.post(f"/health/desk/{gbv_referral.pk}/act/", {"action": "accept"})
    assert posted.status_code == 404
    gbv_referral.refresh_from_db()
    assert (gbv_referral.status, gbv_referral.reply, gbv_referral.handled_by) == (
        Status.SENT,
        "",
        None,
    )
    assert str(gbv_referral.pk) not in client.get("/health/desk/").content.decode()


def test_without_the_role_the_desk_is_refused(alice: User, thida: User) -> None:
    for user in (alice, thida):
        client = Client()
        client.force_login(user)
        assert client.get("/health/desk/").status_code == 403


def test_a_referral_to_a_service_an_operator_retired_is_refused(
    mya_case: tuple[Consultation, str],
) -> None:
    ReceivingService.objects.filter(slug="legal-aid").update(active=False)
    with pytest.raises(HealthError) as refused:
        community.refer_to_service(mya_case[0], "legal-aid", ["age_band"], consent=True)
    assert refused.value.field == "service"
    assert DeskReferral.objects.count() == 0


def test_an_operator_adds_a_service_and_patients_can_share_with_it(
    mya_case: tuple[Consultation, str],
) -> None:
    ReceivingService.objects.create(slug="shelter", name_en="Shelter", name_my="ခိုလှုံရာ")
    community.refer_to_service(mya_case[0], "shelter", ["age_band"], consent=True)
    assert DeskReferral.objects.get().service.slug == "shelter"


def test_the_legal_aid_desk_refers_a_person_to_a_clinic(zaw: User, township: Township) -> None:
    details = booking.Booking(
        symptoms="Headaches since the arrest; cannot sleep",
        age_band="40-59",
        sex="male",
        language="my",
        township=township,
    )
    general = Clinic.objects.get(slug="general")
    service = ReceivingService.objects.get(slug="legal-aid")
    # Without the person's agreement nothing is made
    with pytest.raises(HealthError) as refused:
        referrals.refer_to_clinic(zaw, service, general, details, consent=False)
    assert refused.value.field == "consent"
    assert Consultation.objects.count() == 0
    # With it, a case waits in the clinic's queue, found by the code the desk hands over
    found, code = referrals.refer_to_clinic(zaw, service, general, details, consent=True)
    case = booking.find_by_code(code, "127.0.0.1")
    assert case == found.consultation and case.clinic == general and case.status == "waiting"
    assert found.from_service == service and found.service is None
    # A desk cannot refer in the name of a service it does not staff
    gbv = ReceivingService.objects.get(slug="gbv-counselling")
    with pytest.raises(referrals.ReferralNotFound):
        referrals.refer_to_clinic(zaw, gbv, general, details, consent=True)
    assert Consultation.objects.count() == 1
