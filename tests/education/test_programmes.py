"""Degree programmes: graduation rules as data, progress (met and missing), transcripts, demo."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from pyithu.accounts.models import User
from pyithu.education.certificates import services as certificates
from pyithu.education.certificates import signing
from pyithu.education.classes.services import classes, grades, programmes
from pyithu.education.errors import EducationError
from pyithu.education.models import Certificate, Course, Enrolment, Programme, Section, Transcript

SEED_RULES = {
    "courses_per_year": 1,
    "credits_per_course": 3,
    "final_project": 1,
    "min_attendance": 75,
}


def _pass(section: Section, enrolment: Enrolment, su: User, attended: list[str]) -> None:
    for day, status in enumerate(attended):
        classes.take_attendance(section, date(2025, 6, 2 + day), {enrolment.pk: status}, su)
    classes.record_mark(enrolment, "test", "Final", 90, 100, su)
    grades.finalise(section, su)


@pytest.fixture
def programme(section: Section, thida: User, aung: User) -> Programme:
    programme = programmes.create_programme(
        section.course.school,
        "Bachelor of Education – B.Ed (Primary)",
        thida,
        award="B.Ed",
        years=1,
        rules=SEED_RULES,
    )
    programmes.join(programme, aung, thida)
    return programme


def test_progress_says_what_is_met_and_what_is_missing(
    section: Section, enrolled: Enrolment, programme: Programme, aung: User, su: User
) -> None:
    # Given Aung passed EDU101 (3 credits) attending 3 of 4 sessions (75%), no final project
    _pass(section, enrolled, su, ["present", "present", "present", "absent"])

    # When his progress is evaluated
    state = programmes.progress(aung, programme)

    # Then courses, credits and attendance are met, the final project is missing
    assert [(c.kind, c.met, c.have, c.need) for c in state.checks] == [
        ("courses_per_year", True, "1", "1"),
        ("credits_per_course", True, "3", "3"),
        ("final_project", False, "no", "yes"),
        ("min_attendance", True, "75%", "75%"),
    ]
    assert (state.credits, state.passed, state.complete) == (3, 1, False)


def test_a_final_project_course_completes_the_programme(
    course: Course, thida: User, su: User, aung: User, programme: Programme
) -> None:
    project = classes.create_course(
        course.school, "EDU499", "Final project", thida, credits=3, is_final_project=True
    )
    section = classes.create_section(project, "2025", thida, teachers=[su])
    enrolment = classes.enrol(section, aung, su)
    _pass(section, enrolment, su, ["present"])
    state = programmes.progress(aung, programme)
    assert [c.met for c in state.checks] == [True, True, True, True]
    assert state.complete is True and state.credits == 3


def test_the_holder_chooses_to_print_a_name_on_the_transcript(
    section: Section,
    enrolled: Enrolment,
    programme: Programme,
    aung: User,
    aung_client: Client,
    su: User,
) -> None:
    _pass(section, enrolled, su, ["present"])

    # When Aung asks to print a name but leaves it empty, it is refused and nothing is issued
    url = f"/education/classes/programmes/{programme.pk}/transcript/"
    response = aung_client.post(url, {"show_name": "on", "name": ""})
    assert response.status_code == 400
    assert "Write the name to print" in response.content.decode()
    assert Certificate.objects.count() == 0

    # When he gives it
    response = aung_client.post(url, {"show_name": "on", "name": "Aung Aung"})

    # Then the signed transcript carries it, and the row keeps it sealed
    cert = Transcript.objects.get(student=aung).certificate
    assert signing.verify_text(cert.signed_text)["name"] == "Aung Aung"
    assert cert.holder_name == "Aung Aung"
    assert response.url == f"/education/classes/transcripts/{cert.pk}/"


def test_a_transcript_is_only_for_the_programmes_students_and_only_the_holder_sees_it(
    section: Section,
    enrolled: Enrolment,
    programme: Programme,
    aung: User,
    alice: User,
    su: User,
    nilar: User,
) -> None:
    with pytest.raises(EducationError, match="no finished courses"):
        programmes.issue_transcript(aung, programme)
    with pytest.raises(EducationError, match="not a student of this programme"):
        programmes.issue_transcript(alice, programme)
    _pass(section, enrolled, su, ["present"])
    cert = programmes.issue_transcript(aung, programme)
    other = Client()
    other.force_login(alice)
    assert other.get(f"/education/classes/transcripts/{cert.pk}/").status_code == 404

    # And a revoked transcript shows as revoked on the verify page
    certificates.revoke(cert, nilar)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/education/certificates/verify/", {"text": cert.signed_text}
    )
    assert "Genuine, but the ministry has revoked it." in page.content.decode()


def test_an_altered_course_list_does_not_verify(
    section: Section, enrolled: Enrolment, programme: Programme, aung: User, su: User
) -> None:
    _pass(section, enrolled, su, ["present"])
    cert = programmes.issue_transcript(aung, programme)
    prefix, body, signature = cert.signed_text.split(".")
    import base64
    import json

    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["courses"][0][3] = "A+"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    assert certificates.check(f"{prefix}.{forged}.{signature}").state == "invalid"


def test_the_demo_loads_appendix_3_and_a_class(db: Any) -> None:
    from django.core.management import call_command

    # Given the accounts demo (staff and citizens)
    from pyithu.accounts import demo as accounts_demo
    from pyithu.education.classes import demo as demo_classes
    from pyithu.education.models import CourseResult, School, Submission

    accounts_demo.load()
    call_command("load_geography", verbosity=0)

    # When the classes demo loads twice
    demo_classes.load()
    again = demo_classes.load()

    # Then 17 institutions with their 35 programmes exist once, with a class and its work
    names = {name for name, _degrees in demo_classes.INSTITUTIONS}
    assert School.objects.filter(name_en__in=names).count() == 17
    assert Programme.objects.count() == 35
    assert Programme.objects.filter(name_en="Bachelor of Nursing (B.N.Sc)").count() == 2
    assert Submission.objects.count() == 2
    assert sorted(CourseResult.objects.values_list("letter", "passed")) == [
        ("A", True),
        ("C", True),
    ]
    assert "demo class exists" in again[-1]
