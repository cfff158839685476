"""An upgrade keeps the data: a database at the previous release's migrations, filled the way
that release wrote it, migrates forward and still reads the same (docs/OPERATIONS.md, Upgrades).

``PREVIOUS_RELEASE`` is the migration state of the last release sites run (the last migration
of each app that has changed since); move it forward when a release is cut.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pyithu.accounts.models import User
from pyithu.core import sealing
from pyithu.education.models import Certificate
from pyithu.health.models import Question

PREVIOUS_RELEASE = [
    ("accounts", "0002_pharmacist_role"),
    ("education", "0005_reason_revoked_townships"),
    ("finance", "0003_sealed_notes_and_named_donors"),
    ("health", "0002_seed"),
]

QUESTION = "ကလေး ဖျားနေတယ်၊ ဘာလုပ်ရမလဲ"
SIGNED = "PYITHU-CERT1.eyJuYW1lIjoiTWEgVGhpZGEifQ.sig"


def _raw(table: str, column: str, pk: Any) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        key = Question._meta.pk.get_db_prep_value(pk, connection)  # every Record: a UUID
        cursor.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE id = %s", [key])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_migrates_and_keeps_its_data() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS_RELEASE)
    try:
        old = MigrationExecutor(connection).loader.project_state(PREVIOUS_RELEASE).apps
        # Written as the previous release wrote it: questions and certificates in plain text.
        user = old.get_model("accounts", "User").objects.create(
            handle="since-last-year", password="!", display_name="Ma Thida"
        )
        question = old.get_model("health", "Question").objects.create(
            question=QUESTION, answer="Give water; come to the clinic.", language="my"
        )
        certificate = old.get_model("education", "Certificate").objects.create(
            holder_pseudonym="c-41",
            title="Grade 11",
            issued_on=date(2026, 3, 1),
            result="pass",
            signed_text=SIGNED,
        )
        assert _raw("health_question", "question", question.pk) == QUESTION
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert User.objects.get(pk=user.pk).display_name == "Ma Thida"
    upgraded = Question.objects.get(pk=question.pk)
    assert (upgraded.question, upgraded.answer) == (QUESTION, "Give water; come to the clinic.")
    assert Certificate.objects.get(pk=certificate.pk).signed_text == SIGNED
    # And the upgrade sealed what the new release seals.
    assert sealing.is_sealed_text(_raw("health_question", "question", question.pk))
    assert sealing.is_sealed_text(_raw("education_certificate", "signed_text", certificate.pk))
    out = io.StringIO()
    call_command("ledger", "check", stdout=out)
    assert "ledger check passed" in out.getvalue()
