"""Demo: volunteer doctors, open and closed cases, a referral with a prescription, and Q&A."""

from __future__ import annotations

from datetime import time

import pyotp
from django.utils import timezone

from pyithu.accounts import services as accounts
from pyithu.accounts.demo import DEMO_PASSPHRASE
from pyithu.accounts.models import Role, User
from pyithu.geo.models import Township
from pyithu.health import selectors
from pyithu.health.models import Clinic, Consultation, Outcome
from pyithu.health.services import appointments, booking, community, consults, prescriptions

# Two general-clinic doctors (the accounts demo's and a colleague), and a specialist: a doctor
# whose grant names their clinic (cardiology, where the demo's referred case waits).
DOCTORS = [
    ("doctor-thida", [""]),
    ("doctor-aye", [""]),
    ("specialist-min", ["clinic:cardiology"]),
]


def _staff(handle: str) -> User:
    user = User.objects.filter(handle=handle).first() or accounts.create_staff_account(
        handle, DEMO_PASSPHRASE
    )
    if not user.has_totp:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = timezone.now()
        user.save(update_fields=["totp_secret", "totp_confirmed_at", "updated_at"])
    return user


def _book(symptoms: str, township: Township | None, country: str = "") -> Consultation:
    details = booking.Booking(
        symptoms=symptoms,
        age_band="18-39",
        sex="female",
        language="my",
        township=township,
        abroad_country=country,
    )
    return booking.book_consultation(details)[0]


# Weekly hours: every day, in each doctor's own zone (one volunteers from Thailand).
ROSTERS = [
    ("doctor-thida", "Asia/Yangon", time(9), time(12), 20),
    ("doctor-aye", "Asia/Bangkok", time(18), time(20), 30),
]
COORDINATOR = "coordinator-su"


def _care(doctors: dict[str, User]) -> list[str]:
    """Rosters with free slots in the coming days, and a coordinator who reassigns cases."""
    general = Clinic.objects.get(slug=Clinic.GENERAL)
    for handle, zone, starts, ends, minutes in ROSTERS:
        doctor = doctors[handle]
        if doctor.health_rosters.exists():
            continue
        for weekday in range(7):
            appointments.publish_roster(doctor, general, weekday, starts, ends, minutes, zone)
    coordinator = _staff(COORDINATOR)
    accounts.grant_role(coordinator, Role.CLINIC_COORDINATOR, "health")
    return [
        f"  {COORDINATOR:18} {Role.CLINIC_COORDINATOR.label} (/health/staff/coordinate/) key "
        f"{coordinator.totp_secret}",
        "  Weekly hours: doctor-thida 09:00-12:00 Myanmar time, doctor-aye 18:00-20:00 Thai time,"
        " every day (/health/case/appointment/ after opening a case).",
    ]


def load() -> list[str]:
    lines = [
        f"Health staff (passphrase '{DEMO_PASSPHRASE}', TOTP via `pyithu totp-code HANDLE`);"
        " each starts at /health/staff/:"
    ]
    doctors = {}
    for handle, units in DOCTORS:
        user = _staff(handle)
        for unit in units:
            accounts.grant_role(user, Role.DOCTOR, "health", unit=unit)
        doctors[handle] = user
        clinics = ", ".join(selectors.unit_label(u) for u in units)
        lines.append(f"  {handle:18} {Role.DOCTOR.label} ({clinics}) key {user.totp_secret}")
    pharmacist = _staff("pharmacist-hla")
    accounts.grant_role(pharmacist, Role.PHARMACIST, "health")
    lines.append(
        f"  {'pharmacist-hla':18} {Role.PHARMACIST.label} (/health/verify/) key "
        f"{pharmacist.totp_secret}"
    )
    lines += _care(doctors)
    if Consultation.objects.exists():
        return [*lines, "Cases already loaded."]
    towns = list(Township.objects.active().order_by("pcode")[:6])
    for n, town in enumerate(towns):
        _book(f"Cough and fever for {n + 2} days", town)
    _book("Back pain after carrying rice sacks", None, "TH")
    thida = doctors["doctor-thida"]
    referred = _book("Chest discomfort when climbing stairs", towns[0])
    consults.claim_case(thida, referred.pk)
    consults.reply(thida, referred.pk, "Does the pain spread to your arm? Any swelling?")
    consults.record_outcome(
        thida,
        referred.pk,
        Outcome.Kind.REFERRAL,
        referred_to=Clinic.objects.get(slug="cardiology"),
        note="exertional chest pain",
    )
    closed = _book("Itchy rash on the hands", towns[1])
    consults.claim_case(thida, closed.pk)
    prescriptions.issue_prescription(
        thida,
        closed.pk,
        [{"medicine": "Hydrocortisone 1% cream", "dose": "twice a day", "quantity": "1 tube"}],
    )
    consults.record_outcome(
        thida, closed.pk, Outcome.Kind.ADVICE, message="Keep the hands dry; use a mild soap."
    )
    for q, a in [
        ("How do I lower blood pressure without medicine?", "Less salt, daily walking."),
        ("ဆီးချိုရောဂါ ရှိရင် ထမင်း ဘယ်လောက် စားရမလဲ", "ထမင်းကို တစ်ဝက်လျှော့ပြီး ဟင်းသီးဟင်းရွက် ပိုစားပါ။"),
    ]:
        language = "en" if q.isascii() else "my"
        community.answer_question(thida, community.ask_question(q, language).pk, a)
    lines.append("Cases: 7 waiting, 1 referred to cardiology, 1 closed with a prescription.")
    return lines


# Photos, hotline, referral desks and facilities load their own demo (their own folder).
_load_cases = load


def load() -> list[str]:
    from pyithu.health.support import demo as support_demo

    return [*_load_cases(), *support_demo.load(_staff)]
