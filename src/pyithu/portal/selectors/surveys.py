"""Survey results: counts, percentages, cross-tabs with small cells suppressed, CSV rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from pyithu.core.reach import SMALL_COUNT
from pyithu.portal.models import Answer, Question, Survey

SUPPRESSED = f"<{SMALL_COUNT}"


@dataclass
class Share:
    label: str
    count: int
    percent: Decimal  # of the people who answered the question, one decimal place


@dataclass
class QuestionResult:
    question: Question
    answered: int  # people who answered this question
    shares: list[Share] = field(default_factory=list)


@dataclass
class CrossTab:
    question: Question
    by: Question
    columns: list[str]
    rows: list[tuple[str, list[str], str]]  # (row label, cells, row total), small cells "<5"


def percent(count: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.0")
    return (Decimal(100 * count) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def published_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(status=Survey.Status.PUBLISHED).select_related("ministry")


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("options"))


def survey_results(survey: Survey) -> list[QuestionResult]:
    """Every question with how many answered it and, for choices and townships, the shares."""
    answers = Answer.objects.filter(response__survey=survey)
    answered = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    by_option = dict(
        answers.filter(option__isnull=False).values_list("option").annotate(n=Count("id"))
    )
    by_township: dict[str, Counter[str]] = defaultdict(Counter)
    for question_id, name_en, name_my in answers.filter(township__isnull=False).values_list(
        "question", "township__name_en", "township__name_my"
    ):
        by_township[question_id][_name(name_en, name_my)] += 1
    results = []
    for question in survey_questions(survey):
        total = answered.get(question.pk, 0)
        result = QuestionResult(question, total)
        if question.has_options:
            for option in question.options.all():
                count = by_option.get(option.pk, 0)
                result.shares.append(Share(option.text, count, percent(count, total)))
        elif question.kind == Question.Kind.TOWNSHIP:
            for name, count in by_township[question.pk].most_common():
                result.shares.append(Share(name, count, percent(count, total)))
        results.append(result)
    return results


def _name(name_en: str, name_my: str) -> str:
    from pyithu.core.i18n import content_language

    return (name_my or name_en) if content_language() == "my" else (name_en or name_my)


def cross_tab(survey: Survey, question: Question, by: Question) -> CrossTab:
    """How each group of ``by`` (a township or a choice, e.g. an age band) answered
    ``question``; every count under 5, zeros included, is shown as "<5"."""
    groups: dict[str, set[object]] = defaultdict(set)
    for response_id, label in _labels(survey, by):
        groups[label].add(response_id)
    columns = [option.text for option in question.options.all()]
    picked: dict[object, set[str]] = defaultdict(set)
    for response_id, label in _labels(survey, question):
        picked[response_id].add(label)
    rows = []
    for label in sorted(groups):
        members = groups[label]
        cells = [sum(1 for r in members if column in picked[r]) for column in columns]
        answered = sum(1 for r in members if picked[r])
        rows.append((label, [_cell(c) for c in cells], _cell(answered)))
    return CrossTab(question, by, columns, rows)


def _cell(count: int) -> str:
    return SUPPRESSED if count < SMALL_COUNT else str(count)


def _labels(survey: Survey, question: Question) -> list[tuple[object, str]]:
    answers = Answer.objects.filter(response__survey=survey, question=question)
    if question.kind == Question.Kind.TOWNSHIP:
        return [
            (r, _name(en, my))
            for r, en, my in answers.values_list(
                "response", "township__name_en", "township__name_my"
            )
        ]
    texts = {o.pk: o.text for o in question.options.all()}
    return [
        (r, texts[o])
        for r, o in answers.filter(option__isnull=False).values_list("response", "option")
    ]


def crossable(questions: list[Question]) -> list[Question]:
    """Questions a cross-tab can group by: townships and single choices (e.g. an age band)."""
    kinds = (Question.Kind.TOWNSHIP, Question.Kind.SINGLE, Question.Kind.LIKERT)
    return [q for q in questions if q.kind in kinds]


def csv_rows(survey: Survey) -> list[list[str]]:
    """The results table as CSV rows: question key, question, answer, count, percent.

    Aggregates only: no row describes one person, and free text stays sealed in the database.
    """
    rows = [["question_key", "question", "answer", "count", "percent", "answered"]]
    for result in survey_results(survey):
        if not result.shares:
            rows.append(
                [result.question.key, result.question.text, "", "", "", str(result.answered)]
            )
        for share in result.shares:
            rows.append(
                [
                    result.question.key,
                    result.question.text,
                    share.label,
                    str(share.count),
                    str(share.percent),
                    str(result.answered),
                ]
            )
    return rows


def text_answers(survey: Survey, question: Question, limit: int = 200) -> list[str]:
    """Free-text answers, unsealed for the ministry's staff, newest first."""
    answers = Answer.objects.filter(response__survey=survey, question=question)
    return [a.text for a in answers.order_by("-created_at")[:limit] if a.text]
