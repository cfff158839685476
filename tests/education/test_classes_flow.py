"""The issue's "Done when" for classes, credits and transcripts, tried through the pages: a
student enrolled in a section attends, hands in work, gets a mark, and takes a transcript
that verifies on the verify page and with the offline command."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education.certificates import signing
from pyithu.education.classes.services import programmes
from pyithu.education.models import (
    Assignment,
    AttendanceRecord,
    CourseResult,
    Enrolment,
    Lesson,
    Section,
    Submission,
    Transcript,
)


def test_a_student_attends_hands_in_is_marked_and_gets_a_transcript_that_verifies(
    section: Section, aung: User, aung_client: Client, su_client: Client, thida: User
) -> None:
    # Given a programme at the university with the seed's rules, and Aung in it
    programme = programmes.create_programme(
        section.course.school,
        "Bachelor of Education – B.Ed (Primary)",
        thida,
        award="B.Ed",
        years=4,
        rules={
            "courses_per_year": 12,
            "credits_per_course": 3,
            "final_project": 1,
            "min_attendance": 75,
        },
    )
    programmes.join(programme, aung, thida)

    # When Daw Su enrols Aung, publishes a lesson and sets an assignment
    response = su_client.post(
        f"/education/staff/classes/{section.pk}/",
        {"action": "enrol", "handle": "aung", "township": "MMR013001"},
    )
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    enrolment = Enrolment.objects.get(section=section, student=aung)
    assert enrolment.township_id == "MMR013001"
    su_client.post(
        f"/education/staff/classes/{section.pk}/",
        {"action": "lesson", "title": "Play and learning", "body": "Children learn by play."},
    )
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    su_client.post(
        f"/education/staff/classes/{section.pk}/",
        {
            "action": "assignment",
            "title": "Observe a child at play",
            "due_at": due,
            "max_marks": "20",
            "category": "assignment",
        },
    )
    lesson = Lesson.objects.get(section=section)
    task = Assignment.objects.get(section=section)

    # And Aung attends the class and reads the lesson
    response = su_client.post(
        f"/education/staff/classes/{section.pk}/attendance/",
        {"held_on": "2025-06-02", "topic": "Play", f"e_{enrolment.pk}": "present"},
    )
    assert response.status_code == 302
    assert list(AttendanceRecord.objects.values_list("status", flat=True)) == ["present"]
    page = aung_client.get(f"/education/classes/lessons/{lesson.pk}/")
    assert b"Children learn by play." in page.content

    # And hands in work with a file
    upload = SimpleUploadedFile("notes.txt", b"She built a tower.", content_type="text/plain")
    response = aung_client.post(
        f"/education/classes/work/{task.pk}/", {"text": "My observation", "file": upload}
    )
    assert response.status_code == 302
    work = Submission.objects.get(assignment=task, student=aung)
    assert (work.text, work.file_name, work.late) == ("My observation", "notes.txt", False)

    # And Daw Su marks it from the queue, enters a test and a participation mark, and
    # makes the grades final
    queue = su_client.get("/education/staff/classes/marking/")
    assert b"My observation" in queue.content
    response = su_client.post(
        "/education/staff/classes/marking/",
        {"submission": str(work.pk), "marks": "16", "feedback": "Careful notes."},
    )
    assert response.status_code == 302
    grades_url = f"/education/staff/classes/{section.pk}/grades/"
    for kind, score in (("test", "35"), ("participation", "9")):
        su_client.post(
            grades_url,
            {
                "action": "mark",
                "enrolment": str(enrolment.pk),
                "kind": kind,
                "title": kind,
                "score": score,
                "out_of": "50" if kind == "test" else "10",
            },
        )
    assert su_client.post(grades_url, {"action": "finalise"}).status_code == 302

    # Then the grade is exact: tests 35/50, assignments 16/20, attendance 1/1, participation
    # 9/10 with weights 40/30/10/20 -> 0.4*0.7 + 0.3*0.8 + 0.1*1 + 0.2*0.9 = 0.80 -> 80% "A"
    result = CourseResult.objects.get(enrolment=enrolment)
    assert (result.percent, result.letter, result.passed, result.credits) == (80, "A", True, 3)
    page = aung_client.get(f"/education/classes/work/{task.pk}/")
    assert b"16/20" in page.content and b"Careful notes." in page.content

    # When Aung asks for a transcript without a name
    response = aung_client.post(
        f"/education/classes/programmes/{programme.pk}/transcript/", {"name": ""}
    )
    assert response.status_code == 302
    transcript = Transcript.objects.get(student=aung)
    cert = transcript.certificate
    payload = signing.verify_text(cert.signed_text)
    assert payload["holder"] == enrolment.pseudonym and payload["name"] == ""
    assert payload["courses"] == [["EDU101", "Child development", 3, "A", "2025 term 1"]]
    assert payload["result"] == "3 credits; courses passed: 1; in progress"
    page = aung_client.get(response.url)
    assert (
        b'<span translate="no">EDU101</span> Child development' in page.content
        and b"<svg" in page.content
    )

    # Then the public verify page says it is valid and lists the course
    verify = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/education/certificates/verify/", {"text": cert.signed_text}
    )
    assert b"Signed by this service and not revoked." in verify.content
    assert b'<span translate="no">EDU101</span> Child development' in verify.content

    # And the offline command confirms it with the published key
    out = StringIO()
    call_command(
        "certificate",
        "verify",
        cert.signed_text,
        "--public-key",
        signing.public_key_text(),
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == f"VALID certificate {cert.pk}"
    assert "  EDU101 Child development (2025 term 1): 3 credits, grade A" in lines

    # And nothing in the signed text names the account
    assert "aung" not in cert.signed_text and re.search("aung", str(payload)) is None
