"""Surveys: answering without JavaScript, once per person, never after closing; results."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pyithu.accounts.models import Role, User
from pyithu.geo.models import Township
from pyithu.portal import demo
from pyithu.portal.models import Answer, AnswerCode, Participation, Survey, SurveyResponse
from pyithu.portal.selectors.surveys import cross_tab, survey_results
from pyithu.portal.services.errors import Conflict, Refusal
from pyithu.portal.services.surveys import (
    close_survey,
    issue_answer_codes,
    publish_survey,
    submit_response,
)
from pyithu.portal.services.trust_survey import create_trust_survey

OFFLINE_SCRIPT = '<script src="/static/core/offline.js" defer></script>'


def _form(options: dict[tuple[str, int], Any], **extra: str) -> dict[str, str]:
    """A user's answers as the survey page posts them: options by their number (from 1)."""
    return {"used": "1", "efficiency": "1", "security": "2", **extra}


def test_a_person_answers_the_trust_survey_in_burmese_without_javascript(
    client_my: Client, trust_survey: Survey, options: dict
) -> None:
    # given the published trust survey and a visitor reading Burmese
    page = client_my.get("/surveys/trust/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများ၏ ထိရောက်မှုကို မည်မျှ ယုံကြည်ပါသလဲ။" in html
    # The one script: the deferred service-worker registration, never needed (0086)
    assert "<script" not in html.replace(OFFLINE_SCRIPT, "") and 'style="' not in html
    assert '<input type="text" name="township"' in html
    # when they send their answers with a plain form post
    township = Township.objects.get(pcode="MMR013001")
    response = client_my.post(
        "/surveys/trust/", _form(options, township=township.pcode, comments="ဆရာဝန် ကောင်းသည်")
    )
    # then they are thanked, and one anonymous response holds their answers
    assert response.status_code == 302
    assert response["Location"] == "/surveys/trust/thanks/"
    saved = SurveyResponse.objects.get(survey=trust_survey)
    assert {a.question.key for a in saved.answers.all()} == {
        "used",
        "efficiency",
        "security",
        "township",
        "comments",
    }
    assert saved.answers.get(question__key="comments").text == "ဆရာဝန် ကောင်းသည်"
    assert Participation.objects.count() == 0  # anonymous: nothing about who


def test_free_text_answers_are_sealed_at_rest(trust_survey: Survey, options: dict) -> None:
    # given an answer with a free-text comment naming a place
    submit_response(trust_survey, {"used": options["used", 2], "comments": "Near the Kalay gate"})
    # when the table is read directly
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM portal_answer WHERE text <> ''")
        stored = [row[0] for row in cursor.fetchall()]
    # then only sealed text is there
    assert len(stored) == 1
    assert stored[0].startswith("sealed:")
    assert "Kalay" not in stored[0]


def test_a_signed_in_person_cannot_answer_twice(
    alice: User, trust_survey: Survey, options: dict
) -> None:
    # given alice answered once while signed in
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    assert client.post("/surveys/trust/", _form(options)).status_code == 302
    # when she tries again from another browser (no cookie)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(alice)
    response = other.post("/surveys/trust/", _form(options))
    # then she is told, and nothing more is saved
    assert response.status_code == 409
    assert "You have already answered this survey. Thank you." in response.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == 3
    # and what is kept says only that someone answered, not who or what
    participation = Participation.objects.get()
    assert str(alice.pk) not in participation.digest
    assert participation.created_at.hour == 0 and participation.created_at.minute == 0


def test_the_service_refuses_a_second_answer_from_the_same_account(
    alice: User, trust_survey: Survey, options: dict
) -> None:
    submit_response(trust_survey, {"used": options["used", 2]}, user=alice)
    with pytest.raises(Conflict, match="already answered"):
        submit_response(trust_survey, {"used": options["used", 2]}, user=alice)
    assert SurveyResponse.objects.count() == 1


def test_an_anonymous_browser_is_asked_once_by_a_signed_cookie(
    client_en: Client, trust_survey: Survey, options: dict
) -> None:
    # given an anonymous visitor who answered
    assert client_en.post("/surveys/trust/", _form(options)).status_code == 302
    # when the same browser posts again
    again = client_en.post("/surveys/trust/", _form(options))
    # then it is refused in English and nothing more is saved
    assert again.status_code == 409
    assert "You have already answered this survey. Thank you." in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    # and the page itself says so instead of showing the form
    assert "already answered" in client_en.get("/surveys/trust/").content.decode()


def test_a_forged_cookie_does_not_block_or_unblock(
    client_en: Client, trust_survey: Survey, options: dict
) -> None:
    client_en.cookies[f"s-{trust_survey.pk.hex[:16]}"] = "1"  # unsigned
    assert client_en.post("/surveys/trust/", _form(options)).status_code == 302


def test_a_closed_survey_refuses_answers_in_the_visitors_language(
    client_my: Client, trust_survey: Survey, options: dict, olivia: User
) -> None:
    # given the survey was closed
    close_survey(trust_survey, olivia)
    # when someone posts answers
    response = client_my.post("/surveys/trust/", _form(options))
    # then they are told in Burmese (or the English source until translated), nothing saved
    assert response.status_code == 409
    assert SurveyResponse.objects.count() == 0
    assert Answer.objects.count() == 0
    with pytest.raises(Conflict):
        submit_response(trust_survey, {"used": options["used", 1]})


def test_a_missing_required_answer_keeps_what_was_typed(
    client_en: Client, trust_survey: Survey, options: dict
) -> None:
    # when the required "used" question is left empty
    data = _form(options, comments="My comment stays")
    del data["used"]
    response = client_en.post("/surveys/trust/", data)
    # then the page answers 400 with the error, keeps the comment, and saves nothing
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "My comment stays" in html
    assert SurveyResponse.objects.count() == 0


def test_an_option_of_another_question_is_refused(trust_survey: Survey, options: dict) -> None:
    with pytest.raises(Refusal, match="Pick one of the options shown"):
        submit_response(trust_survey, {"used": options["efficiency", 1]})
    assert SurveyResponse.objects.count() == 0


def test_a_draft_survey_is_not_shown_or_answered(client_en: Client, db: Any) -> None:
    from pyithu.portal.models import Ministry

    create_trust_survey(Ministry.objects.get(slug="health"), "draft-one")
    assert client_en.get("/surveys/draft-one/").status_code == 404
    assert client_en.post("/surveys/draft-one/", {}).status_code == 404


def test_answer_codes_work_once(client_en: Client, trust_survey: Survey, options: dict) -> None:
    # given a survey answered with one-time codes handed out on paper
    Survey.objects.filter(pk=trust_survey.pk).update(guard=Survey.Guard.CODE)
    trust_survey.refresh_from_db()
    codes = issue_answer_codes(trust_survey, 2, None)
    assert AnswerCode.objects.filter(digest__in=codes).count() == 0  # only digests kept
    # when a code is used, in lower case without dashes
    first = client_en.post(
        "/surveys/trust/", _form(options, code=codes[0].lower().replace("-", ""))
    )
    assert first.status_code == 302
    # then it cannot be used again, and nothing is saved the second time
    again = Client(HTTP_ACCEPT_LANGUAGE="en").post("/surveys/trust/", _form(options, code=codes[0]))
    assert again.status_code == 409
    assert "This answer code is unknown or has already been used." in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    # and an unknown code is refused too
    with pytest.raises(Conflict):
        submit_response(trust_survey, {"used": options["used", 1]}, code="AAAA-BBBB-CCCC")
    assert SurveyResponse.objects.count() == 1


def test_publishing_and_closing_follow_the_lifecycle(olivia: User) -> None:
    from pyithu.portal.models import Ministry

    survey = create_trust_survey(Ministry.objects.get(slug="communications"), "cycle")
    with pytest.raises(Conflict):
        close_survey(survey, olivia)
    publish_survey(survey, olivia)
    with pytest.raises(Conflict):
        publish_survey(survey, olivia)
    close_survey(survey, olivia)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert survey.published_at is not None and survey.closed_at is not None


def test_an_empty_survey_cannot_be_published(olivia: User) -> None:
    from pyithu.portal.models import Ministry

    survey = Survey.objects.create(
        ministry=Ministry.objects.get(slug="communications"), slug="empty", title_en="E"
    )
    with pytest.raises(Refusal, match="Add at least one question"):
        publish_survey(survey, olivia)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_demo_answers_reproduce_table_1(db: Any) -> None:
    # given the demo data set
    demo.load()
    survey = Survey.objects.get(slug=demo.TRUST_SLUG)
    # when the results are computed
    results = {r.question.key: r for r in survey_results(survey)}

    def shares(key: str) -> dict[str, Decimal]:
        return {s.label: s.percent for s in results[key].shares}

    # then they are the seed's Table 1
    assert results["efficiency"].answered == 35
    assert shares("efficiency")["High trust"] == Decimal("65.7")
    assert shares("efficiency")["Moderate trust"] == Decimal("22.9")
    assert shares("security")["High trust"] == Decimal("62.9")
    assert shares("security")["Moderate trust"] == Decimal("25.7")
    assert shares("access")["Moderate access"] == Decimal("37.1")
    assert shares("access")["Low access"] == Decimal("37.1")
    assert shares("general_trust")["Moderate trust"] == Decimal("45.7")
    assert shares("general_trust")["High trust"] == Decimal("34.3")
    assert shares("general_trust")["No trust"] == Decimal("8.6")
    assert results["non_use"].answered == 70
    assert shares("non_use")["Security concerns"] == Decimal("47.1")
    assert shares("non_use")["No internet access"] == Decimal("44.3")
    assert shares("non_use")["Doubts about service quality"] == Decimal("4.3")
    assert results["used"].answered == 105


def test_cross_tabs_suppress_every_cell_under_five(db: Any) -> None:
    # given the demo answers (age bands of 2, 40, 38, 20 and 5 people)
    demo.load()
    survey = Survey.objects.get(slug=demo.TRUST_SLUG)
    questions = {q.key: q for q in survey.questions.all()}
    # when "used" is crossed with the age band
    tab = cross_tab(survey, questions["used"], questions["age_band"])
    rows = {label: (cells, total) for label, cells, total in tab.rows}
    # then small groups and small cells show "<5", never the number
    assert tab.columns == ["Yes", "No"]
    assert rows["Under 18"] == (["<5", "<5"], "<5")
    assert rows["18–29"] == (["35", "5"], "40")
    assert rows["30–44"] == (["<5", "38"], "38")
    assert rows["60 or over"] == (["<5", "5"], "5")


def test_an_operator_sees_the_results_chart_and_downloads_csv(
    make_staff: Any, client: Client
) -> None:
    # given the demo survey and an operator of its ministry
    demo.load()
    client.cookies["lang"] = "en"
    client.force_login(make_staff("operator-oo", Role.OPERATOR, "communications"))
    # when she opens the results
    page = client.get(f"/staff/surveys/{demo.TRUST_SLUG}/?q=used&by=township")
    html = page.content.decode()
    # then each choice question has a server-drawn bar chart, with no inline style
    assert page.status_code == 200
    assert html.count('<svg class="bars"') == 8  # seven choice questions and the township
    assert 'style="' not in html and "<script" not in html.replace(OFFLINE_SCRIPT, "")
    assert "65.7%" in html
    assert "/static/portal/portal.css" in html
    assert "<th>The township you live in</th>" in html  # the cross-tab
    # and the CSV holds the same percentages, one row per answer option
    export = client.get(f"/staff/surveys/{demo.TRUST_SLUG}/results.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["question_key", "question", "answer", "count", "percent", "answered"]
    assert [
        "efficiency",
        "How much do you trust the efficiency of the NUG's digital services?",
        "High trust",
        "23",
        "65.7",
        "35",
    ] in rows


def test_staff_of_another_ministry_cannot_see_results_or_close(
    make_staff: Any, client: Client, trust_survey: Survey
) -> None:
    client.force_login(make_staff("operator-hla", Role.OPERATOR, "health"))
    assert client.get("/staff/surveys/trust/").status_code == 403
    assert client.get("/staff/surveys/trust/results.csv").status_code == 403
    assert client.post("/staff/surveys/trust/close/").status_code == 403
    trust_survey.refresh_from_db()
    assert trust_survey.status == Survey.Status.PUBLISHED


def test_citizens_are_sent_to_log_in_for_staff_pages(alice: User, client: Client, db: Any) -> None:
    assert client.get("/staff/surveys/").status_code == 302
    client.force_login(alice)
    assert client.get("/staff/surveys/").status_code == 403


def test_an_operator_starts_from_the_template_and_publishes(olivia: User, client: Client) -> None:
    client.force_login(olivia)
    made = client.post("/staff/surveys/", {"ministry": "communications"})
    assert made.status_code == 302
    survey = Survey.objects.get()
    assert survey.status == Survey.Status.DRAFT and survey.questions.count() == 9
    assert client.post(f"/staff/surveys/{survey.slug}/publish/").status_code == 302
    again = client.post(f"/staff/surveys/{survey.slug}/publish/")
    assert again.status_code == 409
    assert "Only a draft survey can be published." in again.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED


def test_an_operator_issues_answer_codes_shown_once(olivia: User, client: Client, db: Any) -> None:
    from pyithu.portal.models import Ministry

    survey = create_trust_survey(Ministry.objects.get(slug="communications"), "coded")
    Survey.objects.filter(pk=survey.pk).update(guard=Survey.Guard.CODE)
    client.force_login(olivia)
    page = client.post("/staff/surveys/coded/codes/", {"count": "3"})
    assert page.status_code == 200
    assert AnswerCode.objects.filter(survey=survey).count() == 3
    refused = client.post("/staff/surveys/coded/codes/", {"count": "100000"})
    assert refused.status_code == 400
    assert AnswerCode.objects.filter(survey=survey).count() == 3


def test_an_empty_post_is_refused_beside_the_field(client_en: Client, trust_survey: Survey) -> None:
    response = client_en.post("/surveys/trust/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_the_demo_loads_once(db: Any) -> None:
    first = demo.load()
    assert len(first) == 3
    assert demo.load() == []
    assert SurveyResponse.objects.count() == 105


def test_staff_read_free_text_and_the_reading_is_audited(olivia: User, client: Client) -> None:
    from pyithu.core.models import AuditEntry

    demo.load()
    client.cookies["lang"] = "en"
    client.force_login(olivia)
    html = client.get(f"/staff/surveys/{demo.TRUST_SLUG}/").content.decode()
    assert '<blockquote translate="no">Please make the app work on old phones.</blockquote>' in html
    assert AuditEntry.objects.filter(
        action="portal.survey_results_view", actor_handle="operator-olivia"
    ).exists()


def test_an_option_number_out_of_range_is_refused(
    client_en: Client, trust_survey: Survey, options: dict
) -> None:
    response = client_en.post("/surveys/trust/", _form(options, used="9"))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert SurveyResponse.objects.count() == 0
