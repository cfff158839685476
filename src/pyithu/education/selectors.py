"""Shared reads: a candidate's own order of questions and options, access checks, integrity."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import sealing
from pyithu.education.models import (
    Answer,
    Attempt,
    IntegrityEvent,
    PaperQuestion,
    Question,
    Sitting,
)

MINISTRY = "education"


def _shuffle_key(attempt_id: UUID, purpose: str) -> bytes:
    """A per-attempt key from the digest key: the order cannot be predicted without it."""
    return bytes.fromhex(sealing.digest(purpose, str(attempt_id)))


def _rank(key: bytes, value: str) -> bytes:
    return hashlib.blake2b(value.encode(), key=key, digest_size=8).digest()


def question_order(attempt: Attempt) -> list[UUID]:
    """The question ids in the order this candidate sees them (stable across resumes)."""
    paper = attempt.candidate.sitting.paper
    items = list(
        PaperQuestion.objects.filter(paper_id=paper.pk)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    if not paper.shuffle:
        return items
    key = _shuffle_key(attempt.pk, "exam-order")
    return sorted(items, key=lambda qid: _rank(key, str(qid)))


def order_of(attempt_id: UUID, shuffle: bool, paper_order: list[UUID]) -> list[UUID]:
    """``question_order`` from the paper's questions in paper order (no attempt read)."""
    if not shuffle:
        return list(paper_order)
    key = _shuffle_key(attempt_id, "exam-order")
    return sorted(paper_order, key=lambda qid: _rank(key, str(qid)))


def option_order(attempt: Attempt, question: Question) -> list[int]:
    """Indices of the options in the order this candidate sees them."""
    return options_in_order(attempt.pk, attempt.candidate.sitting.paper.shuffle, question)


def options_in_order(attempt_id: UUID, shuffle: bool, question: Question) -> list[int]:
    """``option_order`` from what the device's session holds (no attempt read)."""
    indices = list(range(len(question.options)))
    if not shuffle:
        return indices
    key = _shuffle_key(attempt_id, "exam-option")
    return sorted(indices, key=lambda i: _rank(key, f"{question.pk}:{i}"))


def answered_ids(attempt: Attempt) -> set[UUID]:
    return set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True))


def can_set_exams(user: Any, school: Any) -> bool:
    """Exam officers write and run national and school exams; a school's admins and teachers
    its own (``school`` None: a national bank, paper or sitting)."""
    if has_role(user, Role.EXAM_OFFICER, MINISTRY):
        return True
    return school is not None and any(
        has_role(user, role, MINISTRY, unit=school.slug)
        for role in (Role.SCHOOL_ADMIN, Role.TEACHER)
    )


def can_manage_sitting(user: Any, sitting: Sitting) -> bool:
    return can_set_exams(user, sitting.paper.school)


def is_education_staff(user: Any) -> bool:
    return any(
        has_role(user, role, MINISTRY)
        for role in (Role.EXAM_OFFICER, Role.SCHOOL_ADMIN, Role.TEACHER)
    )


@dataclass(frozen=True)
class Integrity:
    identical: list[list[int]]  # groups of candidate numbers with the same answers
    too_fast: list[int]  # candidate numbers who answered faster than anyone can read
    events: dict[str, int]  # refusals by kind


MIN_IDENTICAL_ANSWERS = 10
MIN_SECONDS_PER_ANSWER = 3
MIN_SHARED_WRONG = 3


def integrity_signals(sitting: Sitting) -> Integrity:
    """Signals for officers: identical answer sequences and impossible timings.

    Streams the sitting's answers once (ordered by attempt), so it stays flat in memory.
    """
    rows = (
        Answer.objects.filter(attempt__candidate__sitting=sitting)
        .order_by("attempt_id", "question_id")
        .values_list("attempt_id", "question_id", "choice", "marks", "saved_at")
        .iterator(chunk_size=5000)
    )
    info = dict(
        Attempt.objects.filter(candidate__sitting=sitting).values_list("pk", "candidate__number")
    )
    starts = dict(
        Attempt.objects.filter(candidate__sitting=sitting).values_list("pk", "started_at")
    )
    by_sequence: dict[tuple, list[int]] = defaultdict(list)
    too_fast: list[int] = []

    def close(attempt_id: UUID, seq: list[tuple], last: Any) -> None:
        # Right answers agree by nature; the same wrong answers in the same places do not.
        choices = tuple((q, c) for q, c, _m in seq if c is not None)
        wrong = sum(1 for _q, c, m in seq if c is not None and m == 0)
        if len(choices) >= MIN_IDENTICAL_ANSWERS and wrong >= MIN_SHARED_WRONG:
            by_sequence[choices].append(info[attempt_id])
        seconds = (last - starts[attempt_id]).total_seconds()
        if len(seq) >= MIN_IDENTICAL_ANSWERS and seconds < MIN_SECONDS_PER_ANSWER * len(seq):
            too_fast.append(info[attempt_id])

    current, seq, last = None, [], None
    for attempt_id, question_id, choice, _marks, saved_at in rows:
        if attempt_id != current:
            if current is not None:
                close(current, seq, last)
            current, seq, last = attempt_id, [], saved_at
        seq.append((question_id, choice, _marks))
        last = max(last, saved_at)
    if current is not None:
        close(current, seq, last)
    events: dict[str, int] = defaultdict(int)
    for kind in IntegrityEvent.objects.filter(sitting=sitting).values_list("kind", flat=True):
        events[kind] += 1
    identical = sorted(sorted(g) for g in by_sequence.values() if len(g) > 1)
    return Integrity(identical, sorted(too_fast), dict(events))
