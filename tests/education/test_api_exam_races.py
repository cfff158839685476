"""Real processes on PostgreSQL against the exam's hot path (``record_answer``): saves racing
each other never duplicate an answer, and saves racing a hand-in stop for good once the
hand-in commits (the conditional update locks the attempt row)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from pyithu.education.exams.services import exams as service
from pyithu.education.exams.services.exams import register_candidates
from pyithu.education.models import Answer, Attempt, Sitting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="real-process concurrency runs on PostgreSQL",
    ),
]

SAVER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
import django
django.setup()
from pyithu.education.models import PaperQuestion
from pyithu.education.errors import EducationError
from pyithu.education.exams.services import exams
attempt_id, paper_id, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids = [str(q) for q in PaperQuestion.objects.filter(paper_id=paper_id)
       .order_by("position").values_list("question_id", flat=True)]
refusals = 0
for i in range(rounds):  # until three refusals in a row (the paper was handed in)
    question = exams.question_in_paper(paper_id, ids[0])
    try:
        exams.record_answer(attempt_id, "tok", question, choice=i % 4, next_position=2)
        print("ok", flush=True)
        refusals = 0
    except EducationError:
        print("refused", flush=True)
        refusals += 1
        if refusals == 3:
            break
"""

HAND_IN = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
import django
django.setup()
from pyithu.education.models import Attempt
from pyithu.education.exams.services import exams
time.sleep(float(sys.argv[2]))
exams.hand_in(Attempt.objects.get(pk=sys.argv[1]), "tok")
print("handed in", flush=True)
"""


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:"
        f"{s.get('PORT') or 5432}/{s['NAME']}"
    )


def _run(scripts: list[tuple[str, list[str]]]) -> list[list[str]]:
    env = {**os.environ, "DATABASE_URL": _database_url()}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *argv], env=env, stdout=subprocess.PIPE, text=True
        )
        for script, argv in scripts
    ]
    return [p.communicate(timeout=180)[0].split("\n")[:-1] for p in procs]


@pytest.fixture
def started(sitting: Sitting, spring_school: Any, nilar: Any, reference_data: Any) -> Attempt:
    code = register_candidates(sitting, spring_school, 1, nilar)[0][1]
    return service.start_attempt(code, "tok")


def test_four_processes_saving_one_answer_leave_exactly_one_row(started: Attempt) -> None:
    paper = str(started.candidate.sitting.paper_id)
    outcomes = _run([(SAVER, [str(started.pk), paper, "25"]) for _ in range(4)])
    assert [line for lines in outcomes for line in lines] == ["ok"] * 100
    assert Answer.objects.filter(attempt=started).count() == 1


def test_no_save_is_acknowledged_after_the_hand_in_commits(started: Attempt) -> None:
    paper = str(started.candidate.sitting.paper_id)
    savers = [(SAVER, [str(started.pk), paper, "100000"]) for _ in range(3)]
    outcomes = _run([*savers, (HAND_IN, [str(started.pk), "2"])])
    assert outcomes[-1] == ["handed in"]
    for lines in outcomes[:-1]:
        # Each saver saves until the hand-in commits, and from then on is only refused
        first_refusal = lines.index("refused")
        assert lines[first_refusal:] == ["refused"] * 3
    started.refresh_from_db()
    assert started.submitted_at is not None
    assert Answer.objects.filter(attempt=started).count() == 1
