"""Demo: the higher education institutions and degree programmes of the seed paper's appendix 3
(recognised for 2024-2025), and one class at Spring Normal University with students, a lesson,
an assignment with submissions, attendance and final grades.

The graduation rules given to every demo programme are the ones the paper reports for an
online institution: 12 courses a year at 3 credits each, a final project, 75% attendance.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from pyithu.accounts.models import User
from pyithu.education.classes.services import classes, grades, programmes
from pyithu.education.models import Course, Programme, School
from pyithu.education.names_my import INSTITUTIONS as INSTITUTIONS_MY
from pyithu.education.names_my import PROGRAMMES as PROGRAMMES_MY

BACHELOR_ARTS = "Bachelor of Arts – B.A"
BACHELOR_SCIENCE = "Bachelor of Science – B.Sc"
ENGINEERING = "Bachelor of Engineering – B.E."
MBBS = "Bachelor of Medicine, Bachelor of Surgery (MBBS)"
NURSING = "Bachelor of Nursing (B.N.Sc)"

# Host university -> degree programmes, as listed in appendix 3.
INSTITUTIONS: list[tuple[str, list[str]]] = [
    (
        "Myanma Nway Oo University",
        [
            BACHELOR_ARTS,
            BACHELOR_SCIENCE,
            "Bachelor of Laws – LLB",
            "Bachelor of Agricultural Science – B.Agr.Sc",
            "Bachelor of Economics (Economics) – BEcon (Eco)",
            "Bachelor of Economics (Statistics) – BEcon (Stats)",
            "Bachelor of Business Administration – BBA",
            "Bachelor of Population Studies – BPS",
            "Bachelor of Commerce – Bcom",
            "Bachelor of Accounting – BAct",
            "Bachelor of Public Administration – BPA",
            "Bachelor of Development Studies – BDevS",
        ],
    ),
    ("Wunzin Online University", [BACHELOR_ARTS, BACHELOR_SCIENCE]),
    (
        "Spring Normal University",
        [
            "Bachelor of Education – B.Ed (Early Childhood)",
            "Bachelor of Education – B.Ed (Primary)",
            "Bachelor of Education – B.Ed (Lower Secondary)",
            "Bachelor of Education – B.Ed (Upper Secondary)",
        ],
    ),
    (
        "University of Teaching",
        [
            "Bachelor of Education – B.Ed (Primary)",
            "Bachelor of Education – B.Ed (Lower Secondary)",
        ],
    ),
    ("Technological-Related Interim University Councils Network", [ENGINEERING]),
    ("Dawei Technological University", [ENGINEERING]),
    ("Loikaw Technological University", [ENGINEERING]),
    ("National University of Computer Studies (NUCS)", ["B.C.Sc", "B.C.Tech"]),
    (
        "Forestry and Agricultural University – Yezin",
        ["Bachelor of Science in Forestry", "Bachelor of Environmental Science"],
    ),
    ("University of Traditional Medicine", ["Bachelor of Myanmar Traditional Medicine – B.M.T.M"]),
    ("University of Medicine 1 – Yangon", [MBBS]),
    ("University of Medicine – Mandalay", [MBBS]),
    ("University of Medicine 2 – Yangon", [MBBS]),
    ("University of Medicine – Taungyi", [MBBS]),
    ("University of Dental Medicine", ["Bachelor of Dental Surgery (BDS)"]),
    ("University of Nursing – Yangon", [NURSING]),
    ("University of Nursing – Mandalay", [NURSING]),
]
RULES = {"courses_per_year": 12, "credits_per_course": 3, "final_project": 1, "min_attendance": 75}
DEMO_PROGRAMME = "Bachelor of Education – B.Ed (Primary)"


def _award(name: str) -> str:
    return name.rsplit("– ", 1)[-1] if "– " in name else name


def load() -> list[str]:
    admin = User.objects.filter(handle="schooladmin-zaw").first()
    teacher = User.objects.filter(handle="teacher-may").first()
    if admin is None or teacher is None:
        return []  # the accounts demo (run first by `pyithu demo`) makes them
    count = 0
    for name, degrees in INSTITUTIONS:
        school, _created = School.objects.get_or_create(
            slug=slugify(name)[:56],
            defaults={
                "name_en": name,
                "name_my": INSTITUTIONS_MY.get(name, ""),
                "kind": School.Kind.UNIVERSITY,
                "level": School.Level.HIGHER,
                "status": School.Status.RECOGNISED,
                "decided_at": timezone.now(),
            },
        )
        for degree in degrees:
            if not Programme.objects.filter(school=school, name_en=degree).exists():
                programmes.create_programme(
                    school,
                    degree,
                    admin,
                    award=_award(degree),
                    years=4,
                    name_my=PROGRAMMES_MY.get(degree, ""),
                    rules=RULES,
                )
                count += 1
    lines = [f"Education: {len(INSTITUTIONS)} universities, {count} new degree programmes"]
    return lines + _demo_class(admin, teacher)


def _demo_class(admin: User, teacher: User) -> list[str]:
    school = School.objects.get(slug=slugify("Spring Normal University"))
    if Course.objects.filter(school=school, code="EDU101").exists():
        return ["  demo class exists: sign in as alice, open /education/classes/"]
    students = list(User.objects.filter(handle__in=["alice", "bob"]).order_by("handle"))
    programme = Programme.objects.get(school=school, name_en=DEMO_PROGRAMME)
    done = classes.create_course(
        school, "EDU101", "Child development", admin, title_my="ကလေး ဖွံ့ဖြိုးမှု", level="ပထမနှစ်"
    )
    now = timezone.now()
    old = classes.create_section(done, "၂၀၂၄ ဒုတိယ စာသင်ကာလ", admin, teachers=[teacher])
    course = classes.create_course(
        school, "EDU102", "Teaching reading", admin, title_my="စာဖတ် သင်ကြားနည်း", level="ပထမနှစ်"
    )
    current = classes.create_section(course, "၂၀၂၅ ပထမ စာသင်ကာလ", admin, teachers=[teacher])
    for student in students:
        programmes.join(programme, student, admin, started_on=date(2024, 6, 1))
        for section in (old, current):
            classes.enrol(section, student, teacher)
    # A finished class: attendance, marks, final grades (both pass; bob's attendance, 2 of
    # 3 counted sessions, is flagged below 75%).
    enrolments = list(old.enrolments.order_by("created_at"))
    for day, statuses in enumerate(
        [
            ("present", "present"),
            ("present", "absent"),
            ("present", "absent"),
            ("excused", "present"),
        ]
    ):
        classes.take_attendance(
            old,
            date(2024, 11, 4) + timedelta(days=7 * day),
            {e.pk: s for e, s in zip(enrolments, statuses, strict=True)},
            teacher,
        )
    for enrolment, test, part in zip(enrolments, (42, 30), (9, 6), strict=True):
        classes.record_mark(enrolment, "test", "လယ်ဝက်စာမေးပွဲ", test, 50, teacher)
        classes.record_mark(enrolment, "participation", "ဆွေးနွေးမှု", part, 10, teacher)
    grades.finalise(old, teacher)
    # The current class: a lesson, an assignment, work handed in, one piece marked.
    classes.add_lesson(
        current,
        "အတူတကွ အသံထွက်ဖတ်ခြင်း",
        "ပုံပြင်တိုတစ်ပုဒ်ကို အသံထွက်ဖတ်ပြပြီး ကလေးများကို ကိုယ်ပိုင်စကားဖြင့် ပြန်ပြောခိုင်းပါ။",
        teacher,
    )
    task = classes.create_assignment(
        current,
        "စာဖတ်သင်ခန်းစာ အစီအစဉ် ရေးပါ",
        now + timedelta(days=5),
        teacher,
        max_marks=20,
        instructions="ဒုတိယတန်းအတွက် မိနစ် ၃၀ သင်ခန်းစာ အစီအစဉ်ကို လှုပ်ရှားမှုတစ်ခုနှင့် ရေးပါ။",
    )
    for student, text in zip(
        students,
        ("ပုံပြင်၊ မေးခွန်း၊ ပုံဆွဲခြင်း။", "သီချင်းနှင့် ပုံကတ်များ။"),
        strict=True,
    ):
        classes.submit(task, student, text)
    first = task.submissions.order_by("submitted_at").first()
    classes.mark_submission(first, 17, "အဆင့်များ ရှင်းလင်းသည်။ နားလည်မှု စစ်ဆေးချက် ထည့်ပါ။", teacher)
    classes.take_attendance(
        current, timezone.localdate(), {e.pk: "present" for e in current.enrolments.all()}, teacher
    )
    return [
        "  class EDU102 at Spring Normal University: teacher-may at /education/staff/classes/,",
        "  students alice and bob at /education/classes/ (progress and transcripts:",
        "  /education/classes/progress/)",
    ]
