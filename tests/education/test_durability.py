"""An acknowledged answer is committed before the response leaves the server."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pyithu.education.models import Question
from tests.education.conftest import question_shown


@pytest.mark.django_db(transaction=True)
def test_a_saved_answer_is_visible_to_another_connection_at_once(
    client_en: Client, codes: list[str], reference_data: None
) -> None:
    # Given Hnin logged in, when her save is acknowledged with the redirect
    client_en.post("/education/exam/", {"code": codes[0]})
    page = client_en.get("/education/exam/q/1/")
    question: Question = question_shown(page)
    data: dict[str, Any] = {"question": str(question.pk)}
    data["choice" if question.kind == Question.Kind.CHOICE else "text"] = (
        "0" if question.kind == Question.Kind.CHOICE else "Myanmar"
    )
    assert client_en.post("/education/exam/q/1/", data).status_code == 302
    # Then a separate database connection (another server process) already sees it
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM education_answer WHERE question_id = %s",
                [question.pk.hex if connection.vendor == "sqlite" else question.pk],
            )
            assert cursor.fetchone()[0] == 1
    finally:
        other.close()
