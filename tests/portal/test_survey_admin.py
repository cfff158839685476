"""Operators build surveys in the admin, only for their own ministries, only while drafts."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from pyithu.accounts.models import Role, User
from pyithu.portal.models import Ministry, Shutdown
from pyithu.portal.services.surveys import publish_survey
from pyithu.portal.services.trust_survey import create_trust_survey


def test_an_operator_sees_only_her_ministrys_surveys(olivia: User, make_staff: Any) -> None:
    # given a communications survey and a health survey
    mine = create_trust_survey(Ministry.objects.get(slug="communications"), "mine")
    theirs = create_trust_survey(Ministry.objects.get(slug="health"), "theirs")
    client = Client()
    client.force_login(olivia)
    # when olivia (communications operator) opens the survey list and the health survey
    listing = client.get(reverse("admin:portal_survey_changelist")).content.decode()
    other = client.get(reverse("admin:portal_survey_change", args=[theirs.pk]))
    # then she sees her ministry's survey only
    assert reverse("admin:portal_survey_change", args=[mine.pk]) in listing
    assert reverse("admin:portal_survey_change", args=[theirs.pk]) not in listing
    assert other.status_code == 302  # the admin's "does not exist" redirect
    assert client.get(reverse("admin:portal_survey_change", args=[mine.pk])).status_code == 200


def test_a_published_survey_is_read_only_in_the_admin(olivia: User) -> None:
    survey = publish_survey(
        create_trust_survey(Ministry.objects.get(slug="communications"), "live"), olivia
    )
    client = Client()
    client.force_login(olivia)
    url = reverse("admin:portal_survey_change", args=[survey.pk])
    response = client.post(url, {"title_en": "Changed"})
    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.title_en == "Trust in the NUG's digital services"


def test_operators_record_shutdowns_in_the_admin(make_staff: Any) -> None:
    client = Client()
    client.force_login(make_staff("operator-kyi", Role.OPERATOR, "communications"))
    assert client.get(reverse("admin:portal_shutdown_add")).status_code == 200
    assert client.get(reverse("admin:portal_shutdown_changelist")).status_code == 200
    assert Shutdown.objects.count() == 0
