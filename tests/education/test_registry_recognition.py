"""Recognition pages: a school's application is entered, an officer reviews the checklist and
recognises, suspends or refuses it with a reason; everything is in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import User
from pyithu.core.models import AuditEntry
from pyithu.education.models import Guideline, Review, School

pytestmark = pytest.mark.django_db

GUIDELINES = ["Students join with pseudonyms only", "Staff accounts use two-factor login"]


@pytest.fixture
def guidelines(db: Any) -> list[Guideline]:
    return [Guideline.objects.create(text_en=t, order=i) for i, t in enumerate(GUIDELINES)]


@pytest.fixture
def officer(nilar: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lang"] = "en"
    client.force_login(nilar)
    return client


@pytest.fixture
def applied(officer: Client) -> School:
    response = officer.post(
        "/education/staff/schools/apply/",
        {
            "name_en": "Sagaing Online High School",
            "kind": "school",
            "level": "high",
            "languages": "my, en",
            "curriculum": "NUG Ministry of Education",
            "townships": ["MMR005001"],
        },
    )
    assert response.status_code == 302
    return School.objects.get(slug="sagaing-online-high-school")


def test_an_application_is_entered_with_its_areas_and_audited(applied: School) -> None:
    assert applied.status == School.Status.APPLIED
    assert list(applied.townships.values_list("pcode", flat=True)) == ["MMR005001"]
    assert (applied.level, applied.languages) == ("high", "my, en")
    entry = AuditEntry.objects.get(action="education.school_apply")
    assert (entry.actor_handle, entry.summary) == ("examofficer-nilar", applied.slug)


def test_a_refused_application_form_keeps_what_was_typed(officer: Client) -> None:
    response = officer.post(
        "/education/staff/schools/apply/",
        {"name_en": "Half Typed School", "kind": "castle", "level": "high"},
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert b"Half Typed School" in response.content
    assert School.objects.count() == 0


def test_the_officer_recognises_when_every_guideline_is_ticked(
    officer: Client, applied: School, guidelines: list[Guideline]
) -> None:
    page = officer.get(f"/education/staff/schools/{applied.pk}/")
    assert page.status_code == 200
    assert all(t in page.content.decode() for t in GUIDELINES)
    response = officer.post(
        f"/education/staff/schools/{applied.pk}/",
        {"decision": "recognised", "met": [str(g.pk) for g in guidelines]},
    )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == School.Status.RECOGNISED and applied.decided_at is not None
    review = Review.objects.get()
    assert set(review.met.all()) == set(guidelines)
    assert AuditEntry.objects.filter(action="education.school_recognised").count() == 1
    # And the school is now in the public registry
    assert Client().get(f"/education/schools/{applied.slug}/").status_code == 200


def test_recognition_with_a_guideline_unticked_is_refused_and_nothing_changes(
    officer: Client, applied: School, guidelines: list[Guideline]
) -> None:
    response = officer.post(
        f"/education/staff/schools/{applied.pk}/",
        {"decision": "recognised", "met": [str(guidelines[0].pk)]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["met"] == [
        "Every guideline must be met before recognition (1 missing)."
    ]
    applied.refresh_from_db()
    assert applied.status == School.Status.APPLIED
    assert Review.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="education.school_rec").exists()


@pytest.mark.parametrize("decision", ["suspended", "refused"])
def test_suspending_or_refusing_needs_a_reason(
    officer: Client, applied: School, decision: str
) -> None:
    response = officer.post(f"/education/staff/schools/{applied.pk}/", {"decision": decision})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Give the reason for suspending or refusing."
    ]
    applied.refresh_from_db()
    assert applied.status == School.Status.APPLIED and Review.objects.count() == 0


def test_a_suspension_records_its_reason_and_shows_in_the_history(
    officer: Client, applied: School
) -> None:
    reason = "Student names kept in a shared spreadsheet"
    response = officer.post(
        f"/education/staff/schools/{applied.pk}/", {"decision": "suspended", "reason": reason}
    )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == School.Status.SUSPENDED
    review = Review.objects.get()
    assert (review.decision, review.reason) == (School.Status.SUSPENDED, reason)
    entry = AuditEntry.objects.get(action="education.school_suspended")
    assert entry.summary == f"{applied.slug}: {reason}"
    history = officer.get(f"/education/staff/schools/{applied.pk}/").context["history"]
    assert [(h[1], h[2], h[3]) for h in history] == [
        ("examofficer-nilar", "education.school_suspended", reason),
        ("examofficer-nilar", "education.school_apply", ""),
    ]


def test_the_staff_list_puts_waiting_schools_first(officer: Client, applied: School) -> None:
    School.objects.create(slug="old", name_en="Old School", status=School.Status.RECOGNISED)
    response = officer.get("/education/staff/schools/")
    assert [s.slug for s in response.context["waiting"]] == [applied.slug]
    assert [s.slug for s in response.context["others"]] == ["old"]


def test_citizens_and_teachers_may_not_decide(alice: User, may: User, applied: School) -> None:
    citizen = Client()
    citizen.force_login(alice)
    assert citizen.get("/education/staff/schools/").status_code == 403
    assert citizen.get("/education/staff/schools/apply/").status_code == 403
    teacher = Client()
    teacher.force_login(may)
    response = teacher.post(
        f"/education/staff/schools/{applied.pk}/", {"decision": "refused", "reason": "no"}
    )
    assert response.status_code == 403
    applied.refresh_from_db()
    assert applied.status == School.Status.APPLIED and Review.objects.count() == 0
    assert Client().get("/education/staff/schools/").status_code == 302  # to the login


def test_migration_0005_copies_an_older_reason_from_the_audit_summary(
    applied: School, nilar: User
) -> None:
    # Given a refusal recorded before 0005: the reason only in the audit summary
    from importlib import import_module

    from django.apps import apps

    from pyithu.core import audit

    migration = import_module("pyithu.education.migrations.0005_reason_revoked_townships")
    old = Review.objects.create(school=applied, decision="refused", decided_by=nilar)
    audit.record(nilar, "education.school_refused", applied, summary=f"{applied.slug}: No 2FA")
    recognised = Review.objects.create(school=applied, decision="recognised", decided_by=nilar)
    # When the migration's data step runs
    migration.copy_reasons(apps, None)
    # Then the refusal has its reason; the recognition (which has none) is untouched
    old.refresh_from_db()
    recognised.refresh_from_db()
    assert (old.reason, recognised.reason) == ("No 2FA", "")
