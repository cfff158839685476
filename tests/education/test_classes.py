"""Classes: who may do what, files, submissions and the due time, attendance, reach, sync."""

from __future__ import annotations

import gzip
import os
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.core.models import AppendOnlyError
from pyithu.core.reach import ReachCount, sources
from pyithu.education.classes.reach import school_enrolments, university_enrolments
from pyithu.education.classes.services import classes
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    AttendanceRecord,
    Course,
    Enrolment,
    Lesson,
    Section,
    Submission,
)
from pyithu.geo.models import Township
from pyithu.sync import registry

PDF = b"%PDF-1.4 small lesson"


def test_a_course_needs_the_schools_admin_and_a_unique_code(
    course: Course, su: User, thida: User
) -> None:
    with pytest.raises(EducationError, match="Only the school's administrators"):
        classes.create_course(course.school, "EDU200", "Other", su)
    with pytest.raises(EducationError, match="already has a course with this code"):
        classes.create_course(course.school, "edu101", "Again", thida)
    assert Course.objects.count() == 1


def test_a_teacher_of_another_school_cannot_teach_here(
    course: Course, thida: User, make_staff: Any
) -> None:
    other = make_staff("teacher-other", "teacher", "education")
    other.role_grants.update(unit="another-school")
    with pytest.raises(EducationError, match="teacher role for this school"):
        classes.create_section(course, "2025", thida, teachers=[other])
    assert Section.objects.count() == 0


def test_enrolment_is_once_and_only_by_the_classs_teachers(
    section: Section, aung: User, alice: User, make_staff: Any
) -> None:
    stranger = make_staff("teacher-stranger", "teacher", "education")
    with pytest.raises(EducationError, match="Only this class's teachers"):
        classes.enrol(section, alice, stranger)
    assert Enrolment.objects.count() == 0


def test_a_lesson_file_is_sealed_size_limited_and_of_a_listed_type(
    section: Section, su: User, enrolled: Enrolment, aung_client: Client, alice: User
) -> None:
    # Given a lesson with a small PDF
    lesson = classes.add_lesson(
        section, "Week 1", "Read this.", su, SimpleUploadedFile("week1.pdf", PDF)
    )
    # Then the file on disk is sealed, and the student downloads the original
    with open(lesson.attachment.path, "rb") as fh:
        assert PDF not in fh.read()
    response = aung_client.get(f"/education/classes/lessons/{lesson.pk}/file/")
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # And someone not in the class gets nothing
    outsider = Client(HTTP_ACCEPT_LANGUAGE="en")
    outsider.force_login(alice)
    assert outsider.get(f"/education/classes/lessons/{lesson.pk}/").status_code == 404
    assert outsider.get(f"/education/classes/lessons/{lesson.pk}/file/").status_code == 404

    # When a teacher attaches an executable or a file over 2 MB
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    for upload, message in (
        (SimpleUploadedFile("tool.exe", b"MZ..."), "Send a PDF, PNG"),
        (SimpleUploadedFile("fake.pdf", b"MZ not a pdf"), "Send a PDF, PNG"),
        (big, "2 MB or smaller"),
    ):
        with pytest.raises(EducationError, match=message):
            classes.add_lesson(section, "Bad", "", su, upload)
    # Then nothing more was kept
    assert Lesson.objects.count() == 1


def test_resubmitting_before_the_due_time_replaces_the_work(
    section: Section,
    enrolled: Enrolment,
    aung: User,
    su: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    due = timezone.now() + timedelta(hours=1)
    task = classes.create_assignment(section, "Essay", due, su)
    first = classes.submit(task, aung, "Draft", SimpleUploadedFile("a.txt", b"one"))
    old_file = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        second = classes.submit(task, aung, "Final")
    assert Submission.objects.count() == 1
    assert (second.pk, second.text, second.versions, second.file_name) == (first.pk, "Final", 2, "")
    assert not os.path.exists(old_file)  # the replaced file is gone


def test_after_the_due_time_work_is_refused_unless_late_work_is_allowed(
    section: Section, enrolled: Enrolment, aung: User, aung_client: Client, su: User
) -> None:
    due = timezone.now() - timedelta(minutes=1)
    strict = classes.create_assignment(section, "Essay", due, su)
    lenient = classes.create_assignment(section, "Poster", due, su, allow_late=True)

    # When Aung hands in the strict one late, through the page
    response = aung_client.post(f"/education/classes/work/{strict.pk}/", {"text": "Sorry, late"})

    # Then it is refused with the reason next to the field, what he typed kept, nothing stored
    html = response.content.decode()
    assert response.status_code == 400
    assert "work can no longer be handed in" in html and "Sorry, late" in html
    assert Submission.objects.filter(assignment=strict).count() == 0

    # And the lenient one is accepted and marked late
    late = classes.submit(lenient, aung, "Late poster")
    assert late.late is True


def test_marked_work_is_not_replaced_and_marks_stay_within_the_maximum(
    section: Section, enrolled: Enrolment, aung: User, su: User
) -> None:
    task = classes.create_assignment(
        section, "Essay", timezone.now() + timedelta(days=1), su, max_marks=10
    )
    work = classes.submit(task, aung, "Mine")
    with pytest.raises(EducationError, match=r"Marks must be from 0 to 10\."):
        classes.mark_submission(work, 11, "", su)
    classes.mark_submission(work, 9, "Good", su)
    with pytest.raises(EducationError, match="can no longer be replaced"):
        classes.submit(task, aung, "Changed")
    work.refresh_from_db()
    assert (work.text, work.marks, work.feedback) == ("Mine", 9, "Good")


def test_only_students_of_the_class_hand_in(section: Section, alice: User, su: User) -> None:
    task = classes.create_assignment(section, "Essay", timezone.now() + timedelta(days=1), su)
    with pytest.raises(EducationError, match="Only students of this class"):
        classes.submit(task, alice, "Not mine")
    assert Submission.objects.count() == 0


def test_attendance_is_append_only_and_the_latest_record_counts(
    section: Section, enrolled: Enrolment, su: User, aung_client: Client
) -> None:
    # Given 4 sessions: present, absent, absent (later corrected to excused), present
    sessions = [
        classes.take_attendance(section, date(2025, 6, d), {enrolled.pk: s}, su)
        for d, s in ((2, "present"), (3, "absent"), (4, "absent"), (5, "present"))
    ]
    classes.correct_attendance(sessions[2], enrolled, "excused", su)

    # Then the rate is 2 of 3 counted sessions, below 75%, and flagged on the student's page
    attendance = classes.attendance_of(enrolled)
    assert (attendance.present, attendance.absent, attendance.excused) == (2, 1, 1)
    assert (attendance.percent, attendance.flagged) == (67, True)
    page = aung_client.get("/education/classes/").content.decode()
    assert "Attendance 67%" in page and "Below 75%" in page
    assert AttendanceRecord.objects.count() == 5
    record = AttendanceRecord.objects.first()
    with pytest.raises(AppendOnlyError):
        record.save()


def test_attendance_must_name_every_student_once(
    section: Section, enrolled: Enrolment, su: User
) -> None:
    with pytest.raises(EducationError, match="Mark every student"):
        classes.take_attendance(section, date(2025, 6, 2), {}, su)
    with pytest.raises(EducationError, match="Mark every student"):
        classes.take_attendance(section, date(2025, 6, 2), {enrolled.pk: "late"}, su)
    assert section.sessions.count() == 0


def test_enrolments_count_reach_by_township_and_month(
    section: Section, aung: User, alice: User, su: User
) -> None:
    township = Township.objects.get(pcode="MMR001001")
    classes.enrol(section, aung, su, township=township)
    classes.enrol(section, alice, su)  # no township given: not counted
    month = timezone.localdate().replace(day=1)
    assert list(university_enrolments(None, None)) == [ReachCount("MMR001001", month, 1)]
    assert list(school_enrolments(None, None)) == []
    keys = {s.key for s in sources()}
    assert {"basic-education:classes", "online-higher-education:classes"} <= keys


def test_every_class_model_declares_its_sync_policy_and_priority() -> None:
    from pyithu.education import models

    expected = {
        "Course": ("last_writer", 40),
        "Section": ("last_writer", 30),
        "Enrolment": ("last_writer", 30),
        "Lesson": ("last_writer", 60),
        "Assignment": ("last_writer", 30),
        "Submission": ("last_writer", 20),
        "ClassSession": ("append_only", 20),
        "AttendanceRecord": ("append_only", 20),
        "Mark": ("append_only", 20),
        "CourseResult": ("append_only", 20),
        "Programme": ("last_writer", 40),
        "GraduationRule": ("last_writer", 40),
        "ProgrammeEnrolment": ("last_writer", 30),
        "Transcript": ("append_only", 40),
    }
    found = {
        name: (
            registry.policy_of(getattr(models, name)),
            registry.priority_of(getattr(models, name)),
        )
        for name in expected
    }
    assert found == expected


@pytest.mark.parametrize("language", ["my", "en"])
def test_student_pages_with_an_id_fit_the_page_budget(
    section: Section, enrolled: Enrolment, aung_client: Client, su: User, language: str
) -> None:
    lesson = classes.add_lesson(section, "Week 1", "Read this. " * 50, su)
    task = classes.create_assignment(
        section, "Essay", datetime(2030, 1, 1, tzinfo=timezone.get_current_timezone()), su
    )
    aung_client.cookies["lang"] = language
    for url in (
        f"/education/classes/{section.pk}/",
        f"/education/classes/lessons/{lesson.pk}/",
        f"/education/classes/work/{task.pk}/",
    ):
        response = aung_client.get(url)
        assert response.status_code == 200, url
        assert len(gzip.compress(response.content, 9)) <= settings.PYITHU_PAGE_BUDGET_BYTES


def test_a_student_adds_a_released_exam_result_to_the_classs_tests_once(
    section: Section,
    enrolled: Enrolment,
    aung: User,
    aung_client: Client,
    questions: list[Any],
    nilar: User,
) -> None:
    from pyithu.education.exams.services import papers
    from pyithu.education.exams.services.exams import register_candidates, release_results
    from pyithu.education.models import Mark

    # Given a university exam that has closed, and Aung's exam code
    school = section.course.school
    paper = papers.create_paper("EDU101 quiz", questions, nilar, school=school, pass_percent=50)
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, "EDU101 quiz", now - timedelta(hours=2), now - timedelta(hours=1), nilar
    )
    [(_n, code)] = register_candidates(sitting, school, 1, nilar)
    url = f"/education/classes/{section.pk}/"

    # When he adds it before the results are released, it is refused and nothing is added
    response = aung_client.post(url, {"code": code})
    assert response.status_code == 400
    assert "Results for this exam have not been released yet." in response.content.decode()
    assert Mark.objects.count() == 0

    # When the results are released and he adds it
    release_results(sitting, nilar)
    assert aung_client.post(url, {"code": code}).status_code == 302

    # Then it counts as a test (0 of 6: he did not sit it), and a second time is refused
    mark = Mark.objects.get()
    assert (mark.kind, mark.title, mark.score, mark.out_of) == ("test", "EDU101 quiz", 0, 6)
    again = aung_client.post(url, {"code": code})
    assert "already been added to a class" in again.content.decode()
    assert Mark.objects.count() == 1


def test_teachers_see_their_sections_and_others_cannot_open_them(
    section: Section,
    enrolled: Enrolment,
    aung: User,
    su: User,
    su_client: Client,
    make_staff: Any,
) -> None:
    task = classes.create_assignment(section, "Essay", timezone.now() + timedelta(days=1), su)
    classes.submit(task, aung, "Mine")
    listing = su_client.get("/education/staff/classes/").content.decode()
    assert (
        '<span translate="no">EDU101</span> Child development' in listing
        and "<td>1</td>" in listing
    )
    assert su_client.get(f"/education/staff/classes/{section.pk}/attendance/").status_code == 200

    stranger = make_staff("teacher-stranger", "teacher", "education")
    other = Client()
    other.force_login(stranger)
    for url in (
        f"/education/staff/classes/{section.pk}/",
        f"/education/staff/classes/{section.pk}/grades/",
    ):
        assert other.get(url).status_code == 404
    response = other.post(
        f"/education/staff/classes/{section.pk}/attendance/",
        {"held_on": "2025-06-02", f"e_{enrolled.pk}": "absent"},
    )
    assert response.status_code == 404
    assert AttendanceRecord.objects.count() == 0
