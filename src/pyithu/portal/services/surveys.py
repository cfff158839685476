"""Surveys: building, publishing, closing, answer codes, and answering once per person."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.core import audit, changes, sealing
from pyithu.geo.models import Township
from pyithu.portal.models import (
    Answer,
    AnswerCode,
    Option,
    Participation,
    Question,
    Survey,
    SurveyResponse,
)
from pyithu.portal.services.errors import Conflict, Refusal

# Answer codes: Crockford's base32 without look-alikes, 12 characters shown in groups of four.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_CODES_AT_ONCE = 500
MAX_TEXT_ANSWER = 2000

# A question's answer as the services take it: an option, options, a township, or text.
AnswerValue = Option | list[Option] | Township | str | None


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_code(code: str) -> str:
    """What people type: any case, with or without dashes or spaces, O for 0, I/L for 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def account_digest(survey: Survey, user_id: Any) -> str:
    # The survey id goes into the value: ``digest`` keeps only 16 bytes of the purpose.
    return sealing.digest("survey-account", f"{survey.pk}:{user_id}")


def code_digest(code: str) -> str:
    return sealing.digest("survey-code", normalise_code(code))


@transaction.atomic
def publish_survey(survey: Survey, by: Any) -> Survey:
    questions = list(survey.questions.prefetch_related("options"))
    if not questions:
        raise Refusal(_("Add at least one question before publishing."))
    for question in questions:
        if question.has_options and len(question.options.all()) < 2:
            raise Refusal(
                _("The question “%(question)s” needs at least two options.")
                % {"question": question.text}
            )
    changed = Survey.objects.filter(pk=survey.pk, status=Survey.Status.DRAFT).update(
        status=Survey.Status.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("Only a draft survey can be published."))
    changes.changed(Survey, [survey.pk])
    audit.record(by, "portal.survey_publish", survey, summary=survey.slug)
    survey.refresh_from_db()
    return survey


@transaction.atomic
def close_survey(survey: Survey, by: Any) -> Survey:
    changed = Survey.objects.filter(pk=survey.pk, status=Survey.Status.PUBLISHED).update(
        status=Survey.Status.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("Only an open survey can be closed."))
    changes.changed(Survey, [survey.pk])
    audit.record(by, "portal.survey_close", survey, summary=survey.slug)
    survey.refresh_from_db()
    return survey


@transaction.atomic
def issue_answer_codes(survey: Survey, count: int, by: Any) -> list[str]:
    """``count`` one-time answer codes, returned once; only their digests are kept."""
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise Refusal(
            _("Issue between 1 and %(max)d codes at a time.") % {"max": MAX_CODES_AT_ONCE},
            field="count",
        )
    if survey.status == Survey.Status.CLOSED:
        raise Conflict(_("This survey is closed."))
    codes = [new_code() for _ in range(count)]
    issued = AnswerCode.objects.bulk_create(
        AnswerCode(survey=survey, digest=code_digest(code), issued_by=by) for code in codes
    )
    changes.changed(AnswerCode, [c.pk for c in issued])
    audit.record(by, "portal.survey_codes", survey, summary=f"{count} codes")
    return codes


def check_answers(survey: Survey, answers: Mapping[str, AnswerValue]) -> dict[str, str]:
    """Errors by question key: a required question left empty, an option of another question."""
    errors: dict[str, str] = {}
    questions = {q.key: q for q in survey.questions.all()}
    for key in answers:
        if key not in questions:
            errors[key] = _("This survey has no such question.")
    for key, question in questions.items():
        value = answers.get(key)
        if value in (None, "", []):
            if question.required:
                errors[key] = _("Please answer this question.")
            continue
        chosen = value if isinstance(value, list) else [value]
        if question.has_options:
            if not all(isinstance(o, Option) and o.question_id == question.pk for o in chosen):
                errors[key] = _("Pick one of the options shown.")
            elif question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
                errors[key] = _("Pick only one option.")
        elif question.kind == Question.Kind.TOWNSHIP and not isinstance(value, Township):
            errors[key] = _("Pick a township from the list.")
        elif question.kind == Question.Kind.TEXT and (
            not isinstance(value, str) or len(value) > MAX_TEXT_ANSWER
        ):
            errors[key] = _("Write at most %(max)d characters.") % {"max": MAX_TEXT_ANSWER}
    return errors


def submit_response(
    survey: Survey,
    answers: Mapping[str, AnswerValue],
    *,
    user: Any = None,
    code: str = "",
) -> SurveyResponse:
    """Save one person's answers, refusing a second answer and a survey that is not open.

    Who answered is kept only as a digest in ``Participation`` (signed-in people) or by
    spending an ``AnswerCode``; nothing links either to the saved response. Everything is
    written in one transaction: a refusal leaves no trace.
    """
    errors = check_answers(survey, answers)
    if errors:
        key, message = next(iter(errors.items()))
        raise Refusal(message, field=key)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Survey.Status.PUBLISHED:
            raise Conflict(_("This survey is not open for answers."))
        _claim_once(locked, user=user, code=code)
        response = SurveyResponse.objects.create(survey=locked)
        rows = Answer.objects.bulk_create(_answer_rows(locked, response, answers))
        changes.changed(Answer, [row.pk for row in rows])
    return response


def _claim_once(survey: Survey, *, user: Any, code: str) -> None:
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    if survey.guard == Survey.Guard.CODE:
        if not normalise_code(code):
            raise Refusal(_("Type the answer code you were given."), field="code")
        spent = AnswerCode.objects.filter(
            survey=survey, digest=code_digest(code), used_at__isnull=True
        ).update(used_at=timezone.localdate(), updated_at=timezone.now())
        if not spent:
            raise Conflict(_("This answer code is unknown or has already been used."), "code")
        used = AnswerCode.objects.filter(survey=survey, digest=code_digest(code))
        changes.changed(AnswerCode, used.values_list("pk", flat=True))
        return
    if survey.guard == Survey.Guard.ACCOUNT and not signed_in:
        raise Refusal(_("Log in to answer this survey."))
    if signed_in:
        try:
            with transaction.atomic():
                Participation.objects.create(survey=survey, digest=account_digest(survey, user.pk))
        except IntegrityError:
            raise Conflict(_("You have already answered this survey. Thank you.")) from None


def _answer_rows(
    survey: Survey, response: SurveyResponse, answers: Mapping[str, AnswerValue]
) -> list[Answer]:
    rows = []
    for question in survey.questions.all():
        value = answers.get(question.key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            rows += [Answer(response=response, question=question, option=o) for o in value]
        elif isinstance(value, Option):
            rows.append(Answer(response=response, question=question, option=value))
        elif isinstance(value, Township):
            rows.append(Answer(response=response, question=question, township=value))
        else:
            rows.append(Answer(response=response, question=question, text=str(value)))
    return rows


def has_answered(survey: Survey, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Participation.objects.filter(
        survey=survey, digest=account_digest(survey, user.pk)
    ).exists()
