"""Feedback: "tell us" on every service page, followed by code, answered by the ministry."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.template import Context, Template
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.portal.models import Feedback, FeedbackMessage, Service
from pyithu.portal.services.feedback import send_feedback


def _code(html: str) -> str:
    found = re.search(r'<p class="codes" translate="no">([0-9A-Z-]{14})</p>', html)
    assert found, "no follow-up code on the page"
    return found.group(1)


def test_every_service_page_has_the_tell_us_form(client_en: Client, db: Any) -> None:
    page = client_en.get("/services/tele-kyan-mar/").content.decode()
    assert '<form method="post" action="/feedback/tele-kyan-mar/">' in page
    assert 'value="complaint"' in page and 'value="praise"' in page
    assert '<a href="/reach/tele-kyan-mar/">' in page


def test_other_apps_can_include_the_form_by_slug(db: Any) -> None:
    html = Template("{% load portal_feedback %}{% feedback_form 'spring-development-bank' %}")
    rendered = html.render(Context({}))
    assert 'action="/feedback/spring-development-bank/"' in rendered


def test_a_complaint_is_sent_and_followed_by_code(client_my: Client, db: Any) -> None:
    # given a visitor reading Burmese on a service page
    # when they send a complaint
    sent = client_my.post(
        "/feedback/tele-kyan-mar/", {"kind": "complaint", "body": "ဆေးစာ ဖတ်မရပါ။"}
    )
    # then they get a follow-up code, shown once
    assert sent.status_code == 200
    code = _code(sent.content.decode())
    feedback = Feedback.objects.get()
    assert feedback.kind == "complaint" and feedback.status == "open"
    assert code not in feedback.code_digest
    # and with the code (typed, never in a URL) they read the thread and add to it
    thread = client_my.post("/feedback/follow/", {"code": code.lower()})
    assert thread.status_code == 200
    assert "ဆေးစာ ဖတ်မရပါ။" in thread.content.decode()
    more = client_my.post("/feedback/follow/", {"code": code, "body": "ထပ်ပြောချင်ပါတယ်"})
    assert more.status_code == 200
    assert FeedbackMessage.objects.filter(feedback=feedback).count() == 2


def test_message_bodies_are_sealed_at_rest(db: Any) -> None:
    send_feedback(Service.objects.get(slug="tele-kyan-mar"), "praise", "Dr Aye in Hpakant helped")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM portal_feedbackmessage")
        (stored,) = cursor.fetchone()
    assert stored.startswith("sealed:") and "Hpakant" not in stored


def test_an_empty_message_is_refused_and_nothing_is_saved(client_en: Client, db: Any) -> None:
    response = client_en.post("/feedback/tele-kyan-mar/", {"kind": "praise", "body": "  \u200b "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_an_unknown_kind_keeps_the_message(client_en: Client, db: Any) -> None:
    response = client_en.post("/feedback/tele-kyan-mar/", {"kind": "threat", "body": "Keep me"})
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_wrong_code_is_refused(client_en: Client, db: Any) -> None:
    response = client_en.post("/feedback/follow/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 400
    assert "No feedback has this code." in response.content.decode()


def test_ministry_staff_answer_and_close_other_staff_cannot(
    make_staff: Any, client_en: Client, db: Any
) -> None:
    # given feedback on a health service, a health operator and an education teacher
    feedback, code = send_feedback(Service.objects.get(slug="tele-kyan-mar"), "complaint", "Slow")
    dr = make_staff("doctor-daw", Role.DOCTOR, "health")
    teacher = make_staff("teacher-tin", Role.TEACHER, "education")
    # when the teacher tries to read or answer it
    other = Client()
    other.force_login(teacher)
    assert other.get(f"/staff/feedback/{feedback.pk}/").status_code == 403
    assert other.post(f"/staff/feedback/{feedback.pk}/", {"body": "x"}).status_code == 403
    assert FeedbackMessage.objects.count() == 1
    # then the health staff member can answer it and close it
    client_en.force_login(dr)
    assert "Slow" not in client_en.get("/staff/feedback/").content.decode()  # list: no bodies
    assert client_en.get("/staff/feedback/").content.decode().count("/staff/feedback/") >= 1
    answered = client_en.post(f"/staff/feedback/{feedback.pk}/", {"body": "We are on it."})
    assert answered.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    assert client_en.post(f"/staff/feedback/{feedback.pk}/close/").status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "closed"
    # and the sender sees the answer, but can no longer add to the closed thread
    sender = Client(HTTP_ACCEPT_LANGUAGE="en")
    sender.cookies["lang"] = "en"
    thread = sender.post("/feedback/follow/", {"code": code}).content.decode()
    assert "We are on it." in thread
    late = sender.post("/feedback/follow/", {"code": code, "body": "One more thing"})
    assert late.status_code == 409
    assert "This conversation is closed." in late.content.decode()
    assert FeedbackMessage.objects.count() == 2


def test_the_api_takes_feedback_and_shows_the_thread(client: Client, db: Any) -> None:
    sent = client.post(
        "/api/portal/feedback",
        {"service": "tele-kyan-mar", "kind": "suggestion", "body": "Add Chin"},
        content_type="application/json",
    )
    assert sent.status_code == 201
    code = sent.json()["code"]
    thread = client.post(
        "/api/portal/feedback/follow", {"code": code}, content_type="application/json"
    )
    assert thread.status_code == 200
    assert thread.json()["messages"][0]["body"] == "Add Chin"
    bad = client.post(
        "/api/portal/feedback",
        {"service": "tele-kyan-mar", "kind": "nonsense", "body": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
    assert Feedback.objects.count() == 1


def test_citizens_cannot_open_staff_feedback_pages(alice: User, client: Client, db: Any) -> None:
    client.force_login(alice)
    assert client.get("/staff/feedback/").status_code == 403
