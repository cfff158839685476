"""Writing question banks, papers and sittings (teachers, school admins, exam officers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from pyithu.core import audit
from pyithu.core.changes import changed
from pyithu.core.text import normalise_text
from pyithu.education.errors import EducationError
from pyithu.education.models import Paper, PaperQuestion, Question, QuestionBank, School, Sitting


@transaction.atomic
def create_bank(
    title: str, by: object, school: School | None = None, subject: str = ""
) -> QuestionBank:
    bank = QuestionBank.objects.create(school=school, title=normalise_text(title), subject=subject)
    audit.record(by, "education.bank_create", bank)
    return bank


@transaction.atomic
def add_question(
    bank: QuestionBank,
    kind: str,
    prompt: str,
    *,
    options: Sequence[str] = (),
    correct_option: int | None = None,
    accepted: Sequence[str] = (),
    marks: int = 1,
) -> Question:
    prompt = normalise_text(prompt, multiline=True)
    options = [normalise_text(o) for o in options]
    accepted = [normalise_text(a) for a in accepted if normalise_text(a)]
    if not prompt:
        raise EducationError(_("Write the question."), "prompt")
    if kind == Question.Kind.CHOICE and (
        len(options) < 2 or correct_option is None or not 0 <= correct_option < len(options)
    ):
        raise EducationError(_("Give at least two options and mark the right one."), "options")
    if kind == Question.Kind.FILL and not accepted:
        raise EducationError(_("List at least one accepted answer."), "accepted")
    if kind not in Question.Kind.values:
        raise EducationError(_("Choose a kind of question."), "kind")
    return Question.objects.create(
        bank=bank,
        kind=kind,
        prompt=prompt,
        options=options if kind == Question.Kind.CHOICE else [],
        correct_option=correct_option if kind == Question.Kind.CHOICE else None,
        accepted=accepted if kind == Question.Kind.FILL else [],
        marks=marks,
    )


@transaction.atomic
def create_paper(
    title: str,
    questions: Sequence[Question],
    by: object,
    *,
    school: School | None = None,
    minutes: int = 60,
    pass_percent: int = 40,
    national: bool = False,
) -> Paper:
    if not questions:
        raise EducationError(_("A paper needs at least one question."), "questions")
    paper = Paper.objects.create(
        school=school,
        title=normalise_text(title),
        minutes=minutes,
        pass_percent=pass_percent,
        national=national,
        shuffle=national,
    )
    items = PaperQuestion.objects.bulk_create(
        PaperQuestion(paper=paper, question=q, position=i + 1) for i, q in enumerate(questions)
    )
    changed(PaperQuestion, [item.pk for item in items])
    audit.record(by, "education.paper_create", paper, summary=f"{len(questions)} questions")
    return paper


@transaction.atomic
def open_sitting(
    paper: Paper, title: str, opens_at: datetime, closes_at: datetime, by: object, slot: str = ""
) -> Sitting:
    if closes_at <= opens_at:
        raise EducationError(_("A sitting must close after it opens."), "closes_at")
    sitting = Sitting.objects.create(
        paper=paper, title=normalise_text(title), slot=slot, opens_at=opens_at, closes_at=closes_at
    )
    audit.record(by, "education.sitting_open", sitting, summary=slot)
    return sitting
