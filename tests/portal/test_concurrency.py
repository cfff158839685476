"""Real processes on PostgreSQL: one person, or one answer code, racing to answer twice."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from pyithu.accounts.services import create_citizen_account
from pyithu.portal.models import Ministry, Participation, SurveyResponse
from pyithu.portal.services.surveys import issue_answer_codes, publish_survey
from pyithu.portal.services.trust_survey import create_trust_survey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="real-process concurrency runs on PostgreSQL",
    ),
]

WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
import django
django.setup()
from pyithu.accounts.models import User
from pyithu.portal.models import Option, Survey
from pyithu.portal.services.errors import Conflict
from pyithu.portal.services.surveys import submit_response
survey = Survey.objects.get(slug=sys.argv[1])
user = User.objects.filter(handle=sys.argv[2]).first()
yes = Option.objects.get(question__survey=survey, question__key="used", position=1)
try:
    submit_response(survey, {"used": yes}, user=user, code=sys.argv[3])
    print("saved")
except Conflict:
    print("refused")
"""


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:"
        f"{s.get('PORT') or 5432}/{s['NAME']}"
    )


def _race(*argv: str, workers: int = 6) -> list[str]:
    env = {**os.environ, "DATABASE_URL": _database_url()}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, *argv], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(workers)
    ]
    return sorted(p.communicate(timeout=120)[0].strip() for p in procs)


def test_one_account_racing_from_six_processes_answers_once(reference_data: Any) -> None:
    # given a published survey and alice
    survey = create_trust_survey(Ministry.objects.get(slug="communications"), "race")
    publish_survey(survey, None)
    create_citizen_account("alice", "tea leaf salad 1988")
    # when six processes submit her answer at once
    outcomes = _race("race", "alice", "")
    # then exactly one is saved
    assert outcomes == ["refused"] * 5 + ["saved"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Participation.objects.filter(survey=survey).count() == 1


def test_one_answer_code_racing_from_six_processes_is_spent_once(reference_data: Any) -> None:
    survey = create_trust_survey(Ministry.objects.get(slug="communications"), "coded-race")
    survey.guard = "code"
    survey.save()
    publish_survey(survey, None)
    (code,) = issue_answer_codes(survey, 1, None)
    outcomes = _race("coded-race", "nobody", code)
    assert outcomes == ["refused"] * 5 + ["saved"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
