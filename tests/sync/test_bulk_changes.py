"""Writes made with update() or bulk_create() send no post_save: the services announce them
(``pyithu.core.changes.changed``) and sync logs them, so they travel like any save."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pyithu.accounts import services as accounts
from pyithu.accounts.models import LoginFailure, Role, RoleGrant, User
from pyithu.core.changes import changed
from pyithu.education.exams.services import exams, papers
from pyithu.education.models import Answer, Attempt, Candidate, Question, School, Sitting
from pyithu.geo.models import Township
from pyithu.health.models import Consultation
from pyithu.health.services import booking, consults
from pyithu.sync.models import ChangeLog, SyncNote
from pyithu.sync.tracking import applying


def logged(model: type, pk: Any) -> list[dict[str, Any]]:
    """The payloads logged for one record, oldest first."""
    rows = ChangeLog.objects.filter(model=model._meta.label_lower, object_id=str(pk))
    return [json.loads(c.payload) for c in rows.order_by("id")]


@pytest.fixture
def sitting(make_staff: Any) -> tuple[Sitting, User, School]:
    officer = make_staff("nilar-exams", Role.EXAM_OFFICER, "education")
    school = School.objects.create(
        slug="lashio-online", name_en="Lashio Online School", status=School.Status.RECOGNISED
    )
    bank = papers.create_bank("Grade 10 civics", officer, school=school)
    choice = papers.add_question(
        bank, Question.Kind.CHOICE, "Which river flows through Mandalay?",
        options=["Ayeyarwady", "Thanlwin"], correct_option=0,
    )  # fmt: skip
    essay = papers.add_question(bank, Question.Kind.SHORT, "Why do we vote?", marks=4)
    paper = papers.create_paper("Civics", [choice, essay], officer, school=school, minutes=30)
    now = timezone.now()
    opened = papers.open_sitting(
        paper, "Civics, Lashio", now - timedelta(minutes=5), now + timedelta(hours=2), officer
    )
    return opened, officer, school


def test_claiming_a_case_logs_the_consultation_with_its_doctor(hub, make_staff) -> None:
    # Given a booking and a general-clinic doctor
    doctor = make_staff("dr-hla", Role.DOCTOR, "health")
    case, _code = booking.book_consultation(
        booking.Booking(
            symptoms="Cough and fever for three days",
            age_band="40-59",
            sex="female",
            language="my",
            township=Township.objects.get(pcode="MMR015001"),
        )
    )
    assert [p["status"] for p in logged(Consultation, case.pk)] == ["waiting"]
    # When the doctor claims it (a conditional update())
    consults.claim_case(doctor, case.pk)
    # Then the claimed state is logged, with the doctor
    last = logged(Consultation, case.pk)[-1]
    assert (last["status"], last["doctor_id"]) == ("open", str(doctor.pk))
    assert last["claimed_at"] is not None


def test_registering_candidates_logs_each_candidate(hub, sitting) -> None:
    opened, officer, school = sitting
    # When a school gets three candidate places (bulk_create)
    register = exams.register_candidates(opened, school, 3, officer)
    # Then each candidate row is logged once, with its code digest
    candidates = list(Candidate.objects.order_by("number"))
    assert [c.number for c in candidates] == [1, 2, 3] == [n for n, _c in register]
    for candidate in candidates:
        assert [p["code_digest"] for p in logged(Candidate, candidate.pk)] == [
            candidate.code_digest
        ]


def test_hand_in_mark_and_release_are_logged(hub, sitting) -> None:
    opened, officer, school = sitting
    [(_n, code)] = exams.register_candidates(opened, school, 1, officer)
    attempt = exams.start_attempt(code, "tablet-1")
    items = list(opened.paper.items.select_related("question").order_by("position"))
    exams.save_answer(attempt, "tablet-1", items[0], choice=0)
    exams.save_answer(attempt, "tablet-1", items[1], text="So the people choose.")
    essay = Answer.objects.get(question=items[1].question)
    # Answers saved on the hot path are not logged yet (0030: four statements)
    assert logged(Answer, essay.pk) == []
    # When the candidate hands in (update())
    exams.hand_in(attempt, "tablet-1")
    # Then the attempt and both answers are logged, final
    assert logged(Attempt, attempt.pk)[-1]["submitted_at"] is not None
    assert [p["text"] for p in logged(Answer, essay.pk)] == ["So the people choose."]
    assert ChangeLog.objects.filter(model="education.answer").count() == 2
    # When the officer marks the essay (update())
    exams.mark_answer(essay, 3, officer)
    # Then the mark is logged (in place of the version that never left this site)
    assert [(p["marks"], p["marked_by_id"]) for p in logged(Answer, essay.pk)] == [
        (3, str(officer.pk)),
    ]
    # When results are released after the close (update())
    Sitting.objects.filter(pk=opened.pk).update(closes_at=timezone.now())
    opened.refresh_from_db()
    exams.release_results(opened, officer)
    # Then the sitting's release is logged
    last = logged(Sitting, opened.pk)[-1]
    assert last["released_by_id"] == str(officer.pk)
    assert last["results_released_at"] is not None


def test_revoking_a_role_logs_the_grant(hub, make_staff) -> None:
    olivia = make_staff("operator-olivia")
    grant = RoleGrant.objects.get(user=olivia)
    accounts.revoke_role(grant)
    assert logged(RoleGrant, grant.pk)[-1]["revoked_at"] is not None


def test_changes_applied_by_sync_or_of_local_models_are_not_logged_again(hub) -> None:
    note = SyncNote.objects.create(title="clinic open")
    before = ChangeLog.objects.count()
    # When sync itself announces a bulk write while applying remote changes
    with applying():
        changed(SyncNote, [note.pk])
    # And a model that never leaves this site is announced
    failure = LoginFailure.objects.create(key_digest="d" * 64)
    changed(LoginFailure, [failure.pk])
    # Then nothing more is logged
    assert ChangeLog.objects.count() == before
    # While an ordinary bulk update of a travelling record is
    SyncNote.objects.filter(pk=note.pk).update(status="done")
    changed(SyncNote, [note.pk])
    assert [p["status"] for p in logged(SyncNote, note.pk)] == ["done"]
