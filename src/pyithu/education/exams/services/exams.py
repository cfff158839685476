"""Exams: codes, attempts, saving answers the moment they are given, marking and results.

The hot path (``start_attempt``, ``save_answer``) is a handful of indexed queries in one
transaction that commits before the response is sent, so an acknowledged answer survives a
killed server. See docs/decisions/0030-exam-answers-saved-at-once.md.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.core import audit, sealing
from pyithu.core.changes import changed
from pyithu.core.text import normalise_text
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    Answer,
    Attempt,
    Candidate,
    IntegrityEvent,
    PaperQuestion,
    Question,
    School,
    Sitting,
)
from pyithu.geo.models import Township

log = logging.getLogger("pyithu.education.exams")

# Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits
# A device that has been silent this long may be replaced by another (a dead phone).
TAKEOVER_SECONDS = 90
# A save that left the phone just before the deadline is still accepted this long after.
GRACE_SECONDS = 10
MAX_ANSWER_CHARS = 2000
MAX_CANDIDATES_PER_REQUEST = 2000


def new_exam_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    text = normalise_text(code or "").upper().translate(str.maketrans("OIL", "011"))
    return "".join(c for c in text if c in CODE_ALPHABET)[:32]


def code_digest(code: str) -> str:
    return sealing.digest("exam-code", normalise_code(code))


def _binding(token: str) -> str:
    return sealing.digest("exam-binding", token)


def _refuse(kind: str, attempt: Attempt, message: str) -> EducationError:
    """Log a refused act for the officers (a row and a log line) and return the error."""
    IntegrityEvent.objects.create(
        sitting_id=attempt.candidate.sitting_id, attempt=attempt, kind=kind
    )
    log.warning("exam refusal %s attempt=%s", kind, attempt.pk)
    return EducationError(message)


# --- registration -----------------------------------------------------------------------


@transaction.atomic
def register_candidates(
    sitting: Sitting, school: School, count: int, by: object, township: Township | None = None
) -> list[tuple[int, str]]:
    """Give a school ``count`` candidate places; returns (number, code), shown once only.
    ``township`` (optional) places the batch for the reach figures and nothing else."""
    if not school.is_recognised:
        raise EducationError(_("Only a recognised school can register candidates."))
    if not 1 <= count <= MAX_CANDIDATES_PER_REQUEST:
        raise EducationError(
            _("Register between 1 and %(n)d candidates at a time.")
            % {"n": MAX_CANDIDATES_PER_REQUEST},
            field="count",
        )
    Sitting.objects.select_for_update().filter(pk=sitting.pk).first()  # one registrar at a time
    last = Candidate.objects.filter(sitting=sitting).aggregate(n=Max("number"))["n"] or 0
    issued = [(last + i + 1, new_exam_code()) for i in range(count)]
    candidates = Candidate.objects.bulk_create(
        Candidate(
            sitting=sitting,
            school=school,
            number=n,
            code_digest=code_digest(code),
            township=township,
        )
        for n, code in issued
    )
    changed(Candidate, [c.pk for c in candidates])
    audit.record(by, "education.candidates_register", sitting, summary=f"{count} for {school.slug}")
    return issued


# --- sitting the paper --------------------------------------------------------------------


def start_attempt(code: str, token: str, now: datetime | None = None) -> Attempt:
    """Log in with an exam code on this device (``token`` lives in its session).

    The first login starts the clock; later logins resume. A code held by another device
    that was active in the last ``TAKEOVER_SECONDS`` is refused.
    """
    now = now or timezone.now()
    candidate = (
        Candidate.objects.select_related("sitting__paper", "attempt")
        .filter(code_digest=code_digest(code))
        .first()
    )
    if candidate is None:
        log.warning("exam refusal bad_code")
        raise EducationError(_("This exam code is not valid. Check it and try again."), "code")
    sitting = candidate.sitting
    if now < sitting.opens_at:
        raise EducationError(_("This exam has not opened yet."), "code")
    attempt = getattr(candidate, "attempt", None)
    if attempt is None:
        if now >= sitting.closes_at:
            raise EducationError(_("This exam has closed."), "code")
        deadline = min(now + timedelta(minutes=sitting.paper.minutes), sitting.closes_at)
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    candidate=candidate,
                    started_at=now,
                    deadline=deadline,
                    binding=_binding(token),
                    last_seen_at=now,
                )
        except IntegrityError:  # another device started it at the same moment
            attempt = Attempt.objects.get(candidate=candidate)
    attempt.candidate = candidate
    return _resume(attempt, token, now)


def _resume(attempt: Attempt, token: str, now: datetime) -> Attempt:
    if attempt.submitted_at is not None:
        raise EducationError(_("This paper has been handed in."), "code")
    if now > attempt.deadline + timedelta(seconds=GRACE_SECONDS):
        raise EducationError(_("The time for this paper is up."), "code")
    binding = _binding(token)
    if attempt.binding == binding:
        return attempt
    if attempt.last_seen_at > now - timedelta(seconds=TAKEOVER_SECONDS):
        raise _refuse(
            IntegrityEvent.Kind.TWO_PLACES,
            attempt,
            _(
                "This exam code is open on another device. If your phone died, wait two "
                "minutes and log in again; your answers are kept."
            ),
        )
    taken = Attempt.objects.filter(pk=attempt.pk, binding=attempt.binding).update(
        binding=binding, last_seen_at=now
    )
    if not taken:  # a third device won the race
        raise _refuse(
            IntegrityEvent.Kind.TWO_PLACES,
            attempt,
            _("This exam code is open on another device."),
        )
    changed(Attempt, [attempt.pk])
    attempt.binding, attempt.last_seen_at = binding, now
    return attempt


def current_attempt(attempt_id: str | None, token: str | None) -> Attempt | None:
    """The attempt this device holds, or None when the session has none."""
    if not attempt_id or not token:
        return None
    try:
        UUID(str(attempt_id))
    except ValueError:
        return None
    return Attempt.objects.select_related("candidate__sitting__paper").filter(pk=attempt_id).first()


def fold_answer(text: str) -> str:
    """How written answers are compared: normalised (Zawgyi converted), spaces collapsed,
    case-folded."""
    return " ".join(normalise_text(text or "").split()).casefold()


def auto_mark(question: Question, choice: int | None, text: str) -> int | None:
    if question.kind == Question.Kind.CHOICE:
        return question.marks if choice is not None and choice == question.correct_option else 0
    if question.kind == Question.Kind.FILL:
        accepted = {fold_answer(v) for v in question.accepted}
        return question.marks if text and fold_answer(text) in accepted else 0
    return None  # a teacher marks short answers


@dataclass(frozen=True)
class Saved:
    answer_question_id: UUID
    next_position: int


def save_answer(
    attempt: Attempt,
    token: str,
    item: PaperQuestion | str,
    *,
    choice: int | None = None,
    text: str = "",
    next_position: int = 1,
    now: datetime | None = None,
) -> Saved:
    """Save (insert or replace) one answer; committed before this returns.

    ``item`` is the question's place in the paper (from ``paper_item``) or a question id.
    """
    if isinstance(item, str):
        item = paper_item(attempt, item)  # type: ignore[assignment]
    if item is None or item.paper_id != attempt.candidate.sitting.paper_id:
        raise refuse_foreign_question(attempt)
    return record_answer(
        attempt.pk,
        token,
        item.question,
        choice=choice,
        text=text,
        next_position=next_position,
        now=now,
    )


def record_answer(
    attempt_id: UUID | str,
    token: str,
    question: Question,
    *,
    choice: int | None = None,
    text: str = "",
    next_position: int = 1,
    now: datetime | None = None,
) -> Saved:
    """The hot path: save one answer to a question already known to be in the paper.

    Two statements in one transaction, committed before this returns: a conditional
    ``UPDATE`` of the attempt that holds only for the bound device, before hand-in and
    before the deadline (plus grace), which also locks the attempt row against a racing
    hand-in or takeover; then the answer's upsert. The attempt is read only to explain a
    refusal.
    """
    now = now or timezone.now()
    choice, text = _clean(question, choice, text)
    next_position = max(1, min(next_position, 1000))
    with transaction.atomic():
        held = Attempt.objects.filter(
            pk=attempt_id,
            binding=_binding(token or ""),
            submitted_at__isnull=True,
            deadline__gte=now - timedelta(seconds=GRACE_SECONDS),
        ).update(last_seen_at=now, position=next_position)
        if held:
            _upsert(attempt_id, question, choice, text, now)
    if not held:
        raise _save_refusal(attempt_id, token, now)
    return Saved(question.pk, next_position)


def _save_refusal(attempt_id: UUID | str, token: str, now: datetime) -> EducationError:
    """Why the conditional update matched nothing, logged as the old checks did."""
    attempt = Attempt.objects.select_related("candidate").filter(pk=attempt_id).first()
    if attempt is None:
        return EducationError(_("No exam is open in this browser. Log in with your exam code."))
    if attempt.binding != _binding(token or ""):
        return _refuse(
            IntegrityEvent.Kind.TWO_PLACES,
            attempt,
            _("This exam is now open on another device, so this one can no longer save."),
        )
    if attempt.submitted_at is not None:
        return EducationError(_("This paper has been handed in; answers can no longer change."))
    if now > attempt.deadline + timedelta(seconds=GRACE_SECONDS):
        return _refuse(
            IntegrityEvent.Kind.LATE,
            attempt,
            _("The time for this paper is up. Answers saved before the end are kept."),
        )
    return EducationError(_("The answer was not saved. Please send it again."))


def _upsert(
    attempt_id: UUID | str, question: Question, choice: int | None, text: str, now: datetime
) -> None:
    Answer.objects.bulk_create(
        [
            Answer(
                attempt_id=attempt_id,
                question_id=question.pk,
                choice=choice,
                text=text,
                marks=auto_mark(question, choice, text),
                saved_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["choice", "text", "marks", "saved_at", "updated_at"],
    )


def refuse_foreign_question(attempt: Attempt) -> EducationError:
    return _refuse(
        IntegrityEvent.Kind.FOREIGN, attempt, _("This question is not part of your paper.")
    )


def paper_item(attempt: Attempt, question_id: str) -> PaperQuestion | None:
    """The question as it stands in this attempt's paper, or None when it is not in it."""
    try:
        UUID(str(question_id))
    except ValueError:
        return None
    return (
        PaperQuestion.objects.select_related("question")
        .filter(paper_id=attempt.candidate.sitting.paper_id, question_id=question_id)
        .first()
    )


QUESTION_FIELDS = ("kind", "prompt", "options", "correct_option", "accepted", "marks")


def question_in_paper(paper_id: UUID | str, question_id: str) -> Question | None:
    """The question if it is in the paper, or None: one indexed lookup, no ordering, no
    model for the paper item (this runs on every save)."""
    try:
        question_id = str(UUID(str(question_id)))
    except ValueError:
        return None
    rows = PaperQuestion.objects.filter(paper_id=paper_id, question_id=question_id).values_list(
        *(f"question__{f}" for f in QUESTION_FIELDS)
    )
    row = next(iter(rows.order_by()[:1]), None)  # unique (paper, question): no ORDER BY
    if row is None:
        return None
    return Question(pk=UUID(question_id), **dict(zip(QUESTION_FIELDS, row, strict=True)))


def _clean(question: Question, choice: int | None, text: str) -> tuple[int | None, str]:
    if question.kind == Question.Kind.CHOICE:
        if choice is None or not 0 <= choice < len(question.options):
            raise EducationError(_("Choose one of the answers."), "choice")
        return choice, ""
    text = normalise_text(text or "", multiline=question.kind == Question.Kind.SHORT)
    if len(text) > MAX_ANSWER_CHARS:
        raise EducationError(
            _("Keep the answer under %(n)d characters.") % {"n": MAX_ANSWER_CHARS}, "text"
        )
    return None, text


def hand_in(attempt: Attempt, token: str, now: datetime | None = None) -> Attempt:
    now = now or timezone.now()
    if attempt.binding != _binding(token or ""):
        raise _refuse(
            IntegrityEvent.Kind.TWO_PLACES, attempt, _("This exam is open on another device.")
        )
    with transaction.atomic():
        handed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=min(now, attempt.deadline), last_seen_at=now
        )
        if handed:
            # Answers are saved on the hot path without a sync change (0030): they travel
            # from here, final, with the attempt.
            changed(Attempt, [attempt.pk])
            changed(Answer, Answer.objects.filter(attempt=attempt).values_list("pk", flat=True))
    attempt.refresh_from_db()
    return attempt


# --- marking and results ------------------------------------------------------------------


@transaction.atomic
def mark_answer(answer: Answer, marks: int, by: object) -> Answer:
    question = answer.question
    if question.kind != Question.Kind.SHORT:
        raise EducationError(_("Only short answers are marked by hand."), "marks")
    if not 0 <= marks <= question.marks:
        raise EducationError(
            _("Give between 0 and %(n)d marks.") % {"n": question.marks}, field="marks"
        )
    Answer.objects.filter(pk=answer.pk).update(marks=marks, marked_by=by, updated_at=timezone.now())
    changed(Answer, [answer.pk])
    audit.record(by, "education.answer_mark", answer, summary=f"{marks}/{question.marks}")
    answer.refresh_from_db()
    return answer


def paper_total(paper_id: UUID) -> int:
    return (
        PaperQuestion.objects.filter(paper_id=paper_id).aggregate(t=Sum("question__marks"))["t"]
        or 0
    )


def unmarked_count(sitting: Sitting) -> int:
    return Answer.objects.filter(attempt__candidate__sitting=sitting, marks__isnull=True).count()


@transaction.atomic
def release_results(sitting: Sitting, by: object, now: datetime | None = None) -> Sitting:
    now = now or timezone.now()
    if now < sitting.closes_at:
        raise EducationError(_("Results can be released once the sitting has closed."))
    left = unmarked_count(sitting)
    if left:
        raise EducationError(_("%(n)d answers are still waiting to be marked.") % {"n": left})
    Sitting.objects.filter(pk=sitting.pk, results_released_at__isnull=True).update(
        results_released_at=now, released_by=by
    )
    changed(Sitting, [sitting.pk])
    # Answers of attempts that ran out of time without a hand-in travel now, final.
    timed_out = Answer.objects.filter(
        attempt__candidate__sitting=sitting, attempt__submitted_at__isnull=True
    )
    changed(Answer, timed_out.values_list("pk", flat=True))
    audit.record(by, "education.results_release", sitting)
    sitting.refresh_from_db()
    return sitting


@dataclass(frozen=True)
class Result:
    number: int
    sitting: str
    score: int
    total: int
    passed: bool


def result_for_code(code: str) -> Result:
    """A candidate's published result, found by exam code."""
    candidate = (
        Candidate.objects.select_related("sitting__paper")
        .filter(code_digest=code_digest(code))
        .first()
    )
    if candidate is None:
        raise EducationError(_("This exam code is not valid. Check it and try again."), "code")
    sitting = candidate.sitting
    if sitting.results_released_at is None:
        raise EducationError(_("Results for this exam have not been released yet."), "code")
    score = Answer.objects.filter(attempt__candidate=candidate).aggregate(s=Sum("marks"))["s"] or 0
    total = paper_total(sitting.paper_id)
    passed = total > 0 and score * 100 >= sitting.paper.pass_percent * total
    return Result(candidate.number, sitting.title, score, total, passed)
