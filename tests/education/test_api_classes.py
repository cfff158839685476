"""Classes through the API: my sections, lessons, assignments, handing in text work, and my
grade and attendance; refusals (not in the class, after the due time, already marked) answer
404/409/400 and change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pyithu.accounts import services as accounts
from pyithu.accounts.models import User
from pyithu.education.classes.services import classes
from pyithu.education.models import Assignment, Enrolment, Lesson, Section, Submission

pytestmark = pytest.mark.django_db

API = "/api/education"


@pytest.fixture
def lesson(section: Section, su: User) -> Lesson:
    return classes.add_lesson(section, "Play and learning", "Children learn by play.", su)


@pytest.fixture
def task(section: Section, su: User) -> Assignment:
    due = timezone.now() + timedelta(days=2)
    return classes.create_assignment(section, "Observe a child", due, su, max_marks=10)


@pytest.fixture
def overdue(section: Section, su: User) -> Assignment:
    due = timezone.now() - timedelta(hours=1)
    return classes.create_assignment(section, "Week 1 notes", due, su, max_marks=10)


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    return client


def _hand_in(client: Client, assignment: Assignment, text: str) -> Any:
    return client.post(
        f"{API}/classes/assignments/{assignment.pk}/work",
        {"text": text},
        content_type="application/json",
    )


def test_a_student_lists_classes_lessons_and_assignments(
    enrolled: Enrolment, aung_client: Client, lesson: Lesson, task: Assignment
) -> None:
    section = enrolled.section
    # When Aung asks for his classes, then the class's lessons and assignments
    mine = aung_client.get(f"{API}/classes")
    lessons = aung_client.get(f"{API}/classes/{section.pk}/lessons")
    tasks = aung_client.get(f"{API}/classes/{section.pk}/assignments")
    # Then he sees exactly his class, its lesson, and the assignment with no work yet
    assert mine.status_code == 200
    assert mine.json() == [
        {
            "id": str(section.pk),
            "course": "EDU101",
            "title": "Child development",
            "school": "spring-normal",
            "term": "2025 term 1",
            "credits": 3,
            "role": "student",
        }
    ]
    assert lessons.status_code == 200
    assert [(x["id"], x["title"], x["body"], x["attachment"]) for x in lessons.json()] == [
        (str(lesson.pk), "Play and learning", "Children learn by play.", "")
    ]
    assert tasks.status_code == 200
    [only] = tasks.json()
    assert (only["id"], only["title"], only["max_marks"], only["category"]) == (
        str(task.pk),
        "Observe a child",
        10,
        "assignment",
    )
    assert (only["allow_late"], only["mine"]) == (False, None)


def test_a_teacher_lists_the_classes_she_teaches_with_a_token(
    enrolled: Enrolment, su: User, lesson: Lesson
) -> None:
    _token, raw = accounts.create_api_token(su, "class app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    mine = Client().get(f"{API}/classes", **auth)
    assert mine.status_code == 200
    assert [(x["id"], x["role"]) for x in mine.json()] == [(str(enrolled.section_id), "teacher")]
    lessons = Client().get(f"{API}/classes/{enrolled.section_id}/lessons", **auth)
    assert [x["title"] for x in lessons.json()] == ["Play and learning"]
    # But her grade and attendance are not a student's: 404
    assert Client().get(f"{API}/classes/{enrolled.section_id}/progress", **auth).status_code == 404


def test_a_student_hands_in_text_and_may_replace_it_before_the_due_time(
    enrolled: Enrolment, aung: User, aung_client: Client, task: Assignment
) -> None:
    first = _hand_in(aung_client, task, "She built a tower.")
    assert first.status_code == 201
    body = first.json()
    assert (body["late"], body["versions"], body["marks"], body["feedback"]) == (
        False,
        1,
        None,
        "",
    )
    second = _hand_in(aung_client, task, "She built a taller tower.")
    assert second.status_code == 201 and second.json()["versions"] == 2
    work = Submission.objects.get()
    assert (work.student, work.text, work.versions) == (aung, "She built a taller tower.", 2)
    listed = aung_client.get(f"{API}/classes/{enrolled.section_id}/assignments").json()
    assert listed[0]["mine"]["versions"] == 2


def test_someone_not_in_the_class_gets_404_and_nothing_is_handed_in(
    enrolled: Enrolment, alice_client: Client, lesson: Lesson, task: Assignment
) -> None:
    section_id = enrolled.section_id
    assert alice_client.get(f"{API}/classes").json() == []
    for path in ("lessons", "assignments", "progress"):
        response = alice_client.get(f"{API}/classes/{section_id}/{path}")
        assert response.status_code == 404, path
    refused = _hand_in(alice_client, task, "Not my class")
    assert refused.status_code == 404
    assert refused.json() == {"detail": "No assignment of yours has this id."}
    assert Submission.objects.count() == 0
    # And an unknown id or a signed-out caller learn nothing either
    assert alice_client.get(f"{API}/classes/{task.pk}/lessons").status_code == 404
    assert Client().get(f"{API}/classes").status_code == 401
    assert _hand_in(Client(), task, "x").status_code == 401
    assert Submission.objects.count() == 0


def test_work_after_the_due_time_is_a_409_and_nothing_is_stored(
    enrolled: Enrolment, aung_client: Client, overdue: Assignment
) -> None:
    refused = _hand_in(aung_client, overdue, "Sorry, late")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The due time for this assignment has passed; work can no longer be handed in."
    }
    assert Submission.objects.count() == 0


def test_marked_work_cannot_be_replaced_409_and_empty_work_is_a_400(
    enrolled: Enrolment, aung: User, aung_client: Client, su: User, task: Assignment
) -> None:
    empty = _hand_in(aung_client, task, "   ")
    assert empty.status_code == 400
    assert empty.json() == {"detail": "Write your answer or attach a file."}
    assert Submission.objects.count() == 0
    assert _hand_in(aung_client, task, "First try").status_code == 201
    classes.mark_submission(Submission.objects.get(), 8, "Good.", su)
    refused = _hand_in(aung_client, task, "Second try")
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Your work has been marked and can no longer be replaced."}
    work = Submission.objects.get()
    assert (work.text, work.versions, work.marks) == ("First try", 1, 8)
    listed = aung_client.get(f"{API}/classes/{enrolled.section_id}/assignments").json()
    assert (listed[0]["mine"]["marks"], listed[0]["mine"]["feedback"]) == (8, "Good.")


def test_my_grade_and_attendance_are_exact(
    enrolled: Enrolment, aung_client: Client, su: User, task: Assignment
) -> None:
    # Given Aung present twice and absent once, a quiz of 7/10, and work marked 8/10
    section = enrolled.section
    for day, status in ((2, "present"), (3, "absent"), (4, "present")):
        classes.take_attendance(section, date(2025, 6, day), {enrolled.pk: status}, su)
    classes.record_mark(enrolled, "test", "Quiz 1", 7, 10, su)
    assert _hand_in(aung_client, task, "Notes").status_code == 201
    classes.mark_submission(Submission.objects.get(), 8, "", su)
    # When he asks for his progress
    response = aung_client.get(f"{API}/classes/{section.pk}/progress")
    # Then: tests 7/10 (w40), assignments 8/10 (w30), attendance 2/3 (w10), no participation:
    # (28 + 24 + 20/3) / 80 = 0.7333 -> 73% "B", a pass; attendance 67%, below 75%
    assert response.status_code == 200
    body = response.json()
    assert body["attendance"] == {
        "present": 2,
        "absent": 1,
        "excused": 0,
        "percent": 67,
        "below_75": True,
    }
    assert (body["tests"], body["assignments"], body["attendance_part"]) == (70, 80, 67)
    assert body["participation"] is None
    assert (body["percent"], body["letter"], body["passed"], body["final"]) == (
        73,
        "B",
        True,
        False,
    )
    assert body["weights"] == {
        "tests": 40,
        "assignments": 30,
        "attendance": 10,
        "participation": 20,
        "pass": 50,
    }
    assert body["marks"] == [{"kind": "test", "title": "Quiz 1", "score": 7, "out_of": 10}]


def test_the_class_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        f"{API}/classes",
        f"{API}/classes/{{section_id}}/lessons",
        f"{API}/classes/{{section_id}}/assignments",
        f"{API}/classes/assignments/{{assignment_id}}/work",
        f"{API}/classes/{{section_id}}/progress",
    } <= set(paths)
