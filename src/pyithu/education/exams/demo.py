"""Demo: a recognised school, a question bank and two sittings (one open to sit, one closed
with its papers handed in and one short answer left to mark, so its results can be released
today), a recommender who signs in with vouchers, an admitted application and a certificate."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pyithu.accounts.models import User
from pyithu.education.classes import demo as demo_classes
from pyithu.education.exams.services import exams, papers
from pyithu.education.models import Answer, Paper, Question, School, Sitting
from pyithu.education.schools import demo as demo_registry

DEMO_SITTING = "ပဉ္စမတန်း လယ်ဝက်စာမေးပွဲ (နမူနာ)"
DEMO_CLOSED_SITTING = "ပဉ္စမတန်း စာမေးပွဲ ပြီးဆုံး (နမူနာ)"
DEMO_RECOMMENDER = "recommender-khin"


def load() -> list[str]:
    officer = User.objects.filter(handle="examofficer-nilar").first()
    school, _ = School.objects.get_or_create(
        slug="spring-online",
        defaults={
            "name_en": "Spring Online Basic Education School",
            "name_my": "နွေဦး အွန်လိုင်း အခြေခံပညာကျောင်း",
            "languages": "my, en",
            "curriculum": "အမျိုးသားညီညွတ်ရေးအစိုးရ ပညာရေးဝန်ကြီးဌာန",
            "status": School.Status.RECOGNISED,
        },
    )
    if Sitting.objects.filter(title=DEMO_SITTING).exists():
        return [
            "Education: demo sitting exists; codes were printed when it was made.",
            *demo_classes.load(),
            *demo_registry.load(),
        ]
    paper = _paper(school, officer)
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, DEMO_SITTING, now - timedelta(minutes=5), now + timedelta(days=7), officer
    )
    codes = exams.register_candidates(sitting, school, 3, officer)
    lines = ["Education: exam at /education/exam/ (open for a week, 30 minutes); codes:"]
    lines += [f"  candidate {n}: {code}" for n, code in codes]
    lines += _closed_sitting(paper, school, officer)
    lines += _admissions_and_certificates(school)
    return lines + demo_classes.load() + demo_registry.load()


def _paper(school: School, officer: User | None) -> Paper:
    bank = papers.create_bank("ပဉ္စမတန်း အထွေထွေ ဗဟုသုတ", officer, school=school)
    questions = [
        papers.add_question(
            bank,
            Question.Kind.CHOICE,
            "မန္တလေးမြို့ဘေးမှ စီးဆင်းသော မြစ်မှာ အဘယ်မြစ်နည်း။",
            options=["ဧရာဝတီ", "သံလွင်", "ချင်းတွင်း", "စစ်တောင်း"],
            correct_option=0,
        ),
        papers.add_question(
            bank,
            Question.Kind.FILL,
            "ကျွန်ုပ်တို့၏ နိုင်ငံမှာ ____ ဖြစ်သည်။",
            accepted=["မြန်မာ", "Myanmar"],
        ),
        papers.add_question(
            bank,
            Question.Kind.SHORT,
            "ကျွန်ုပ်တို့ အဘယ်ကြောင့် မဲပေးကြသနည်း။ အတိုချုပ် ရှင်းပြပါ။",
            marks=4,
        ),
    ]
    return papers.create_paper(
        "ပဉ္စမတန်း စာမေးပွဲ", questions, officer, school=school, minutes=30, pass_percent=50
    )


def _closed_sitting(paper: Paper, school: School, officer: User | None) -> list[str]:
    """A sitting already sat and closed: two short answers marked, one left for a teacher,
    after which an exam officer can release the results at once."""
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, DEMO_CLOSED_SITTING, now - timedelta(hours=2), now + timedelta(hours=1), officer
    )
    codes = exams.register_candidates(sitting, school, 3, officer)
    answers = {
        Question.Kind.CHOICE: {"choice": 0},
        Question.Kind.FILL: {"text": "မြန်မာ"},
        Question.Kind.SHORT: {"text": "ကိုယ်စားလှယ်ကို ကိုယ်တိုင် ရွေးချယ်ရန် မဲပေးသည်။"},
    }
    for number, code in codes:
        token = f"demo-device-{number}"
        attempt = exams.start_attempt(code, token, now=now - timedelta(minutes=90))
        for position, item in enumerate(paper.items.select_related("question"), start=1):
            exams.record_answer(
                attempt.pk,
                token,
                item.question,
                next_position=position + 1,
                now=now - timedelta(minutes=80),
                **answers[item.question.kind],
            )
        attempt.refresh_from_db()
        exams.hand_in(attempt, token, now=now - timedelta(minutes=70))
    unmarked = Answer.objects.filter(
        attempt__candidate__sitting=sitting, marks__isnull=True
    ).order_by("attempt__candidate__number")
    for answer in list(unmarked)[:-1]:
        exams.mark_answer(answer, 3, officer)
    Sitting.objects.filter(pk=sitting.pk).update(closes_at=now - timedelta(minutes=60))
    lines = [
        "  closed sitting (mark the last short answer at /education/staff/marking/, then",
        "  release at /education/staff/sittings/; results and certificates by these codes):",
    ]
    return lines + [f"    number {n}: {code}" for n, code in codes]


def _admissions_and_certificates(school: School) -> list[str]:
    """Made directly (the demo has no signed-in officer to act): the recommender who signs in
    as recommender-khin, with two vouchers, one spent on an admitted application, and one
    certificate."""
    from pyithu.education.admissions.services.admissions import application_digest, voucher_digest
    from pyithu.education.certificates import services as certificates
    from pyithu.education.models import Application, Recommender, Voucher

    recommender = Recommender.objects.create(
        kind=Recommender.Kind.TEACHER,
        name="ဒေါ်ခင် (နမူနာ)",
        user=User.objects.filter(handle=DEMO_RECOMMENDER).first(),
    )
    free, spent = exams.new_exam_code(), exams.new_exam_code()
    Voucher.objects.create(recommender=recommender, code_digest=voucher_digest(free))
    used = Voucher.objects.create(
        recommender=recommender, code_digest=voucher_digest(spent), spent_at=timezone.now()
    )
    app_code = exams.new_exam_code()
    Application.objects.create(
        pseudonym="Padauk",
        school=school,
        programme="ဆဋ္ဌမတန်း",
        voucher=used,
        code_digest=application_digest(app_code),
        status=Application.Status.ADMITTED,
        decided_at=timezone.now(),
    )
    cert = certificates.issue(
        holder_pseudonym="C-DEMO0001",
        title="ပဉ္စမတန်း နောက်ဆုံးစာမေးပွဲ (နမူနာ)",
        school=school,
        result="pass",
    )
    return [
        f"Education: apply at /education/admissions/apply/ with voucher {free}",
        f"  recommender {DEMO_RECOMMENDER} issues more at /education/staff/recommenders/",
        f"  admitted application (status at /education/admissions/status/): {app_code}",
        f"  certificate: /education/certificates/{cert.pk}/",
    ]
