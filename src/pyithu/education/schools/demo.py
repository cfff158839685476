"""Demo for the registry: the ministry's information-security checklist and a few schools
with their languages and areas served (one suspended, one still applying). Idempotent."""

from __future__ import annotations

from pyithu.education.models import Guideline, School
from pyithu.geo.models import Township

GUIDELINES = [
    (
        "Students are known to the school by pseudonyms; real names are kept offline.",
        "ကျောင်းသားများကို ကလောင်အမည်ဖြင့်သာ သိရှိပြီး အမည်ရင်းကို အွန်လိုင်းတွင် မသိမ်းပါ။",
    ),
    ("Every staff account uses two-factor login.", "ဝန်ထမ်းအကောင့်တိုင်း နှစ်ဆင့်ဝင်ရောက်မှု သုံးသည်။"),
    (
        "Lessons and records are kept on services the ministry approved, not personal chat groups.",
        "သင်ခန်းစာနှင့် မှတ်တမ်းများကို ဝန်ကြီးဌာနခွင့်ပြုသော ဝန်ဆောင်မှုများတွင်သာ သိမ်းသည်။",
    ),
    (
        "Supporting documents are deleted once an admission is decided.",
        "ဝင်ခွင့်ဆုံးဖြတ်ပြီးသည်နှင့် အထောက်အထားစာရွက်များကို ဖျက်သည်။",
    ),
    (
        "A named person answers for data protection and reports breaches within 72 hours.",
        "ဒေတာကာကွယ်မှုအတွက် တာဝန်ခံတစ်ဦးရှိပြီး ပေါက်ကြားမှုကို ၇၂ နာရီအတွင်း သတင်းပို့သည်။",
    ),
]

SCHOOLS = [
    # slug, English, Burmese, kind, level, languages, curriculum, status, townships
    ("spring-online", None, None, "school", "basic", "my, en", None, None, ["MMR013040"]),
    (
        "chin-hills-online",
        "Chin Hills Online High School",
        "ချင်းတောင် အွန်လိုင်း အထက်တန်းကျောင်း",
        "school",
        "high",
        "cnh, my",
        "အမျိုးသားညီညွတ်ရေးအစိုးရ ပညာရေးဝန်ကြီးဌာန",
        "recognised",
        ["MMR004002"],
    ),
    (
        "sagaing-federal-primary",
        "Sagaing Federal Primary School",
        "စစ်ကိုင်း ဖက်ဒရယ် မူလတန်းကျောင်း",
        "school",
        "primary",
        "my",
        "အမျိုးသားညီညွတ်ရေးအစိုးရ ပညာရေးဝန်ကြီးဌာန",
        "suspended",
        ["MMR005001"],
    ),
    (
        "kachin-online-middle",
        "Kachin Online Middle School",
        "ကချင် အွန်လိုင်း အလယ်တန်းကျောင်း",
        "school",
        "middle",
        "kac, my",
        "",
        "applied",
        [],
    ),
]


def load() -> list[str]:
    for i, (text_en, text_my) in enumerate(GUIDELINES):
        Guideline.objects.get_or_create(text_en=text_en, defaults={"text_my": text_my, "order": i})
    made = 0
    for slug, name_en, name_my, kind, level, languages, curriculum, status, pcodes in SCHOOLS:
        school = School.objects.filter(slug=slug).first()
        if school is None:
            if name_en is None:
                continue
            school = School.objects.create(
                slug=slug,
                name_en=name_en,
                name_my=name_my,
                kind=kind,
                level=level,
                languages=languages,
                curriculum=curriculum,
                status=status,
            )
            made += 1
        if not school.townships.exists():
            school.townships.set(Township.objects.filter(pcode__in=pcodes))
    return [
        f"Education registry: /education/schools/ ({made} demo schools added); "
        "recognition at /education/staff/schools/, recommenders at /education/staff/recommenders/"
    ]
