"""Answering surveys (citizens, no JavaScript) and reading their results (ministry staff)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.signing import BadSignature
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pyithu.core import audit
from pyithu.core.pages import citizen_page
from pyithu.portal.charts import bar_chart
from pyithu.portal.forms import IssueCodesForm, SurveyAnswerForm
from pyithu.portal.models import Ministry, Question, Survey
from pyithu.portal.selectors import surveys as results
from pyithu.portal.services import surveys as services
from pyithu.portal.services.errors import Refusal
from pyithu.portal.services.feedback import staff_ministries
from pyithu.portal.services.trust_survey import create_trust_survey
from pyithu.portal.views.common import (
    posted,
    put_on_form,
    render_form_page,
    require_operator,
    staff_only,
)

COOKIE_SALT = "portal.survey"
COOKIE_AGE = 2 * 365 * 24 * 3600


def example_survey() -> dict[str, Any]:
    """A published survey for the page checks; the trust survey is made if there is none."""
    survey = results.published_surveys().first()
    if survey is None:
        ministry = Ministry.objects.get(slug="communications")
        survey = create_trust_survey(ministry, "example-trust-survey")
        services.publish_survey(survey, None)
    return {"slug": survey.slug}


def _cookie(survey: Survey) -> str:
    return f"s-{survey.pk.hex[:16]}"


def _answered_here(request: HttpRequest, survey: Survey) -> bool:
    try:
        return request.get_signed_cookie(_cookie(survey), salt=COOKIE_SALT) == "1"
    except (KeyError, BadSignature):
        return False


def _visible_surveys() -> QuerySet[Survey]:
    return Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("ministry")


@citizen_page
@require_safe
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/survey_list.html", {"surveys": results.published_surveys()})


@citizen_page(example=example_survey)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(_visible_surveys(), slug=slug)
    questions = results.survey_questions(survey)
    form = SurveyAnswerForm(survey, questions, *posted(request))
    answered = _answered_here(request, survey) or services.has_answered(survey, request.user)
    context = {"survey": survey, "form": form, "answered": answered}
    if request.method != "POST":
        return render(request, "portal/survey_answer.html", context)
    if not survey.is_open:
        form.add_error(None, _("This survey is closed. Thank you for your interest."))
        return render_form_page(request, "portal/survey_answer.html", context, status=409)
    if answered and survey.guard != Survey.Guard.CODE:
        form.add_error(None, _("You have already answered this survey. Thank you."))
        return render_form_page(request, "portal/survey_answer.html", context, status=409)
    if not form.is_valid():
        return render_form_page(request, "portal/survey_answer.html", context)
    try:
        services.submit_response(
            survey, form.answers(), user=request.user, code=form.cleaned_data.get("code", "")
        )
    except Refusal as refusal:
        put_on_form(form, refusal)
        return render_form_page(request, "portal/survey_answer.html", context, refusal.status)
    response = HttpResponseRedirect(reverse("portal:survey_thanks", args=[survey.slug]))
    response.set_signed_cookie(
        _cookie(survey), "1", salt=COOKIE_SALT, max_age=COOKIE_AGE, httponly=True, samesite="Lax"
    )
    return response


@citizen_page(example=example_survey)
@require_safe
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(_visible_surveys(), slug=slug)
    return render(request, "portal/survey_thanks.html", {"survey": survey})


# --- staff -----------------------------------------------------------------------------------


def _operated_survey(request: HttpRequest, slug: str) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("ministry"), slug=slug)
    require_operator(request.user, survey.ministry.slug)
    return survey


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def staff_surveys(request: HttpRequest) -> HttpResponse:
    ministries = staff_ministries(request.user)
    surveys = Survey.objects.filter(ministry__slug__in=ministries).select_related("ministry")
    if request.method == "POST":
        ministry = get_object_or_404(Ministry, slug=request.POST.get("ministry", ""))
        require_operator(request.user, ministry.slug)
        number = Survey.objects.filter(ministry=ministry).count() + 1
        while Survey.objects.filter(slug=f"trust-{ministry.slug}-{number}").exists():
            number += 1
        survey = create_trust_survey(ministry, f"trust-{ministry.slug}-{number}", by=request.user)
        messages.success(request, _("A draft copy of the trust survey was made."))
        return redirect("portal:staff_survey", survey.slug)
    context = {"surveys": surveys, "ministries": Ministry.objects.filter(slug__in=ministries)}
    return render(request, "portal/staff/surveys.html", context)


@staff_only
@require_safe
def staff_survey(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _operated_survey(request, slug)
    # Free-text answers are unsealed on this page: the reading is in the audit log.
    audit.record(request.user, "portal.survey_results_view", survey, summary=survey.slug)
    return _results_page(request, survey)


def _results_page(
    request: HttpRequest, survey: Survey, *, status: int = 200, **extra: Any
) -> HttpResponse:
    found = results.survey_results(survey)
    questions = [r.question for r in found]
    by_key = {q.key: q for q in questions}
    tab = None
    target, by = by_key.get(request.GET.get("q", "")), by_key.get(request.GET.get("by", ""))
    if target is not None and by is not None and target.has_options and target != by:
        tab = results.cross_tab(survey, target, by)
    context = {
        "survey": survey,
        "results": [(r, mark_safe(bar_chart(r)) if r.shares else "") for r in found],
        "texts": {
            q.key: results.text_answers(survey, q)
            for q in questions
            if q.kind == Question.Kind.TEXT
        },
        "responses": survey.responses.count(),
        "choice_questions": [q for q in questions if q.has_options],
        "group_questions": results.crossable(questions),
        "tab": tab,
        "codes_form": extra.pop("codes_form", IssueCodesForm()),
        **extra,
    }
    return render(request, "portal/staff/survey.html", context, status=status)


@staff_only
@require_POST
def staff_survey_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    survey = _operated_survey(request, slug)
    act = {"publish": services.publish_survey, "close": services.close_survey}.get(action)
    if act is None:
        return HttpResponse(status=404)
    try:
        act(survey, request.user)
    except Refusal as refusal:
        return _results_page(request, survey, status=refusal.status, error=refusal.message)
    return redirect("portal:staff_survey", survey.slug)


@staff_only
@require_POST
def staff_survey_codes(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _operated_survey(request, slug)
    form = IssueCodesForm(request.POST)
    if form.is_valid():
        try:
            codes = services.issue_answer_codes(survey, form.cleaned_data["count"], request.user)
        except Refusal as refusal:
            put_on_form(form, refusal)
        else:
            # Shown in this response only: print them, they are never stored.
            return render(request, "portal/staff/codes.html", {"survey": survey, "codes": codes})
    return _results_page(request, survey, status=400, codes_form=form)


@staff_only
@require_safe
def staff_survey_csv(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _operated_survey(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-results.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the Burmese correctly
    csv.writer(response).writerows(results.csv_rows(survey))
    return response
