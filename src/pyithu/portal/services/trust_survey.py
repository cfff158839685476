"""The seed paper's trust survey (its Table 1) as a template ministries can start from.

Questions: whether the person has used the NUG's digital services; for users, trust in their
efficiency and security, access, and general trust (Likert scales); for non-users, the main
reason; then an optional age band, township and comment. The published figures are loaded as
demo answers by ``pyithu.portal.demo``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pyithu.core import audit, changes
from pyithu.portal.models import Ministry, Option, Question, Survey

TRUST_SCALE = [
    ("High trust", "အလွန်ယုံကြည်သည်"),
    ("Moderate trust", "အသင့်အတင့် ယုံကြည်သည်"),
    ("Low trust", "အနည်းငယ်သာ ယုံကြည်သည်"),
    ("No trust", "လုံးဝ မယုံကြည်ပါ"),
]
IF_USED = ("Answer if you have used them.", "အသုံးပြုဖူးလျှင် ဖြေပါ။")

# (key, kind, required, (English, Burmese), (hint English, hint Burmese), options)
QUESTIONS: list[tuple[str, str, bool, tuple[str, str], tuple[str, str], list[tuple[str, str]]]] = [
    (
        "used",
        Question.Kind.SINGLE,
        True,
        (
            "Have you used any of the NUG's digital services?",
            "အမျိုးသားညီညွတ်ရေးအစိုးရ (NUG) ၏ ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများကို အသုံးပြုဖူးပါသလား။",
        ),
        ("", ""),
        [("Yes", "အသုံးပြုဖူးပါသည်"), ("No", "အသုံးမပြုဖူးပါ")],
    ),
    (
        "efficiency",
        Question.Kind.LIKERT,
        False,
        (
            "How much do you trust the efficiency of the NUG's digital services?",
            "NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများ၏ ထိရောက်မှုကို မည်မျှ ယုံကြည်ပါသလဲ။",
        ),
        IF_USED,
        TRUST_SCALE,
    ),
    (
        "security",
        Question.Kind.LIKERT,
        False,
        (
            "How much do you trust the NUG's digital services to protect your security?",
            "NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများက သင့်လုံခြုံရေးကို ကာကွယ်ပေးနိုင်သည်ဟု မည်မျှ ယုံကြည်ပါသလဲ။",
        ),
        IF_USED,
        TRUST_SCALE,
    ),
    (
        "access",
        Question.Kind.LIKERT,
        False,
        (
            "How easily can you reach the NUG's digital services?",
            "NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများကို မည်မျှ လွယ်ကူစွာ ရယူနိုင်ပါသလဲ။",
        ),
        IF_USED,
        [
            ("High access", "လွယ်ကူစွာ ရယူနိုင်သည်"),
            ("Moderate access", "အသင့်အတင့် ရယူနိုင်သည်"),
            ("Low access", "ရယူရန် ခက်ခဲသည်"),
        ],
    ),
    (
        "general_trust",
        Question.Kind.LIKERT,
        False,
        (
            "Overall, how much do you trust the NUG's digital services?",
            "ယေဘုယျအားဖြင့် NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများကို မည်မျှ ယုံကြည်ပါသလဲ။",
        ),
        IF_USED,
        TRUST_SCALE,
    ),
    (
        "non_use",
        Question.Kind.SINGLE,
        False,
        (
            "If you have not used them, what is the main reason?",
            "အသုံးမပြုဖူးလျှင် အဓိက အကြောင်းရင်းမှာ အဘယ်နည်း။",
        ),
        ("Answer if you have not used them.", "အသုံးမပြုဖူးလျှင် ဖြေပါ။"),
        [
            ("Security concerns", "လုံခြုံရေး စိုးရိမ်မှု"),
            ("No internet access", "အင်တာနက် မရနိုင်ခြင်း"),
            ("Doubts about service quality", "ဝန်ဆောင်မှု အရည်အသွေးကို သံသယရှိခြင်း"),
            ("Another reason", "အခြား အကြောင်းရင်း"),
        ],
    ),
    (
        "age_band",
        Question.Kind.SINGLE,
        False,
        ("Your age", "သင့်အသက်"),
        ("", ""),
        [
            ("Under 18", "၁၈ နှစ်အောက်"),
            ("18–29", "၁၈–၂၉"),
            ("30–44", "၃၀–၄၄"),
            ("45–59", "၄၅–၅၉"),
            ("60 or over", "၆၀ နှင့်အထက်"),
        ],
    ),
    (
        "township",
        Question.Kind.TOWNSHIP,
        False,
        ("The township you live in", "သင်နေထိုင်သည့် မြို့နယ်"),
        ("You may leave this empty.", "မဖြေလိုလျှင် ချန်ထားနိုင်သည်။"),
        [],
    ),
    (
        "comments",
        Question.Kind.TEXT,
        False,
        ("Anything else you want to tell us?", "အခြား ပြောလိုသည်များ ရှိပါသလား။"),
        (
            "Do not write names, addresses or phone numbers.",
            "အမည်၊ လိပ်စာ၊ ဖုန်းနံပါတ် မရေးပါနှင့်။",
        ),
        [],
    ),
]


@transaction.atomic
def create_trust_survey(ministry: Ministry, slug: str, by: Any = None) -> Survey:
    """A draft copy of the trust survey for ``ministry``, ready to edit and publish."""
    survey = Survey.objects.create(
        ministry=ministry,
        slug=slug,
        title_en="Trust in the NUG's digital services",
        title_my="NUG ဒစ်ဂျစ်တယ် ဝန်ဆောင်မှုများအပေါ် ယုံကြည်မှု စစ်တမ်း",
        intro_en=("Nine short questions. Your answers are anonymous: we do not keep who answered."),
        intro_my=("မေးခွန်းတိုကိုးခု။ သင့်အဖြေများကို အမည်မဖော်ဘဲ သိမ်းသည်။ မည်သူဖြေသည်ကို မသိမ်းပါ။"),
    )
    for position, (key, kind, required, text, hint, options) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            survey=survey,
            position=position,
            key=key,
            kind=kind,
            required=required,
            text_en=text[0],
            text_my=text[1],
            help_en=hint[0],
            help_my=hint[1],
        )
        made = Option.objects.bulk_create(
            Option(question=question, position=i, text_en=en, text_my=my)
            for i, (en, my) in enumerate(options, start=1)
        )
        changes.changed(Option, [option.pk for option in made])
    audit.record(by, "portal.survey_from_template", survey, summary=slug)
    return survey
