"""Staff pages to set up classes: a school admin adds a course and opens a class (section)
with its teachers and weights; refusals keep what was typed and change nothing."""

from __future__ import annotations

from django.test import Client

from pyithu.accounts.models import User
from pyithu.education.models import Course, School, Section

URL = "/education/staff/courses/"


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


COURSE = {
    "action": "course",
    "code": "edu205",
    "title_en": "Teaching reading",
    "title_my": "စာဖတ်သင်ကြားခြင်း",
    "credits": "4",
    "level": "Year 2",
    "is_final_project": "on",
}


def test_a_school_admin_adds_a_course(university: School, thida: User) -> None:
    # Given Thida, the university's administrator
    client = _client(thida)
    assert client.get(URL).status_code == 200

    # When she adds a course
    response = client.post(URL, {**COURSE, "school": str(university.pk)})

    # Then it is stored exactly as typed (code upper-cased)
    assert response.status_code == 302
    course = Course.objects.get(school=university)
    assert (course.code, course.title_en, course.title_my) == (
        "EDU205",
        "Teaching reading",
        "စာဖတ်သင်ကြားခြင်း",
    )
    assert (course.credits, course.level, course.is_final_project) == (4, "Year 2", True)


def test_a_duplicate_course_code_is_refused_keeping_the_input(
    course: Course, university: School, thida: User
) -> None:
    # Given a course EDU101 already exists
    client = _client(thida)

    # When Thida adds another course with the same code
    response = client.post(
        URL, {**COURSE, "code": "EDU101", "title_en": "Second try", "school": str(university.pk)}
    )

    # Then it is refused next to the code, the input stays, and nothing changes
    assert response.status_code == 400
    page = response.content.decode()
    assert "This school already has a course with this code." in page
    assert 'value="Second try"' in page
    assert list(Course.objects.values_list("code", "title_en")) == [("EDU101", "Child development")]


def test_a_school_admin_opens_a_class_with_teachers_and_weights(
    course: Course, thida: User, su: User
) -> None:
    client = _client(thida)

    # When Thida opens a class for the course taught by Daw Su with her weights
    response = client.post(
        URL,
        {
            "action": "section",
            "course": str(course.pk),
            "term": "2026 term 2",
            "teachers": "teacher-su",
            "tests": "50",
            "assignments": "25",
            "attendance": "15",
            "participation": "10",
            "pass_percent": "45",
        },
    )

    # Then the class exists with exactly those teachers and weights
    section = Section.objects.get(course=course)
    assert response.status_code == 302
    assert response["Location"] == f"/education/staff/classes/{section.pk}/"
    assert section.term == "2026 term 2"
    assert list(section.teachers.all()) == [su]
    assert (
        section.weight_tests,
        section.weight_assignments,
        section.weight_attendance,
        section.weight_participation,
        section.pass_percent,
    ) == (50, 25, 15, 10, 45)


def test_weights_not_adding_to_100_open_no_class(course: Course, thida: User, su: User) -> None:
    client = _client(thida)
    form = {
        "action": "section",
        "course": str(course.pk),
        "term": "2026 term 2",
        "teachers": "teacher-su",
        "tests": "50",
        "assignments": "50",
        "attendance": "10",
        "participation": "10",
        "pass_percent": "45",
    }

    # When the weights add up to 120
    response = client.post(URL, form)

    # Then it is refused, the term is kept and no class was opened
    assert response.status_code == 400
    page = response.content.decode()
    assert "The four weights must add up to 100." in page
    assert 'value="2026 term 2"' in page
    assert Section.objects.count() == 0


def test_an_unknown_or_unqualified_teacher_is_refused(
    course: Course, thida: User, su: User, aung: User
) -> None:
    client = _client(thida)
    base = {
        "action": "section",
        "course": str(course.pk),
        "term": "2026 term 2",
        "tests": "40",
        "assignments": "30",
        "attendance": "10",
        "participation": "20",
        "pass_percent": "50",
    }

    # When a teacher's name does not exist, or names a student
    unknown = client.post(URL, {**base, "teachers": "teacher-su, nobody-here"})
    student = client.post(URL, {**base, "teachers": "aung"})

    # Then both are refused next to the teachers and nothing is opened
    assert unknown.status_code == 400
    assert "No account has this name: nobody-here" in unknown.content.decode()
    assert 'value="teacher-su, nobody-here"' in unknown.content.decode()
    assert student.status_code == 400
    assert "Every teacher must hold the teacher role for this school." in (student.content.decode())
    assert Section.objects.count() == 0


def test_teachers_and_students_cannot_set_up_courses(
    university: School, su: User, aung: User
) -> None:
    # Given Daw Su, a teacher, and Aung, a student
    for user in (su, aung):
        client = _client(user)
        # When they open the page or post a course
        assert client.get(URL).status_code == 403
        response = client.post(URL, {**COURSE, "school": str(university.pk)})
        # Then they are refused and nothing is stored
        assert response.status_code == 403
    assert Course.objects.count() == 0


def test_an_admin_cannot_add_a_course_to_another_school(
    university: School, thida: User, spring_school: School
) -> None:
    client = _client(thida)

    response = client.post(URL, {**COURSE, "school": str(spring_school.pk)})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Course.objects.count() == 0


def test_the_teaching_page_links_admins_to_setup(thida: User, su: User) -> None:
    assert (
        "/education/staff/courses/"
        in _client(thida).get("/education/staff/classes/").content.decode()
    )
    assert (
        "/education/staff/courses/"
        not in _client(su).get("/education/staff/classes/").content.decode()
    )
