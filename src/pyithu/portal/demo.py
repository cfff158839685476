"""Demo data: the seed's trust survey with answers reproducing its Table 1, feedback threads,
and internet shutdowns reproducing its appendix 4 (Myanmar Internet Project, 2024)."""

from __future__ import annotations

from datetime import date, timedelta

from pyithu.geo.models import StateRegion, Township
from pyithu.portal.models import Feedback, Ministry, Option, Service, Shutdown, Survey
from pyithu.portal.services import feedback as feedback_services
from pyithu.portal.services.surveys import AnswerValue, publish_survey, submit_response
from pyithu.portal.services.trust_survey import create_trust_survey

TRUST_SLUG = "trust-in-digital-services"
USERS, NON_USERS = 35, 70  # the percentages of Table 1 are multiples of 1/35 and 1/70

# Table 1, as answer counts: (question key, option position -> count). Positions follow
# trust_survey.QUESTIONS. The paper gives the leading shares only; the rest of each question
# goes to the option it leaves unnamed (low trust, high access, another reason).
TABLE_1: dict[str, dict[int, int]] = {
    "efficiency": {1: 23, 2: 8, 3: 4},  # 65.7 % high, 22.9 % moderate
    "security": {1: 22, 2: 9, 3: 4},  # 62.9 % high, 25.7 % moderate
    "access": {2: 13, 3: 13, 1: 9},  # 37.1 % moderate, 37.1 % low
    "general_trust": {2: 16, 1: 12, 4: 3, 3: 4},  # 45.7 % moderate, 34.3 % high, 8.6 % none
    "non_use": {1: 33, 2: 31, 3: 3, 4: 3},  # 47.1 % security, 44.3 % internet, 4.3 % quality
}
AGE_BANDS = {2: 40, 3: 38, 4: 20, 5: 5, 1: 2}  # 105 people, no figure in the paper
TOWNSHIP_STATE = "MMR013"  # Yangon: 15 answers in each of four townships
COMMENTS = [
    "Please make the app work on old phones.",
    "ဆေးခန်းကို အင်တာနက်မရှိဘဲ ဆက်သွယ်နိုင်ရင် ကောင်းပါမယ်။",
    "I worry about my phone being checked at gates.",
]

# Appendix 4: township shutdowns by state/region, MIMU P-code -> count.
APPENDIX_4: dict[str, tuple[str, int]] = {
    "MMR005": ("Sagaing", 89),
    "MMR001": ("Kachin", 34),
    "MMR004": ("Chin", 26),
    "MMR002": ("Kayah (Karen)", 21),
    "MMR009": ("Magway", 23),
    "MMR012": ("Rakhine", 20),
    "MMR011": ("Mon", 10),
    "MMR003": ("Karen", 11),
    "MMR010": ("Mandalay", 15),
    "MMR006": ("Thanintharyi", 9),
    "MMR014": ("Shan", 30),
    "MMR007": ("Bago", 13),
    "MMR013": ("Yangon", 6),
}
APPENDIX_SOURCE = "Myanmar Internet Project, 2024 (seed appendix 4; dates illustrative)"


def load() -> list[str]:
    lines = [_trust_survey(), _feedback(), _shutdowns()]
    return [line for line in lines if line]


def _spread(counts: dict[int, int]) -> list[int]:
    return [position for position, n in counts.items() for _ in range(n)]


def _trust_survey() -> str:
    if Survey.objects.filter(slug=TRUST_SLUG).exists():
        return ""
    ministry = Ministry.objects.get(slug="communications")
    survey = create_trust_survey(ministry, TRUST_SLUG)
    publish_survey(survey, None)
    options = {
        (o.question.key, o.position): o for o in Option.objects.filter(question__survey=survey)
    }
    columns = {key: _spread(counts) for key, counts in TABLE_1.items()}
    ages = _spread(AGE_BANDS)
    townships = list(Township.objects.active().filter(state__pcode=TOWNSHIP_STATE)[:4])
    for person in range(USERS + NON_USERS):
        used = person < USERS
        answers: dict[str, AnswerValue] = {"used": options["used", 1 if used else 2]}
        keys = ("efficiency", "security", "access", "general_trust") if used else ("non_use",)
        index = person if used else person - USERS
        for key in keys:
            answers[key] = options[key, columns[key][index]]
        answers["age_band"] = options["age_band", ages[person]]
        if townships and person < 60:
            answers["township"] = townships[person % len(townships)]
        if person < len(COMMENTS):
            answers["comments"] = COMMENTS[person]
        submit_response(survey, answers)
    return f"Trust survey /surveys/{TRUST_SLUG}/ with {USERS + NON_USERS} answers (Table 1)."


def _feedback() -> str:
    if Feedback.objects.exists():
        return ""
    threads = [
        ("tele-kyan-mar", Feedback.Kind.PRAISE, "The doctor answered within an hour. Thank you."),
        ("tele-kyan-mar", Feedback.Kind.COMPLAINT, "ဆေးစာ ဖတ်မရပါ။ ဖောင့် ပြဿနာ ဖြစ်နိုင်ပါတယ်။"),
        (None, Feedback.Kind.SUGGESTION, "Please add lessons that work without internet."),
    ]
    codes = []
    for slug, kind, body in threads:
        service = Service.objects.filter(slug=slug).first() if slug else None
        service = service or Service.objects.filter(is_active=True).first()
        if service is None:
            return ""
        _thread, code = feedback_services.send_feedback(service, kind, body)
        codes.append(code)
    return f"{len(codes)} feedback threads; follow one at /feedback/follow/ with {codes[0]}."


def _shutdowns() -> str:
    if Shutdown.objects.filter(source=APPENDIX_SOURCE).exists():
        return ""
    rows = []
    states = {s.pcode: s for s in StateRegion.objects.filter(pcode__in=APPENDIX_4)}
    for pcode, (_name, count) in APPENDIX_4.items():
        townships = list(Township.objects.filter(state=states[pcode]).order_by("pcode"))
        for i in range(count):
            start = date(2024, 1, 1) + timedelta(days=(i // len(townships)) * 45 + i % 28)
            end = None if i % 3 == 0 else start + timedelta(days=7 + i % 60)
            rows.append(
                Shutdown(
                    township=townships[i % len(townships)],
                    start=start,
                    end=end,
                    source=APPENDIX_SOURCE,
                )
            )
    Shutdown.objects.bulk_create(rows)
    return f"{len(rows)} township shutdowns by region (appendix 4); see /reach/."
