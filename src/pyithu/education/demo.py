"""Demo: a recognised school, a question bank, a paper and an open sitting with codes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education.models import Question, School, Sitting
from pyithu.education.services import papers
from pyithu.education.services.exams import register_candidates

DEMO_SITTING = "Grade 5 mid-term (demo)"


def load() -> list[str]:
    officer = User.objects.filter(handle="examofficer-nilar").first()
    school, _ = School.objects.get_or_create(
        slug="spring-online",
        defaults={
            "name_en": "Spring Online Basic Education School",
            "name_my": "နွေဦး အွန်လိုင်း အခြေခံပညာကျောင်း",
            "languages": "my, en",
            "curriculum": "NUG Ministry of Education",
            "status": School.Status.RECOGNISED,
        },
    )
    if Sitting.objects.filter(title=DEMO_SITTING).exists():
        return ["Education: demo sitting exists; codes were printed when it was made."]
    bank = papers.create_bank("Grade 5 general knowledge", officer, school=school)
    questions = [
        papers.add_question(
            bank,
            Question.Kind.CHOICE,
            "Which river flows through Mandalay?",
            options=["Ayeyarwady", "Thanlwin", "Chindwin", "Sittaung"],
            correct_option=0,
        ),
        papers.add_question(
            bank, Question.Kind.FILL, "Our country is ____.", accepted=["Myanmar", "မြန်မာ"]
        ),
        papers.add_question(bank, Question.Kind.SHORT, "Why do we vote? Explain briefly.", marks=4),
    ]
    paper = papers.create_paper(
        "Grade 5 mid-term", questions, officer, school=school, minutes=30, pass_percent=50
    )
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, DEMO_SITTING, now - timedelta(minutes=5), now + timedelta(days=7), officer
    )
    codes = register_candidates(sitting, school, 3, officer)
    lines = [f"Education: exam at /education/exam/ ({DEMO_SITTING}, 30 minutes); codes:"]
    lines += [f"  candidate {n}: {code}" for n, code in codes]
    return lines
