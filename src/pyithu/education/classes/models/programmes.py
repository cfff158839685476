"""Degree programmes of institutions, their graduation rules (data), students' places in them,
and the transcripts issued (each one a signed certificate)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.i18n import localized
from pyithu.core.models import Record
from pyithu.education.classes.models.classes import AppendOnlyRecord


class Programme(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 40

    school = models.ForeignKey(
        "education.School", on_delete=models.PROTECT, related_name="programmes"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_my = models.CharField(_("name (Burmese)"), max_length=200, blank=True)
    award = models.CharField(_("award"), max_length=40, blank=True, help_text=_("e.g. B.Sc"))
    years = models.PositiveSmallIntegerField(_("years of study"), default=4)
    # The courses that count; when none are listed, every course of the school counts.
    courses = models.ManyToManyField(
        "education.Course", verbose_name=_("courses"), blank=True, related_name="programmes"
    )

    class Meta:
        ordering = ["school", "name_en"]
        verbose_name = _("degree programme")
        constraints = [
            models.UniqueConstraint(fields=["school", "name_en"], name="edu_programme_name_once")
        ]

    def __str__(self) -> str:
        return self.name_en

    def display_name(self, language: str | None = None) -> str:
        return localized(self, "name", language)


class GraduationRule(Record):
    """One condition for graduating, as data: "12 courses a year", "3 credits per course",
    "a final project", "75% attendance" ..."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 40

    class Kind(models.TextChoices):
        COURSES_PER_YEAR = "courses_per_year", _("Courses passed per year of study")
        CREDITS_PER_COURSE = "credits_per_course", _("Credits per required course")
        TOTAL_CREDITS = "total_credits", _("Credits in total")
        FINAL_PROJECT = "final_project", _("A final project passed")
        MIN_ATTENDANCE = "min_attendance", _("Minimum attendance (%)")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=24, choices=Kind.choices)
    value = models.PositiveSmallIntegerField(_("value"), default=0)

    class Meta:
        ordering = ["programme", "kind"]
        verbose_name = _("graduation rule")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="edu_rule_kind_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ProgrammeEnrolment(Record):
    """A student's place in a degree programme."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 30

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="students")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programmes"
    )
    started_on = models.DateField(_("started"))

    class Meta:
        ordering = ["programme", "created_at"]
        verbose_name = _("programme enrolment")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "student"], name="edu_programme_student_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.programme}"


class Transcript(AppendOnlyRecord):
    """Who a transcript belongs to: the signed certificate itself carries the courses."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 40

    certificate = models.OneToOneField(
        "education.Certificate", on_delete=models.PROTECT, related_name="transcript"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transcripts"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="transcripts")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transcript")

    def __str__(self) -> str:
        return f"transcript {self.certificate_id}"
