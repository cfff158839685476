"""API endpoints for surveys, answers, feedback and reach, added to the portal's router."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core.schema import Code, Text
from pyithu.geo.models import Township
from pyithu.portal.models import Question, Survey
from pyithu.portal.selectors import active_services
from pyithu.portal.selectors import reach as reach_selectors
from pyithu.portal.selectors import surveys as survey_selectors
from pyithu.portal.services import feedback as feedback_services
from pyithu.portal.services import surveys as survey_services
from pyithu.portal.services.errors import Refusal
from pyithu.portal.services.surveys import AnswerValue

Problem = tuple[int, dict[str, Any]]


class ProblemOut(Schema):
    detail: str
    field: str | None = None


class OptionOut(Schema):
    id: str
    text_en: str
    text_my: str


class QuestionOut(Schema):
    key: str
    kind: str
    required: bool
    text_en: str
    text_my: str
    options: list[OptionOut]


class SurveyOut(Schema):
    slug: str
    ministry: str
    status: str
    guard: str
    title_en: str
    title_my: str


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[Code, Text(2000) | list[Code]] = Field(
        description="By question key: an option id, a list of option ids (multiple choice), "
        "a township P-code, or text."
    )
    code: Text(20) = ""


class CreatedOut(Schema):
    id: str


class ShareOut(Schema):
    label: str
    count: int
    percent: str


class ResultOut(Schema):
    key: str
    text: str
    answered: int
    shares: list[ShareOut]


class FeedbackIn(Schema):
    service: Code
    kind: Code
    body: Text(4000)


class FeedbackCreatedOut(Schema):
    code: str = Field(description="The follow-up code: shown once, never stored.")


class FollowIn(Schema):
    code: Text(40)


class MessageOut(Schema):
    from_staff: bool
    body: str
    at: str


class ThreadOut(Schema):
    service: str
    kind: str
    status: str
    messages: list[MessageOut]


class ReachRowOut(Schema):
    place: str = Field(description='A township P-code, or "abroad:<country code>".')
    name: str
    months: list[str]
    total: str


class RegionOut(Schema):
    state_pcode: str
    state: str
    shutdowns: int
    townships: int


class ReachOut(Schema):
    months: list[str]
    rows: list[ReachRowOut]
    total: str
    shutdown_townships: list[str]
    regions: list[RegionOut]


def _survey_out(survey: Survey) -> dict[str, Any]:
    return {
        "slug": survey.slug,
        "ministry": survey.ministry.slug,
        "status": survey.status,
        "guard": survey.guard,
        "title_en": survey.title_en,
        "title_my": survey.title_my,
    }


def _problem(refusal: Refusal) -> Problem:
    return refusal.status, {"detail": str(refusal.message), "field": refusal.field}


def _parse_answers(questions: list[Question], raw: dict[str, Any]) -> dict[str, AnswerValue]:
    """Option ids and P-codes to objects; unknown ones are left for the service to refuse."""
    out: dict[str, AnswerValue] = {}
    for question in questions:
        value = raw.get(question.key)
        if value in (None, "", []):
            continue
        options = {str(o.pk): o for o in question.options.all()}
        if question.has_options:
            ids = value if isinstance(value, list) else [value]
            if not all(i in options for i in ids):
                raise Refusal(_pick(), field=question.key)
            chosen = [options[i] for i in ids]
            out[question.key] = chosen if question.kind == Question.Kind.MULTIPLE else chosen[0]
            if question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
                out[question.key] = chosen
        elif question.kind == Question.Kind.TOWNSHIP:
            township = Township.objects.active().filter(pcode__iexact=str(value)).first()
            if township is None:
                raise Refusal(_pick(), field=question.key)
            out[question.key] = township
        else:
            out[question.key] = value if isinstance(value, str) else None
    unknown = set(raw) - {q.key for q in questions}
    if unknown:
        raise Refusal(_no_such(), field=sorted(unknown)[0])
    return out


def _pick() -> str:
    from django.utils.translation import gettext

    return gettext("Pick one of the options shown.")


def _no_such() -> str:
    from django.utils.translation import gettext

    return gettext("This survey has no such question.")


def attach(router: Router) -> None:
    @router.get("/surveys", response=list[SurveyOut], summary="Surveys open for answers")
    def list_surveys(request: HttpRequest) -> list[dict[str, Any]]:
        return [_survey_out(s) for s in survey_selectors.published_surveys()]

    @router.get(
        "/surveys/{slug}",
        response={200: SurveyDetailOut, 404: ProblemOut},
        summary="A survey and its questions",
    )
    def get_survey(request: HttpRequest, slug: Code) -> Any:
        survey = Survey.objects.exclude(status=Survey.Status.DRAFT).filter(slug=slug).first()
        if survey is None:
            return 404, {"detail": "No such survey."}
        questions = [
            {
                "key": q.key,
                "kind": q.kind,
                "required": q.required,
                "text_en": q.text_en,
                "text_my": q.text_my,
                "options": [
                    {"id": str(o.pk), "text_en": o.text_en, "text_my": o.text_my}
                    for o in q.options.all()
                ],
            }
            for q in survey_selectors.survey_questions(survey)
        ]
        return {**_survey_out(survey), "questions": questions}

    @router.post(
        "/surveys/{slug}/responses",
        response={201: CreatedOut, 400: ProblemOut, 404: ProblemOut, 409: ProblemOut},
        summary="Answer a survey (once per person)",
    )
    def answer_survey(request: HttpRequest, slug: Code, payload: AnswersIn) -> Any:
        """Anonymous. A survey with guard ``code`` needs a one-time answer code; ``account``
        needs a signed-in session. Refused with 409 when closed or already answered."""
        survey = Survey.objects.exclude(status=Survey.Status.DRAFT).filter(slug=slug).first()
        if survey is None:
            return 404, {"detail": "No such survey."}
        try:
            answers = _parse_answers(survey_selectors.survey_questions(survey), payload.answers)
            response = survey_services.submit_response(
                survey, answers, user=request.user, code=payload.code
            )
        except Refusal as refusal:
            return _problem(refusal)
        return 201, {"id": str(response.pk)}

    @router.get(
        "/surveys/{slug}/results",
        response={200: list[ResultOut], 403: ProblemOut, 404: ProblemOut},
        auth=ApiTokenAuth(),
        summary="Results of a survey (its ministry's operators)",
    )
    def survey_results(request: HttpRequest, slug: Code) -> Any:
        survey = Survey.objects.select_related("ministry").filter(slug=slug).first()
        if survey is None:
            return 404, {"detail": "No such survey."}
        if not has_role(request.auth, Role.OPERATOR, ministry=survey.ministry.slug):
            return 403, {"detail": "Only the ministry's operators see results."}
        return [
            {
                "key": r.question.key,
                "text": r.question.text,
                "answered": r.answered,
                "shares": [
                    {"label": s.label, "count": s.count, "percent": str(s.percent)}
                    for s in r.shares
                ],
            }
            for r in survey_selectors.survey_results(survey)
        ]

    @router.post(
        "/feedback",
        response={201: FeedbackCreatedOut, 400: ProblemOut, 404: ProblemOut},
        summary="Send a complaint, suggestion or praise about a service",
    )
    def send_feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
        service = active_services().filter(slug=payload.service).first()
        if service is None:
            return 404, {"detail": "No such service.", "field": "service"}
        try:
            _feedback, code = feedback_services.send_feedback(service, payload.kind, payload.body)
        except Refusal as refusal:
            return _problem(refusal)
        return 201, {"code": code}

    @router.post(
        "/feedback/follow",
        response={200: ThreadOut, 404: ProblemOut},
        summary="Read a feedback thread by its follow-up code",
    )
    def follow_feedback(request: HttpRequest, payload: FollowIn) -> Any:
        feedback = feedback_services.find_by_code(payload.code)
        if feedback is None:
            return 404, {"detail": "No feedback has this code.", "field": "code"}
        return {
            "service": feedback.service.slug,
            "kind": feedback.kind,
            "status": feedback.status,
            "messages": [
                {"from_staff": m.from_staff, "body": m.body, "at": m.created_at.date().isoformat()}
                for m in feedback.messages.all()
            ],
        }

    @router.get("/reach", response=ReachOut, summary="People served and internet shutdowns")
    def reach_figures(
        request: HttpRequest, service: Code = "", year: int | None = None
    ) -> dict[str, Any]:
        """By place and month (counts under 5 as "<5"), for one service or all; with the
        townships where shutdowns were recorded and the count by state/region."""
        date_from = date(year, 1, 1) if year and 2000 < year < 2100 else None
        date_to = date(year, 12, 31) if date_from else None
        sources = reach_selectors.sources_for(service or None)
        table = reach_selectors.reach_table(sources, date_from, date_to)
        return {
            "months": [m.isoformat() for m in table.months],
            "rows": [{"place": p, "name": n, "months": c, "total": t} for p, n, c, t in table.rows],
            "total": table.total,
            "shutdown_townships": sorted(reach_selectors.shutdown_townships(date_from, date_to)),
            "regions": [
                {
                    "state_pcode": s.pcode,
                    "state": s.name_en,
                    "shutdowns": n,
                    "townships": t,
                }
                for s, n, t in reach_selectors.shutdowns_by_region(date_from, date_to)
            ],
        }
