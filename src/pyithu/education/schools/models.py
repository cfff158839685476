"""Schools and universities, and their recognition by the ministry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.i18n import localized
from pyithu.core.models import Record


class School(Record):
    """A school (KG to grade 12) or a university. Institutions are public; people are not."""

    SYNC_POLICY = "last_writer"

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")

    class Level(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        MIDDLE = "middle", _("Middle")
        HIGH = "high", _("High")
        BASIC = "basic", _("Basic education (KG to grade 12)")
        HIGHER = "higher", _("Higher education")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        RECOGNISED = "recognised", _("Recognised")
        SUSPENDED = "suspended", _("Suspended")
        REFUSED = "refused", _("Refused")

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_my = models.CharField(_("name (Burmese)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SCHOOL)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BASIC)
    languages = models.CharField(_("languages of teaching"), max_length=200, blank=True)
    curriculum = models.CharField(_("curriculum"), max_length=200, blank=True)
    townships = models.ManyToManyField(
        "geo.Township", verbose_name=_("areas served"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("school or university")
        verbose_name_plural = _("schools and universities")

    def __str__(self) -> str:
        return self.name_en

    def display_name(self, language: str | None = None) -> str:
        """The name in the reader's language (the other one when it has none)."""
        return localized(self, "name", language)

    @property
    def is_recognised(self) -> bool:
        return self.status == self.Status.RECOGNISED


class Guideline(Record):
    """One item of the ministry's information-security guidelines (editable in the admin),
    checked by an officer before a school is recognised."""

    SYNC_POLICY = "last_writer"

    text_en = models.CharField(_("guideline (English)"), max_length=300)
    text_my = models.CharField(_("guideline (Burmese)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "text_en"]
        verbose_name = _("information-security guideline")

    def __str__(self) -> str:
        return self.text_en


class Review(Record):
    """A recognition decision: which guidelines were met, by whom, and why (a suspension or
    refusal gives its reason; institutions are public, so it names no one). Never changed."""

    SYNC_POLICY = "append_only"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=16, choices=School.Status.choices)
    met = models.ManyToManyField(Guideline, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=120, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.school}: {self.decision}"
