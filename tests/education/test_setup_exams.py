"""Staff pages to set up exams: a question bank, its questions, a paper built from it and a
sitting opened for the paper; refusals keep what was typed and change nothing."""

from __future__ import annotations

from datetime import datetime

from django.test import Client
from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education.exams.services import papers
from pyithu.education.models import Paper, Question, QuestionBank, School, Sitting


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_exam_officer_writes_a_bank_builds_a_paper_and_opens_a_sitting(
    nilar: User, spring_school: School
) -> None:
    client = _client(nilar)
    # When Nilar creates a bank for Spring school
    response = client.post(
        "/education/staff/banks/",
        {"title": "Grade 6 science", "subject": "Science", "school": str(spring_school.pk)},
    )
    bank = QuestionBank.objects.get()
    assert response.status_code == 302
    assert (bank.title, bank.subject, bank.school) == ("Grade 6 science", "Science", spring_school)
    url = f"/education/staff/banks/{bank.pk}/"

    # And adds a multiple-choice, a fill-in and a short-answer question
    choice = client.post(
        url,
        {
            "action": "question",
            "kind": "choice",
            "prompt": "Which gas do plants take in?",
            "options": "Oxygen\nCarbon dioxide\n\nNitrogen",
            "correct": "2",
            "marks": "2",
        },
    )
    fill = client.post(
        url,
        {
            "action": "question",
            "kind": "fill",
            "prompt": "Water is H2__.",
            "accepted": "O\no",
            "marks": "1",
        },
    )
    short = client.post(
        url, {"action": "question", "kind": "short", "prompt": "Why do leaves fall?", "marks": "4"}
    )

    # Then each is stored exactly
    assert [choice.status_code, fill.status_code, short.status_code] == [302, 302, 302]
    rows = list(
        bank.questions.order_by("created_at").values_list(
            "kind", "prompt", "options", "correct_option", "accepted", "marks"
        )
    )
    assert rows == [
        (
            "choice",
            "Which gas do plants take in?",
            ["Oxygen", "Carbon dioxide", "Nitrogen"],
            1,
            [],
            2,
        ),
        ("fill", "Water is H2__.", [], None, ["O", "o"], 1),
        ("short", "Why do leaves fall?", [], None, [], 4),
    ]

    # When she builds a paper from the first and last question
    first, _fill, last = bank.questions.order_by("created_at")
    response = client.post(
        url,
        {
            "action": "paper",
            "title": "Science quiz",
            "questions": [str(last.pk), str(first.pk)],
            "minutes": "45",
            "pass_percent": "60",
        },
    )
    paper = Paper.objects.get()
    assert response["Location"] == f"/education/staff/papers/{paper.pk}/"
    assert (paper.title, paper.school, paper.minutes, paper.pass_percent) == (
        "Science quiz",
        spring_school,
        45,
        60,
    )
    assert list(paper.items.order_by("position").values_list("question_id", "position")) == [
        (first.pk, 1),
        (last.pk, 2),
    ]

    # And opens a sitting for it
    response = client.post(
        f"/education/staff/papers/{paper.pk}/",
        {
            "title": "June quiz",
            "slot": "morning",
            "opens_at": "2026-06-30 09:00",
            "closes_at": "2026-06-30 12:00",
        },
    )
    sitting = Sitting.objects.get()
    assert response["Location"] == f"/education/staff/sittings/{sitting.pk}/"
    assert (sitting.paper, sitting.title, sitting.slot) == (paper, "June quiz", "morning")
    assert sitting.opens_at == timezone.make_aware(datetime(2026, 6, 30, 9, 0))
    assert sitting.closes_at == timezone.make_aware(datetime(2026, 6, 30, 12, 0))


def test_a_choice_without_a_right_option_is_refused_keeping_the_input(nilar: User) -> None:
    bank = papers.create_bank("National maths", nilar)
    client = _client(nilar)

    response = client.post(
        f"/education/staff/banks/{bank.pk}/",
        {
            "action": "question",
            "kind": "choice",
            "prompt": "What is 7 x 8?",
            "options": "54\n56",
            "correct": "3",
            "marks": "1",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give at least two options and mark the right one." in page
    assert "What is 7 x 8?</textarea>" in page
    assert bank.questions.count() == 0


def test_a_paper_needs_questions_and_a_sitting_must_close_after_it_opens(
    nilar: User, paper: Paper
) -> None:
    client = _client(nilar)
    bank = QuestionBank.objects.get()

    no_questions = client.post(
        f"/education/staff/banks/{bank.pk}/",
        {"action": "paper", "title": "Empty", "minutes": "30", "pass_percent": "40"},
    )
    backwards = client.post(
        f"/education/staff/papers/{paper.pk}/",
        {"title": "Backwards", "opens_at": "2026-06-30 12:00", "closes_at": "2026-06-30 09:00"},
    )

    assert no_questions.status_code == 400
    assert "A paper needs at least one question." in no_questions.content.decode()
    assert 'value="Empty"' in no_questions.content.decode()
    assert list(Paper.objects.values_list("title", flat=True)) == ["Grade 5 mid-term"]
    assert backwards.status_code == 400
    assert "A sitting must close after it opens." in backwards.content.decode()
    assert 'value="Backwards"' in backwards.content.decode()
    assert Sitting.objects.count() == 0


def test_a_teacher_may_not_make_a_national_bank(may: User, spring_school: School) -> None:
    response = _client(may).post("/education/staff/banks/", {"title": "National", "school": ""})

    assert response.status_code == 400
    assert 'value="National"' in response.content.decode()
    assert QuestionBank.objects.count() == 0


def test_others_cannot_reach_a_schools_bank_or_paper(su: User, aung: User, paper: Paper) -> None:
    # Given a bank and paper of Spring school; Daw Su teaches at another school only
    bank = QuestionBank.objects.get()
    su_client = _client(su)

    # Then she gets 404 on them and cannot add a question
    assert su_client.get(f"/education/staff/banks/{bank.pk}/").status_code == 404
    assert su_client.get(f"/education/staff/papers/{paper.pk}/").status_code == 404
    response = su_client.post(
        f"/education/staff/banks/{bank.pk}/",
        {"action": "question", "kind": "short", "prompt": "Mine?", "marks": "1"},
    )
    assert response.status_code == 404
    # And a student is refused every setup page
    aung_client = _client(aung)
    assert aung_client.get("/education/staff/banks/").status_code == 403
    assert aung_client.get(f"/education/staff/banks/{bank.pk}/").status_code == 403
    assert Question.objects.filter(bank=bank).count() == 3
    assert Question.objects.filter(prompt="Mine?").count() == 0


def test_the_sittings_page_links_to_the_banks(nilar: User) -> None:
    page = _client(nilar).get("/education/staff/sittings/").content.decode()
    assert "/education/staff/banks/" in page


def test_the_setup_pages_render_in_burmese(nilar: User, paper: Paper) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="my")
    client.cookies["django_language"] = "my"
    client.force_login(nilar)
    bank = QuestionBank.objects.get()
    for url in (
        "/education/staff/courses/",
        "/education/staff/banks/",
        f"/education/staff/banks/{bank.pk}/",
        f"/education/staff/papers/{paper.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="my"' in response.content.decode(), url
