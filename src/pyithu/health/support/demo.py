"""Demo for photos, the hotline, referral desks and facilities: a counsellor on duty now, two
desk officers (GBV support, legal aid), a referral waiting on the GBV desk, a call-back request
waiting, and facilities in the first townships (where the health demo books its cases)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from pyithu.accounts import services as accounts
from pyithu.accounts.models import Role, User
from pyithu.geo.models import Township
from pyithu.health.models import (
    CallbackRequest,
    CounsellorShift,
    Facility,
    HotlineNumber,
    HotlinePriority,
    HotlineSettings,
)
from pyithu.health.services import booking, community, hotline

COUNSELLORS = ["counsellor-nilar", "counsellor-hsu"]
# (handle, receiving service, ministry that staffs it)
OFFICERS = [
    ("desk-su", "gbv-counselling", "women-youth-children"),
    ("desk-zaw", "legal-aid", "justice"),
]


def _facilities() -> int:
    if Facility.objects.exists():
        return 0
    towns = list(Township.objects.active().order_by("pcode")[:3])
    confirmed = date.today() - timedelta(days=7)
    made = 0
    for town in towns:
        kinds = [
            ("hospital", "Township Hospital", "မြို့နယ်ဆေးရုံ", "Emergency, surgery, maternity"),
            ("clinic", "Community Clinic", "ရပ်ရွာဆေးခန်း", "First aid, wounds, fever"),
        ]
        for kind, en, my, services in kinds:
            Facility.objects.create(
                slug=f"{town.pcode.lower()}-{kind}",
                kind=kind,
                name_en=f"{town.name_en} {en}",
                name_my=f"{town.name_my} {my}",
                township=town,
                services_en=services,
                services_my="အရေးပေါ်၊ ဒဏ်ရာ၊ ဖျားနာ",
                hours_en="Day and night" if kind == "hospital" else "8:00 to 17:00",
                hours_my="နေ့ည" if kind == "hospital" else "၈:၀၀ မှ ၁၇:၀၀",
                reach_en="Near the main market; ask for the emergency room",
                reach_my="ဈေးကြီးအနီး၊ အရေးပေါ်ဌာနကို မေးပါ",
                last_confirmed=confirmed,
            )
            made += 1
    if towns:
        Facility.objects.create(
            slug=f"{towns[0].pcode.lower()}-mobile",
            kind="mobile",
            name_en="Mobile health team",
            name_my="ရွေ့လျားကျန်းမာရေးအဖွဲ့",
            township=towns[0],
            services_my="ကလေးကျန်းမာရေး၊ ကာကွယ်ဆေး",
            services_en="Child health, vaccines",
            hours_my="တနင်္လာနေ့တိုင်း",
            hours_en="Every Monday",
            last_confirmed=confirmed,
        )
        made += 1
    return made


def _hotline(staff: dict[str, User]) -> None:
    if not HotlineNumber.objects.exists():
        HotlineNumber.objects.create(
            slug="zero-suicide",
            label_en="Zero-Suicide hotline (demo number)",
            label_my="သေကြောင်းကြံမှု ကာကွယ်ရေး ဖုန်းလိုင်း (နမူနာ နံပါတ်)",
            number="09-000-000-111",
        )
        HotlineNumber.objects.create(
            slug="counselling-evening",
            label_en="Evening counselling line (demo number)",
            label_my="ညနေ စိတ်ပိုင်းဆိုင်ရာ ဆွေးနွေးရေး လိုင်း (နမူနာ နံပါတ်)",
            number="09-000-000-222",
            opens_at=time(18, 0),
            closes_at=time(23, 0),
        )
    if not HotlineSettings.objects.exists():
        HotlineSettings.objects.create(
            coordinator_channel="phone", coordinator_contact="+959000000333"
        )
    now = timezone.now()
    for user in staff.values():
        if not CounsellorShift.objects.filter(counsellor=user, ends_at__gt=now).exists():
            CounsellorShift.objects.create(
                counsellor=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2)
            )
    if not CallbackRequest.objects.exists():
        hotline.request_callback(
            priority=HotlinePriority.TODAY,
            language="my",
            contact_channel="phone",
            contact="+959000000444",
            message="ညဘက် အိပ်မပျော်ဘဲ စိတ်ညစ်နေပါတယ်",
        )


def _referral() -> None:
    town = Township.objects.active().order_by("pcode").first()
    details = booking.Booking(
        symptoms="Bruises; afraid to go home",
        age_band="18-39",
        sex="female",
        language="my",
        township=town,
    )
    case, _code = booking.book_consultation(details)
    community.refer_to_service(
        case, "gbv-counselling", ["age_band", "place", "language"], consent=True
    )


def load(staff_account: object) -> list[str]:
    """``staff_account(handle)`` makes (or finds) a demo staff account with TOTP."""
    lines = []
    counsellors = {}
    for handle in COUNSELLORS:
        user = staff_account(handle)
        accounts.grant_role(user, Role.COUNSELLOR, "health")
        counsellors[handle] = user
        lines.append(
            f"  {handle:18} {Role.COUNSELLOR.label} (/health/staff/hotline/) key {user.totp_secret}"
        )
    for handle, service, ministry in OFFICERS:
        user = staff_account(handle)
        accounts.grant_role(user, Role.REFERRAL_OFFICER, ministry, unit=f"service:{service}")
        lines.append(
            f"  {handle:18} {Role.REFERRAL_OFFICER.label} ({service}, /health/desk/) key "
            f"{user.totp_secret}"
        )
    first_time = not HotlineNumber.objects.exists()
    _hotline(counsellors)
    made = _facilities()
    if first_time:
        _referral()
        lines.append("Hotline: 2 demo numbers, counsellors on duty, 1 call-back request waiting.")
        lines.append(
            "  `pyithu hotline alert` (run it every minute) tells the coordinator through the "
            "outbox about requests unanswered after 15 minutes; texting HOTLINE joins the queue."
        )
        lines.append("Referral desk: 1 consented GBV referral waiting on desk-su's desk.")
    if made:
        lines.append(f"Facilities: {made} in the first townships (see /health/emergency/).")
    return lines
