"""The issue's "Done when", tried as new users would, through the pages with the test client:
a school is recognised, a student is admitted by voucher, attends, hands in work and gets a
mark, sits a timed exam with the link cut half way, resumes with the time left honoured, gets
a mark and a certificate that verifies on the public page and with the offline command.

Where no page exists (courses, sections, question banks, papers and sittings are set up in the
admin), the test calls the same services the admin uses. The clock is the site's own
(``django.utils.timezone.now``), held still and moved on by hand, so the times are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import Role, User
from pyithu.core.models import AuditEntry
from pyithu.education.certificates import signing
from pyithu.education.classes.services import classes, grades
from pyithu.education.exams.services import papers
from pyithu.education.models import (
    Answer,
    Application,
    Attempt,
    AttendanceRecord,
    Candidate,
    Certificate,
    Guideline,
    Question,
    Recommender,
    Review,
    School,
    Submission,
    Voucher,
)

pytestmark = pytest.mark.django_db

PASSPHRASE = "monsoon rain on tin roofs"
HLAING = "MMR013040"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: timezone.now().replace(microsecond=0))

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    held = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: held.now)
    yield held


def _browser(user: User | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["lang"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _staff(make_staff: Any, handle: str, role: str, unit: str = "") -> Client:
    user = make_staff(handle, role, "education")
    if unit:
        user.role_grants.update(unit=unit)
    return _browser(user)


def test_recognised_admitted_attends_is_marked_sits_a_cut_exam_and_gets_a_certificate(
    make_staff: Any, clock: Clock
) -> None:
    t0 = clock.now

    # --- Given the ministry's two information-security guidelines and its exam officer Nilar
    guidelines = [
        Guideline.objects.create(text_en="Student records are sealed at rest", order=1),
        Guideline.objects.create(text_en="Staff log in with a second factor", order=2),
    ]
    nilar = _browser(make_staff("examofficer-nilar", Role.EXAM_OFFICER, "education"))

    # --- When Nilar enters Golden Valley's application and recognises it with every guideline
    response = nilar.post(
        "/education/staff/schools/apply/",
        {
            "name_en": "Golden Valley Online School",
            "kind": "school",
            "level": "basic",
            "languages": "my, en",
            "curriculum": "Basic education",
            "townships": [HLAING],
        },
    )
    school = School.objects.get()
    assert response.status_code == 302
    assert response.url == f"/education/staff/schools/{school.pk}/"
    assert (school.slug, school.status) == ("golden-valley-online-school", "applied")
    response = nilar.post(
        response.url, {"decision": "recognised", "met": [g.pk for g in guidelines], "reason": ""}
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.status == School.Status.RECOGNISED
    review = Review.objects.get()
    assert (review.decision, review.reason) == ("recognised", "")
    assert set(review.met.all()) == set(guidelines)
    history = nilar.get(response.url).context["history"]
    assert [(h[1], h[2], h[3]) for h in history] == [
        ("examofficer-nilar", "education.school_recognised", ""),
        ("examofficer-nilar", "education.school_apply", ""),
    ]
    # And the school is in the public registry
    assert b"Golden Valley Online School" in _browser().get("/education/schools/").content

    # --- And Nilar registers Ko Aung (a CDM teacher) as a recommender, who issues one voucher
    ko_aung_user = make_staff("cdm-koaung", Role.TEACHER, "communications")
    response = nilar.post(
        "/education/staff/recommenders/",
        {"kind": "teacher", "name": "Ko Aung", "handle": "cdm-koaung"},
    )
    assert response.status_code == 302
    recommender = Recommender.objects.get()
    ko_aung = _browser(ko_aung_user)
    response = ko_aung.post(
        f"/education/staff/recommenders/{recommender.pk}/", {"action": "issue", "count": 1}
    )
    assert response.status_code == 200
    [voucher_code] = response.context["codes"]
    assert voucher_code in response.content.decode()

    # --- And a student applies as "Padauk" with the voucher, giving a township
    student = _browser()
    response = student.post(
        "/education/admissions/apply/",
        {
            "pseudonym": "Padauk",
            "school": school.pk,
            "programme": "Grade 10",
            "voucher": voucher_code,
            "township": HLAING,
        },
    )
    assert response.status_code == 200
    application_code = response.context["code"]
    assert f"<b>{application_code}</b>" in response.content.decode()
    application = Application.objects.get()
    assert (application.pseudonym, application.status) == ("Padauk", "pending")
    assert application.township.pcode == HLAING
    assert Voucher.objects.get().spent_at == t0
    # And the same voucher cannot be used twice
    again = _browser().post(
        "/education/admissions/apply/",
        {"pseudonym": "Other", "school": school.pk, "programme": "G10", "voucher": voucher_code},
    )
    assert again.status_code == 400
    assert again.context["form"].errors["voucher"] == [
        "This voucher is not valid or has already been used. Ask your recommender for a new one."
    ]
    assert Application.objects.count() == 1

    # --- When the school's administrator Hla admits Padauk
    hla = _staff(make_staff, "admin-hla", Role.SCHOOL_ADMIN, school.slug)
    listed = hla.get("/education/staff/applications/")
    assert [a.pk for a in listed.context["applications"]] == [application.pk]
    response = hla.post(
        f"/education/staff/applications/{application.pk}/decide/", {"decision": "admit"}
    )
    assert response.status_code == 302

    # --- Then Padauk's status, by the application code, says admitted
    status = _browser().post("/education/admissions/status/", {"code": application_code})
    assert status.status_code == 200
    assert status.context["app"].pk == application.pk
    assert status.context["app"].status == Application.Status.ADMITTED
    assert b"Admitted" in status.content

    # --- Given a course and a section taught by Daw Mya (set up by Hla, as in the admin)
    mya_user = make_staff("teacher-mya", Role.TEACHER, "education")
    mya_user.role_grants.update(unit=school.slug)
    hla_user = User.objects.get(handle="admin-hla")
    course = classes.create_course(school, "SCI10", "General science", hla_user, credits=3)
    section = classes.create_section(course, "2026 term 1", hla_user, teachers=[mya_user])
    mya = _browser(mya_user)

    # --- When Padauk makes an account and Daw Mya enrols it, with a lesson and an assignment
    response = student.post(
        "/accounts/signup/",
        {
            "handle": "padauk",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
            "contact": "",
            "language": "en",
        },
    )
    assert response.status_code == 200
    padauk = User.objects.get(handle="padauk")
    teach_url = f"/education/staff/classes/{section.pk}/"
    assert mya.post(teach_url, {"action": "enrol", "handle": "padauk"}).status_code == 302
    enrolment = padauk.enrolments.get()
    assert enrolment.section == section
    mya.post(teach_url, {"action": "lesson", "title": "Cells", "body": "Every plant is cells."})
    due = timezone.localtime(t0 + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    response = mya.post(
        teach_url,
        {
            "action": "assignment",
            "title": "Draw a leaf cell",
            "due_at": due,
            "max_marks": "10",
            "category": "assignment",
        },
    )
    assert response.status_code == 302
    lesson = section.lessons.get()
    task = section.assignments.get()

    # --- And takes attendance at four sessions: Padauk is absent once
    for day, mark in ((2, "present"), (3, "present"), (4, "absent"), (5, "present")):
        response = mya.post(
            f"{teach_url}attendance/",
            {"held_on": f"2026-03-0{day}", "topic": "Cells", f"e_{enrolment.pk}": mark},
        )
        assert response.status_code == 302
    assert list(
        AttendanceRecord.objects.filter(enrolment=enrolment)
        .order_by("session__held_on")
        .values_list("status", flat=True)
    ) == ["present", "present", "absent", "present"]

    # --- And Padauk reads the lesson and hands in work, which Daw Mya marks with feedback
    assert (
        b"Every plant is cells." in student.get(f"/education/classes/lessons/{lesson.pk}/").content
    )
    response = student.post(f"/education/classes/work/{task.pk}/", {"text": "Wall, nucleus."})
    assert response.status_code == 302
    work = Submission.objects.get()
    assert (work.student, work.text, work.late, work.marks) == (
        padauk,
        "Wall, nucleus.",
        False,
        None,
    )
    response = mya.post(
        "/education/staff/classes/marking/",
        {"submission": str(work.pk), "marks": "8", "feedback": "Label the chloroplasts."},
    )
    assert response.status_code == 302

    # --- Then Padauk sees the mark, the feedback, and attendance of exactly 75% (not flagged)
    page = student.get(f"/education/classes/work/{task.pk}/")
    assert b"Marks: 8/10" in page.content and b"Label the chloroplasts." in page.content
    page = student.get(f"/education/classes/{section.pk}/")
    attendance = page.context["grade"].attendance_detail
    assert (attendance.present, attendance.absent, attendance.excused) == (3, 1, 0)
    assert (attendance.percent, attendance.flagged) == (75, False)
    assert b"Attendance: present 3 of 4 sessions" in page.content
    assert b"Below 75%" not in page.content

    # --- Given a 30-minute school paper (multiple choice, fill-in, short answer) in a sitting
    # open for an hour, and Hla registers Padauk as a candidate on the sitting's page
    bank = papers.create_bank("Science", mya_user, school=school)
    questions = [
        papers.add_question(
            bank,
            Question.Kind.CHOICE,
            "What do plants make in sunlight?",
            options=["Sugar", "Salt", "Sand"],
            correct_option=0,
        ),
        papers.add_question(bank, Question.Kind.FILL, "Water is H2__.", accepted=["O"]),
        papers.add_question(bank, Question.Kind.SHORT, "Why do leaves fall?", marks=4),
    ]
    paper = papers.create_paper(
        "Science test", questions, mya_user, school=school, minutes=30, pass_percent=50
    )
    sitting = papers.open_sitting(
        paper, "Science term test", t0 - timedelta(minutes=5), t0 + timedelta(hours=1), mya_user
    )
    response = hla.post(
        f"/education/staff/sittings/{sitting.pk}/",
        {"action": "register", "school": school.pk, "count": 1, "township": HLAING},
    )
    assert response.status_code == 200
    [(number, exam_code)] = response.context["codes"]
    assert number == 1 and Candidate.objects.get().township.pcode == HLAING

    # --- When Padauk logs in with the code on a phone and answers the first two questions
    phone = _browser()
    response = phone.post("/education/exam/", {"code": exam_code})
    assert (response.status_code, response.url) == (302, "/education/exam/q/1/")
    page = phone.get("/education/exam/q/1/")
    assert b"30 minutes left" in page.content
    q1, q2, q3 = (str(q.pk) for q in questions)
    response = phone.post("/education/exam/q/1/", {"question": q1, "choice": "0"})
    assert (response.status_code, response.url) == (302, "/education/exam/q/2/")
    clock.advance(minutes=1)
    response = phone.post("/education/exam/q/2/", {"question": q2, "text": "O"})
    assert (response.status_code, response.url) == (302, "/education/exam/q/3/")
    attempt = Attempt.objects.get()
    assert attempt.deadline == t0 + timedelta(minutes=30)

    # --- And the link is cut: three minutes later Padauk logs in again on another device
    clock.advance(minutes=2)
    laptop = _browser()
    response = laptop.post("/education/exam/", {"code": exam_code})

    # --- Then the exam resumes where it stopped, the saved answers are there, and the time
    # left is what remained (27 minutes), not a fresh 30
    assert (response.status_code, response.url) == (302, "/education/exam/q/3/")
    page = laptop.get("/education/exam/q/3/")
    assert b"27 minutes left" in page.content
    first = laptop.get("/education/exam/q/1/").content.decode()
    assert re.search(r'name="choice" value="0"[^>]*checked', first)
    second = laptop.get("/education/exam/q/2/").content.decode()
    assert re.search(r'name="text"[^>]*value="O"|name="text"[^>]*>O</textarea>', second)
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().deadline == t0 + timedelta(minutes=30)
    # And the cut-off phone can no longer save, and nothing it sends changes the answers
    refused = phone.post("/education/exam/q/3/", {"question": q3, "text": "From the phone"})
    assert refused.status_code == 400
    assert refused.context["message"] == (
        "This exam is now open on another device, so this one can no longer save."
    )
    assert Answer.objects.count() == 2

    # --- When Padauk answers the last question on the laptop and hands the paper in
    clock.advance(minutes=2)
    response = laptop.post("/education/exam/q/3/", {"question": q3, "text": "Less light."})
    assert (response.status_code, response.url) == (302, "/education/exam/q/4/")
    handed = laptop.post("/education/exam/review/")
    assert handed.context["answered"] == 3 and b"3 answers were saved." in handed.content
    assert Attempt.objects.get().submitted_at == t0 + timedelta(minutes=5)

    # --- And Daw Mya marks the short answer, and once the sitting closes Hla releases results
    queue = mya.get("/education/staff/marking/")
    [short] = queue.context["queue"]
    response = mya.post("/education/staff/marking/", {"answer": str(short.pk), "marks": "3"})
    assert response.status_code == 302
    clock.advance(hours=1)
    response = hla.post(f"/education/staff/sittings/{sitting.pk}/", {"action": "release"})
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert sitting.results_released_at == t0 + timedelta(hours=1, minutes=5)

    # --- Then Padauk's result, by the exam code, is 5 of 6: a pass
    result = _browser().post("/education/exam/result/", {"code": exam_code})
    outcome = result.context["result"]
    assert (outcome.number, outcome.score, outcome.total, outcome.passed) == (1, 5, 6, True)
    assert b"5 / 6" in result.content

    # --- And Padauk adds the result to the class's tests: the grade is exact
    response = student.post(f"/education/classes/{section.pk}/", {"code": exam_code})
    assert response.status_code == 302
    grade = grades.grade_of(enrolment)
    # tests 5/6 (w40), assignments 8/10 (w30), attendance 3/4 (w10), no participation yet:
    # (40*5/6 + 30*8/10 + 10*3/4) / 80 = 389/480 = 81.04% -> 81 "A"
    assert (grade.percent, grade.letter, grade.passed) == (81, "A", True)

    # --- When Padauk takes the certificate (pseudonym only, the default)
    response = _browser().post("/education/certificates/", {"code": exam_code, "name": ""})
    cert = Certificate.objects.get()
    assert (response.status_code, response.url) == (302, f"/education/certificates/{cert.pk}/")
    page = _browser().get(response.url)
    assert cert.signed_text in page.content.decode() and b"<svg" in page.content
    payload = signing.verify_text(cert.signed_text)
    assert payload["holder"] == f"C-{str(Candidate.objects.get().pk)[-8:].upper()}"
    assert (payload["name"], payload["title"], payload["school"], payload["result"]) == (
        "",
        "Science term test",
        "Golden Valley Online School",
        "5/6 pass",
    )
    assert "padauk" not in cert.signed_text.casefold()

    # --- Then the public verify page accepts it
    verify = _browser().post("/education/certificates/verify/", {"text": cert.signed_text})
    assert verify.status_code == 200 and verify.context["result"].state == "valid"
    assert b"Signed by this service and not revoked." in verify.content

    # --- And so does the offline command, with the key published on that page
    out = StringIO()
    call_command(
        "certificate",
        "verify",
        cert.signed_text,
        "--public-key",
        verify.context["public_key"],
        stdout=out,
    )
    issued = timezone.localdate().isoformat()
    assert out.getvalue().splitlines() == [
        f"VALID certificate {cert.pk}",
        f"holder {payload['holder']}",
        "Science term test Golden Valley Online School",
        f"result 5/6 pass, issued {issued}",
        "(revocation is checked only on the online verify page)",
    ]

    # And every staff step is in the audit log, in order
    assert list(
        AuditEntry.objects.filter(
            action__in=[
                "education.school_apply",
                "education.school_recognised",
                "education.vouchers_issue",
                "education.application_admitted",
                "education.enrol",
                "education.submission_mark",
                "education.answer_mark",
                "education.results_release",
            ]
        )
        .order_by("at", "id")
        .values_list("action", "actor_handle")
    ) == [
        ("education.school_apply", "examofficer-nilar"),
        ("education.school_recognised", "examofficer-nilar"),
        ("education.vouchers_issue", "cdm-koaung"),
        ("education.application_admitted", "admin-hla"),
        ("education.enrol", "teacher-mya"),
        ("education.submission_mark", "teacher-mya"),
        ("education.answer_mark", "teacher-mya"),
        ("education.results_release", "admin-hla"),
    ]
    assert date.fromisoformat(payload["date"]) == timezone.localdate()
