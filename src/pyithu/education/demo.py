"""Demo: a recognised school, a question bank, a paper and an open sitting with codes,
a recommender with a voucher, an admitted application and a certificate."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education import demo_classes, demo_registry
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
        return [
            "Education: demo sitting exists; codes were printed when it was made.",
            *demo_classes.load(),
            *demo_registry.load(),
        ]
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
    lines += _admissions_and_certificates(school) + demo_classes.load()
    return lines + demo_registry.load()


def _admissions_and_certificates(school: School) -> list[str]:
    """Made directly (the demo has no signed-in officer to act): one recommender with two
    vouchers, one spent on an admitted application, and one certificate."""
    from pyithu.education.models import Application, Recommender, Voucher
    from pyithu.education.services import certificates
    from pyithu.education.services.admissions import application_digest, voucher_digest
    from pyithu.education.services.exams import new_exam_code

    recommender = Recommender.objects.create(
        kind=Recommender.Kind.TEACHER, name="Daw Khin (CDM teacher, demo)"
    )
    free, spent = new_exam_code(), new_exam_code()
    Voucher.objects.create(recommender=recommender, code_digest=voucher_digest(free))
    used = Voucher.objects.create(
        recommender=recommender, code_digest=voucher_digest(spent), spent_at=timezone.now()
    )
    app_code = new_exam_code()
    Application.objects.create(
        pseudonym="Padauk",
        school=school,
        programme="Grade 6",
        voucher=used,
        code_digest=application_digest(app_code),
        status=Application.Status.ADMITTED,
        decided_at=timezone.now(),
    )
    cert = certificates.issue(
        holder_pseudonym="C-DEMO0001", title="Grade 5 final (demo)", school=school, result="pass"
    )
    return [
        f"Education: apply at /education/admissions/apply/ with voucher {free}",
        f"  admitted application (status at /education/admissions/status/): {app_code}",
        f"  certificate: /education/certificates/{cert.pk}/",
    ]
