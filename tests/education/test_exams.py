"""A school exam: code login, one question per page, saved at once, resumed, marked, released."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pyithu.core.models import AuditEntry
from pyithu.education.errors import EducationError
from pyithu.education.exams.services import exams as service
from pyithu.education.models import Answer, Attempt, Candidate, IntegrityEvent, Question, Sitting
from tests.education.conftest import MYANMAR_ZAWGYI, question_shown

pytestmark = pytest.mark.django_db


def _attempt() -> Attempt:
    return Attempt.objects.select_related("candidate__sitting__paper").get()


def _question_on_page(client: Client, n: int) -> Question:
    page = client.get(f"/education/exam/q/{n}/")
    assert page.status_code == 200
    return question_shown(page)


def _answer(client: Client, n: int, **data: Any) -> Any:
    question = _question_on_page(client, n)
    return client.post(f"/education/exam/q/{n}/", {"question": str(question.pk), **data})


def test_a_code_starts_the_clock_and_opens_the_first_question(
    client_en: Client, codes: list[str], sitting: Sitting
) -> None:
    # Given Hnin's exam slip, when she types her code in lower case with spaces
    before = timezone.now()
    response = client_en.post("/education/exam/", {"code": codes[0].lower().replace("-", " ")})
    # Then the attempt starts with its deadline stored, and the first question opens
    assert response.status_code == 302 and response.url == "/education/exam/q/1/"
    attempt = _attempt()
    assert attempt.started_at >= before
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)
    assert "Question 1 of 3" in client_en.get("/education/exam/q/1/").content.decode()


def test_a_forged_code_is_refused_on_the_form(client_en: Client, codes: list[str]) -> None:
    response = client_en.post("/education/exam/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "This exam code is not valid. Check it and try again."
    ]
    assert b"AAAA-BBBB-CCCC-DDDD" in response.content  # what was typed is kept
    assert Attempt.objects.count() == 0


def test_each_answer_is_saved_at_once_and_marked_automatically(hnin: Client) -> None:
    # When Hnin answers the choice question with the right river
    question = _question_on_page(hnin, 1)
    response = hnin.post("/education/exam/q/1/", {"question": str(question.pk), "choice": "0"})
    # Then the answer is in the database before the next page, marked, and she moves on
    assert response.status_code == 302 and response.url == "/education/exam/q/2/"
    answer = Answer.objects.get()
    assert (answer.choice, answer.marks) == (0, 1)
    assert _attempt().position == 2


def test_a_retried_save_never_duplicates_the_answer(hnin: Client) -> None:
    # Given a flaky link that makes the phone send the same form twice, then a change of mind
    for choice in ("1", "1", "2"):
        _answer(hnin, 1, choice=choice)
    # Then there is one answer, the latest
    assert Answer.objects.count() == 1
    assert (Answer.objects.get().choice, Answer.objects.get().marks) == (2, 0)


def test_a_zawgyi_fill_in_answer_matches_the_accepted_unicode(hnin: Client) -> None:
    _answer(hnin, 2, text=MYANMAR_ZAWGYI)
    answer = Answer.objects.get()
    assert answer.marks == 1
    assert service.fold_answer("  MYANMAR ") == service.fold_answer("myanmar")


def test_a_short_answer_waits_for_a_teacher_and_is_sealed(hnin: Client) -> None:
    _answer(hnin, 3, text="So that the people choose who governs.")
    answer = Answer.objects.get()
    assert answer.marks is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM education_answer")
        assert cursor.fetchone()[0].startswith("sealed:")


def test_a_dead_phone_resumes_on_another_device_where_it_stopped(
    hnin: Client, codes: list[str]
) -> None:
    # Given two answers saved, then the phone dies
    _answer(hnin, 1, choice="0")
    _answer(hnin, 2, text="Myanmar")
    deadline = _attempt().deadline
    # When, two minutes later, Hnin logs in with her code on her sister's phone
    Attempt.objects.update(last_seen_at=timezone.now() - timedelta(seconds=120))
    sister = Client()
    response = sister.post("/education/exam/", {"code": codes[0]})
    # Then she continues at question 3 with the same deadline and both answers kept
    assert response.status_code == 302 and response.url == "/education/exam/q/3/"
    assert _attempt().deadline == deadline
    assert Answer.objects.count() == 2
    # And the dead phone, if it comes back, can no longer save
    q1 = _question_on_page(sister, 1)
    refused = hnin.post("/education/exam/q/1/", {"question": str(q1.pk), "choice": "3"})
    assert refused.status_code == 400
    assert Answer.objects.get(question=q1).choice == 0


def test_a_code_used_from_two_places_at_once_is_refused_and_logged(
    hnin: Client, codes: list[str]
) -> None:
    # Given Hnin sitting the exam, when someone else types her code at the same time
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.cookies["lang"] = "en"
    response = other.post("/education/exam/", {"code": codes[0]})
    # Then they are refused, the exam stays on Hnin's phone, and officers see it
    assert response.status_code == 400
    assert "open on another device" in response.context["form"].errors["code"][0]
    assert IntegrityEvent.objects.get().kind == IntegrityEvent.Kind.TWO_PLACES
    assert _answer(hnin, 1, choice="0").status_code == 302


def test_a_save_after_time_is_up_is_refused_clearly(hnin: Client) -> None:
    _answer(hnin, 1, choice="0")
    question = _question_on_page(hnin, 1)
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    response = hnin.post("/education/exam/q/1/", {"question": str(question.pk), "choice": "2"})
    assert response.status_code == 400
    assert b"The time for this paper is up" in response.content
    assert Answer.objects.get().choice == 0  # the answer saved in time is kept as it was
    assert IntegrityEvent.objects.get().kind == IntegrityEvent.Kind.LATE


def test_an_answer_to_a_question_not_in_the_paper_is_refused(
    hnin: Client, spring_school: Any, nilar: Any
) -> None:
    from pyithu.education.exams.services import papers

    bank = papers.create_bank("Other", nilar, school=spring_school)
    stray = papers.add_question(bank, Question.Kind.FILL, "Capital?", accepted=["Naypyitaw"])
    for posted in (str(stray.pk), "not-a-uuid", ""):
        response = hnin.post("/education/exam/q/1/", {"question": posted, "text": "x"})
        assert response.status_code == 400
        assert b"This question is not part of your paper." in response.content
    assert Answer.objects.count() == 0
    assert IntegrityEvent.objects.filter(kind=IntegrityEvent.Kind.FOREIGN).count() == 3


def test_a_missing_choice_keeps_the_page_with_the_error(hnin: Client) -> None:
    response = _answer(hnin, 1)
    assert response.status_code == 400
    assert response.context["form"].errors["choice"] == ["Choose one of the answers."]
    assert Answer.objects.count() == 0


def test_an_out_of_range_choice_is_refused_not_a_500(hnin: Client) -> None:
    assert _answer(hnin, 1, choice="9").status_code == 400
    assert _answer(hnin, 1, choice="-1").status_code == 400
    assert Answer.objects.count() == 0


def test_pages_past_the_end_lead_to_the_review(hnin: Client) -> None:
    response = hnin.get("/education/exam/q/99/")
    assert response.status_code == 302 and response.url == "/education/exam/review/"


def test_saving_an_answer_is_two_statements(hnin: Client) -> None:
    question = _question_on_page(hnin, 1)  # the page put the paper in this process's cache
    with CaptureQueriesContext(connection) as queries:
        response = hnin.post("/education/exam/q/1/", {"question": str(question.pk), "choice": "0"})
    assert response.status_code == 302
    # One conditional update of the attempt (bound device, not handed in, in time); the
    # answer's upsert. No session, attempt, paper or question read: the signed cookie holds
    # the ids, the deadline and the token from login, the process holds the paper.
    statements = [q["sql"] for q in queries.captured_queries if not _is_tx(q["sql"])]
    assert [_verb_and_table(sql) for sql in statements] == [
        ("UPDATE", "education_attempt"),
        ("INSERT", "education_answer"),
    ], statements
    assert '"binding"' in statements[0] and '"deadline" >=' in statements[0]
    assert "ON CONFLICT" in statements[1]


def test_a_question_page_is_one_statement_once_the_paper_is_cached(hnin: Client) -> None:
    service._papers.clear()  # a fresh process: the first page reads the whole paper once
    with CaptureQueriesContext(connection) as queries:
        assert hnin.get("/education/exam/q/1/").status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if not _is_tx(q["sql"])]
    assert [_verb_and_table(sql) for sql in statements] == [
        ("SELECT", "education_paperquestion"),
        ("SELECT", "education_answer"),
    ], statements
    with CaptureQueriesContext(connection) as queries:
        assert hnin.get("/education/exam/q/2/").status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if not _is_tx(q["sql"])]
    assert [_verb_and_table(sql) for sql in statements] == [
        ("SELECT", "education_answer"),
    ], statements
    assert "ORDER BY" not in statements[0] and "JOIN" not in statements[0]


def test_a_forged_or_foreign_exam_cookie_holds_nothing(hnin: Client) -> None:
    value = hnin.cookies["exam"].value
    hnin.cookies["exam"] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    page = hnin.get("/education/exam/q/1/")
    assert page.status_code == 200 and b'name="question"' not in page.content
    # A cookie signed for another purpose with the same key is refused too.
    from django.core import signing

    hnin.cookies["exam"] = signing.dumps(["0" * 32, "t", "0" * 32, True, "2030-01-01T00:00:00Z"])
    assert b'name="question"' not in hnin.get("/education/exam/q/1/").content


def _verb_and_table(sql: str) -> tuple[str, str]:
    verb = sql.split()[0].upper()
    marker = {"SELECT": " FROM ", "UPDATE": "UPDATE ", "INSERT": "INSERT INTO "}[verb]
    return verb, sql.split(marker, 1)[1].split()[0].strip('"')


def _is_tx(sql: str) -> bool:
    return sql.upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"))


def test_handing_in_closes_the_paper(hnin: Client, codes: list[str]) -> None:
    _answer(hnin, 1, choice="0")
    review = hnin.get("/education/exam/review/")
    assert review.context["answered"] == 1
    response = hnin.post("/education/exam/review/")
    assert response.status_code == 200 and _attempt().submitted_at is not None
    again = Client().post("/education/exam/", {"code": codes[0]})
    assert again.status_code == 400
    assert _attempt().position == 2


def test_marking_release_and_result_by_code(
    hnin: Client, client: Client, codes: list[str], may: Any, nilar: Any, sitting: Sitting
) -> None:
    # Given Hnin's three answers: right, right (in Zawgyi), and a short answer
    _answer(hnin, 1, choice="0")
    _answer(hnin, 2, text=MYANMAR_ZAWGYI)
    _answer(hnin, 3, text="So that the people choose.")
    hnin.post("/education/exam/review/")
    # When the result is asked for before release, it is not shown
    early = client.post("/education/exam/result/", {"code": codes[0]})
    assert early.status_code == 400
    # And release is refused while the sitting is open and an answer is unmarked
    with pytest.raises(EducationError):
        service.release_results(sitting, nilar)
    # When teacher May marks the short answer 3 of 4 through the queue
    client.force_login(may)
    queue = client.get("/education/staff/marking/")
    assert [a.text for a in queue.context["queue"]] == ["So that the people choose."]
    too_many = client.post(
        "/education/staff/marking/", {"answer": str(Answer.objects.get(marks=None).pk), "marks": 5}
    )
    assert too_many.status_code == 400 and Answer.objects.filter(marks=None).count() == 1
    client.post(
        "/education/staff/marking/", {"answer": str(Answer.objects.get(marks=None).pk), "marks": 3}
    )
    # And the sitting closes and the officer releases results
    Sitting.objects.update(closes_at=timezone.now() - timedelta(minutes=1))
    sitting.refresh_from_db()
    service.release_results(sitting, nilar)
    # Then Hnin sees 5 of 6, a pass, by her code
    result = Client().post("/education/exam/result/", {"code": codes[0]}).context["result"]
    assert (result.score, result.total, result.passed) == (5, 6, True)
    assert AuditEntry.objects.filter(action="education.answer_mark").count() == 1
    assert AuditEntry.objects.filter(action="education.results_release").count() == 1


def test_codes_are_printed_once_and_only_digests_kept(
    client: Client, nilar: Any, sitting: Sitting, spring_school: Any
) -> None:
    client.force_login(nilar)
    response = client.post(
        f"/education/staff/sittings/{sitting.pk}/",
        {"action": "register", "school": str(spring_school.pk), "count": 2},
    )
    assert response.status_code == 200
    codes = [code for _n, code in response.context["codes"]]
    assert len(codes) == 2 and len(set(codes)) == 2
    stored = list(Candidate.objects.values_list("code_digest", flat=True))
    assert all(code not in stored for code in codes)
    assert sorted(stored) == sorted(service.code_digest(c) for c in codes)
    page = client.get(f"/education/staff/sittings/{sitting.pk}/").content.decode()
    assert codes[0] not in page


def test_an_unrecognised_school_cannot_register_candidates(
    sitting: Sitting, spring_school: Any, nilar: Any
) -> None:
    spring_school.status = spring_school.Status.SUSPENDED
    spring_school.save()
    with pytest.raises(EducationError):
        service.register_candidates(sitting, spring_school, 5, nilar)
    assert Candidate.objects.count() == 0


def test_a_citizen_cannot_open_staff_exam_pages(
    client: Client, alice: Any, sitting: Sitting
) -> None:
    client.force_login(alice)
    assert client.get("/education/staff/sittings/").status_code == 403
    assert client.get(f"/education/staff/sittings/{sitting.pk}/").status_code == 403
    assert client.get("/education/staff/marking/").status_code == 403
