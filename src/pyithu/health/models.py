"""Telemedicine records. Symptoms, contacts, messages, notes and referral summaries are sealed;
booking codes are kept only as keyed digests. See docs/decisions/0010-0014."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField, sealed_storage
from pyithu.core.i18n import localized
from pyithu.core.models import AppendOnlyError, Record


class AppendOnly(Record):
    """Written once: a message, an outcome, a consent. Never edited, never deleted by code."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    # Goes wherever its consultation goes (see Consultation).
    SYNC_SCOPE = {
        "townships": "consultation__township__pcode",
        "clinics": "consultation__clinic__slug",
        "follows": "consultation",
    }

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} records cannot be deleted")


class Clinic(Record):
    """The general clinic (everyone starts here) or one of the specialist clinics."""

    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 1
    GENERAL = "general"

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_my = models.CharField(_("name (Burmese)"), max_length=120)
    is_mental_health = models.BooleanField(_("mental health"), default=False)
    # Patients may book straight into it (the general and primary mental-health clinics).
    direct_booking = models.BooleanField(_("patients book directly"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    # A claimed case with no doctor reply for this long returns to the queue (0: never).
    claim_timeout_hours = models.PositiveSmallIntegerField(
        _("hours a claimed case may wait for a first reply"), default=24
    )

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name_en

    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def unit(self) -> str:
        """The RoleGrant unit that lets a doctor work in this clinic."""
        return f"clinic:{self.slug}"


class RedFlag(Record):
    """A sign the service must not handle online. Operators edit the list in the admin."""

    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 60

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("emergency: go to a hospital or clinic")
        SUICIDE = "suicide", _("suicidal thoughts: hotline at once")

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label_en = models.CharField(_("question (English)"), max_length=200)
    label_my = models.CharField(_("question (Burmese)"), max_length=200)
    # One word or phrase per line; a phrase matches when each of its words starts a word.
    keywords_en = models.TextField(_("keywords (English)"), blank=True)
    keywords_my = models.TextField(_("keywords (Burmese)"), blank=True)
    first_aid_en = models.TextField(_("first aid (English)"), blank=True)
    first_aid_my = models.TextField(_("first aid (Burmese)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")

    def __str__(self) -> str:
        return self.label_en

    def display_label(self) -> str:
        return localized(self, "label")

    def first_aid_steps(self) -> list[str]:
        return [s for s in localized(self, "first_aid").splitlines() if s.strip()]

    def keywords(self) -> list[str]:
        text = f"{self.keywords_en}\n{self.keywords_my}"
        return [k.strip() for k in text.splitlines() if k.strip()]


class AgeBand(models.TextChoices):
    CHILD = "0-4", _("under 5")
    YOUNG = "5-17", _("5 to 17")
    ADULT = "18-39", _("18 to 39")
    MIDDLE = "40-59", _("40 to 59")
    OLDER = "60+", _("60 or older")


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other / prefer not to say")


class ContactChannel(models.TextChoices):
    NONE = "", _("no contact: I will check with my code")
    TELEGRAM = "telegram", _("Telegram")
    PHONE = "phone", _("phone (SMS)")


class Urgency(models.IntegerChoices):
    ROUTINE = 0, _("mild: it can wait a few days")
    SOON = 1, _("moderate: within a day")
    URGENT = 2, _("severe, but not an emergency")


class CaseStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for a doctor")
    OPEN = "open", _("with a doctor")
    CLOSED = "closed", _("closed")


class Consultation(Record):
    """One booked consultation, found by the patient only through their booking code."""

    # The patient's side is written where they booked (often a node); the doctor's side on the
    # hub. Concurrent edits keep each side's fields; the losing version stays in history.
    SYNC_POLICY = "field_owner"
    SYNC_PRIORITY = 5
    SYNC_SCOPE = {"townships": "township__pcode", "clinics": "clinic__slug"}
    SYNC_FIELD_OWNERS = {
        "hub": ("status", "doctor", "claimed_at", "follow_up_on", "closed_at"),
        "node": ("symptoms", "urgency", "contact_channel", "contact"),
    }

    code_digest = models.CharField(max_length=64, unique=True)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="consultations")
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.WAITING
    )
    urgency = models.PositiveSmallIntegerField(
        _("how bad"), choices=Urgency.choices, default=Urgency.ROUTINE
    )
    symptoms = SealedTextField(_("symptoms"))
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    township = models.ForeignKey(
        "geo.Township", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    abroad_country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8)
    contact_channel = models.CharField(
        _("reach me by"), max_length=16, choices=ContactChannel.choices, blank=True
    )
    contact = SealedTextField(_("contact"), blank=True)
    waiting_since = models.DateTimeField(db_index=True)
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-urgency", "waiting_since"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["clinic", "status", "urgency", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.clinic.slug} {self.status} {self.reference}"

    @property
    def reference(self) -> str:
        """A short, non-secret label staff use in conversation (not the booking code)."""
        return self.pk.hex[-6:].upper()

    @property
    def place(self) -> str:
        return f"abroad:{self.abroad_country}" if self.abroad_country else self.township.pcode


class CaseMessage(AppendOnly):
    class Author(models.TextChoices):
        PATIENT = "patient", _("you")
        DOCTOR = "doctor", _("doctor")
        SERVICE = "service", _("service")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(max_length=8, choices=Author.choices)
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = SealedTextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} message"


class Outcome(AppendOnly):
    """What a doctor decided: advice, a prescription, a follow-up, or a referral."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("advice")
        PRESCRIPTION = "prescription", _("prescription")
        FOLLOW_UP = "follow_up", _("follow-up")
        REFERRAL = "referral", _("referral to a specialist clinic")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="outcomes"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("outcome"), max_length=16, choices=Kind.choices)
    from_clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    referred_to = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The doctor's own notes: sealed, never shown to the patient.
    note = SealedTextField(_("notes for doctors"), blank=True)
    follow_up_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.kind


class Prescription(Record):
    """A signed prescription. The signed text carries no patient identity (see 0012)."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {
        "townships": "consultation__township__pcode",
        "clinics": "consultation__clinic__slug",
        "follows": "consultation",
    }

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="prescriptions"
    )
    signed_text = SealedTextField()
    valid_until = models.DateField()
    dispensed_at = models.DateTimeField(null=True, blank=True)
    dispensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("dispense_prescription", "Can mark a prescription dispensed")]

    def __str__(self) -> str:
        return f"Rx {self.pk}"


class AvailabilitySlot(Record):
    """A time a doctor offers, stored in UTC with the zone the doctor entered it in."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 40

    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_slots"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    doctor_timezone = models.CharField(max_length=64)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.clinic.slug} {self.starts_at:%Y-%m-%d %H:%M}Z"


class Question(Record):
    """A public question. Who asked is never stored; only answered ones are published.

    Sealed at rest like any health detail: until a doctor publishes it (perhaps tidied, a
    name taken out) the text is a person's own words, and a leaked database or change log must
    not show them. Search reads ``search_text``, written only on publication.
    """

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60

    question = SealedTextField(_("question"))
    answer = SealedTextField(_("answer"), blank=True)
    language = models.CharField(max_length=8)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.question[:60]


class ServiceReferral(AppendOnly):
    """A patient's consent to share chosen details with another ministry's service."""

    class Service(models.TextChoices):
        GBV = "gbv-counselling", _("counselling for gender-based violence (Tine Pin Phaw)")
        LEGAL = "legal-aid", _("legal aid (Mhyata Lan Nyun)")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="service_referrals"
    )
    service = models.CharField(max_length=32, choices=Service.choices)
    shared_fields = models.JSONField(default=list)
    # Exactly what was shared, sealed.
    shared_summary = SealedTextField()
    consented_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.service


# --- Photos of results, the live hotline, referral desks, facilities (0018, 0019) ---
# Decision records 0018 (photos) and 0019 (hotline privacy).


class CasePhoto(AppendOnly):
    """A photo of a result the patient attached: re-encoded without any metadata, sealed on
    disk, shown only to the doctors of the case's clinic. Travels with its consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), storage=sealed_storage)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"photo {self.width}x{self.height}"


class HotlineNumber(Record):
    """A number the hotline answers, and when (Myanmar time). Operators keep the list."""

    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 2

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_my = models.CharField(_("label (Burmese)"), max_length=120)
    number = models.CharField(_("number"), max_length=40)
    # Both empty: every hour of the day. Otherwise from..until in Myanmar time.
    opens_at = models.TimeField(_("opens (Myanmar time)"), null=True, blank=True)
    closes_at = models.TimeField(_("closes (Myanmar time)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("hotline number")
        verbose_name_plural = _("hotline numbers")

    def __str__(self) -> str:
        return f"{self.label_en} {self.number}"

    def display_label(self) -> str:
        return localized(self, "label")

    @property
    def all_day(self) -> bool:
        return self.opens_at is None or self.closes_at is None


class HotlineSettings(Record):
    """How long before an unanswered request alerts the coordinator, and where the alert goes.
    One row, on the hub (the alerting command runs there)."""

    SYNC_POLICY = "local"

    alert_after_minutes = models.PositiveSmallIntegerField(
        _("alert after (minutes unanswered)"), default=15
    )
    minutes_per_call = models.PositiveSmallIntegerField(_("average minutes per call"), default=20)
    coordinator_channel = models.CharField(
        _("coordinator's channel"),
        max_length=16,
        default="phone",
        choices=[("phone", _("phone (SMS)")), ("telegram", _("Telegram"))],
    )
    coordinator_contact = SealedTextField(_("coordinator's number or chat"), blank=True)

    class Meta:
        verbose_name = _("hotline settings")
        verbose_name_plural = _("hotline settings")

    def __str__(self) -> str:
        return f"alert after {self.alert_after_minutes} min"


class CounsellorShift(Record):
    """A counsellor's time on the rota, stored in UTC."""

    SYNC_POLICY = "local"

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hotline_shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("counsellor shift")
        verbose_name_plural = _("counsellor shifts")

    def __str__(self) -> str:
        return f"shift {self.starts_at:%Y-%m-%d %H:%M}Z"


class HotlinePriority(models.IntegerChoices):
    TALK = 0, _("I want to talk to someone")
    TODAY = 1, _("I am struggling and need to talk today")
    DANGER = 2, _("I might hurt myself soon")


class CallbackRequest(Record):
    """A person in distress waiting for a counsellor. Only what they chose to give is kept,
    sealed; the contact is erased when the request is closed (decision 0019)."""

    # Made where the person asked (often a node), answered on the hub: it goes to the hub and
    # its answer comes back only to the site that made it.
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 3
    SYNC_SCOPE: dict[str, str] = {}

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        TELEGRAM = "telegram", _("Telegram")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a counsellor")
        CALLING = "calling", _("a counsellor is calling")
        TALKED = "talked", _("talked")
        NO_ANSWER = "no_answer", _("called, no answer")
        CLOSED = "closed", _("closed")

    via = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    priority = models.PositiveSmallIntegerField(
        _("how urgent"), choices=HotlinePriority.choices, default=HotlinePriority.TALK
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    language = models.CharField(max_length=8)
    contact_channel = models.CharField(max_length=16, blank=True)
    contact = SealedTextField(_("number or chat to call back"), blank=True)
    # What the person chose to say about themselves (optional), sealed.
    message = SealedTextField(_("anything you want the counsellor to know"), blank=True)
    waiting_since = models.DateTimeField(db_index=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    note = SealedTextField(_("short note (sealed)"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "waiting_since"]
        indexes = [models.Index(fields=["status", "priority", "waiting_since"])]

    def __str__(self) -> str:
        return f"callback {self.status} {self.reference}"

    @property
    def reference(self) -> str:
        return self.pk.hex[-6:].upper()


class ReceivingService(Record):
    """A service that receives consented referrals (GBV support, legal aid, any an operator
    adds) or, for ``clinic``, the health service's own clinics as a destination."""

    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 2

    slug = models.SlugField(_("short name"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_my = models.CharField(_("name (Burmese)"), max_length=160)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("receiving service")
        verbose_name_plural = _("receiving services")

    def __str__(self) -> str:
        return self.name_en

    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def unit(self) -> str:
        """The RoleGrant unit that gives a member of staff this service's desk."""
        return f"service:{self.slug}"


class DeskReferral(Record):
    """A referral on a desk: to a receiving service (from a patient's consent) or from a
    service's desk to a clinic. The desk sees only the sealed summary the patient ticked."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {
        "townships": "consultation__township__pcode",
        "clinics": "consultation__clinic__slug",
        "follows": "consultation",
    }

    class Status(models.TextChoices):
        SENT = "sent", _("sent, not yet read")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CLOSED = "closed", _("closed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="desk_referrals"
    )
    # To a service (a patient's consent), or from one (a desk refers to a clinic).
    service = models.ForeignKey(
        ReceivingService, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming"
    )
    from_service = models.ForeignKey(
        ReceivingService, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing"
    )
    consent = models.OneToOneField(
        ServiceReferral, null=True, blank=True, on_delete=models.CASCADE, related_name="desk"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    summary = SealedTextField()
    reply = SealedTextField(_("reply to the person"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"referral {self.status} {self.reference}"

    @property
    def reference(self) -> str:
        return self.pk.hex[-6:].upper()


class Facility(Record):
    """Where to go in an emergency: a hospital, clinic or mobile unit, kept by operators and
    sent to every node (reference data)."""

    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 2

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("hospital")
        CLINIC = "clinic", _("clinic")
        MOBILE = "mobile", _("mobile unit")

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_my = models.CharField(_("name (Burmese)"), max_length=160)
    township = models.ForeignKey(
        "geo.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    services_en = models.CharField(_("services (English)"), max_length=300, blank=True)
    services_my = models.CharField(_("services (Burmese)"), max_length=300, blank=True)
    hours_en = models.CharField(_("hours (English)"), max_length=120, blank=True)
    hours_my = models.CharField(_("hours (Burmese)"), max_length=120, blank=True)
    reach_en = models.CharField(_("how to reach (English)"), max_length=300, blank=True)
    reach_my = models.CharField(_("how to reach (Burmese)"), max_length=300, blank=True)
    last_confirmed = models.DateField(_("last confirmed"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name_en

    def display_name(self) -> str:
        return localized(self, "name")

    def display_services(self) -> str:
        return localized(self, "services")

    def display_hours(self) -> str:
        return localized(self, "hours")

    def display_reach(self) -> str:
        return localized(self, "reach")


# --- care that does not drop people: rosters, appointments, case history --------------------
# (decision 0016 for slots, 0017 for reminders)


class Roster(Record):
    """A weekly window a doctor offers, in the doctor's own time zone: every ``weekday`` from
    ``starts`` to ``ends`` local time, cut into slots of ``slot_minutes``. Slots are computed
    in UTC from it (services/appointments.py), never stored until someone books one."""

    # Booked at the hub only: one writer is what makes "no slot given twice" hold (0016).
    SYNC_POLICY = "local"

    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_rosters"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rosters")
    weekday = models.PositiveSmallIntegerField(_("day of the week"))  # 0 Monday .. 6 Sunday
    starts = models.TimeField(_("from (your local time)"))
    ends = models.TimeField(_("to (your local time)"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per patient"), default=20)
    timezone = models.CharField(_("your time zone"), max_length=64)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["weekday", "starts"]

    def __str__(self) -> str:
        return f"{self.clinic.slug} {self.weekday} {self.starts:%H:%M}-{self.ends:%H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("did not come")


class Appointment(Record):
    """A slot a patient took, found through their consultation's booking code. At most one
    booked appointment per doctor and start time, and per consultation: database constraints,
    so two people taking the same slot at once cannot both succeed (decision 0016)."""

    SYNC_POLICY = "local"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="appointments"
    )
    roster = models.ForeignKey(Roster, null=True, on_delete=models.SET_NULL, related_name="+")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_appointments"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "starts_at"],
                condition=models.Q(status="booked"),
                name="health_one_booking_per_slot",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(status="booked"),
                name="health_one_booking_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic.slug} {self.starts_at:%Y-%m-%d %H:%M}Z {self.status}"


class CaseEvent(AppendOnly):
    """Who had the case when: claimed, released, reassigned, handed back. Never what it is
    about (no health content), so the history travels and is shown without unsealing."""

    class Kind(models.TextChoices):
        CLAIMED = "claimed", _("claimed")
        RELEASED = "released", _("returned to the queue: no reply in time")
        REASSIGNED = "reassigned", _("reassigned by a coordinator")
        HANDED_BACK = "handed_back", _("handed back to the queue")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.kind
