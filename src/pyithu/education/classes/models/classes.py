"""Classes: courses, sections, enrolment, lessons, assignments, attendance and marks.

Students are pseudonymous ``User`` accounts; what they write and what teachers write back is
sealed at rest. Attendance records and marks are append-only: a correction is a new row and
the latest one counts, so every change stays visible.

Sync (decision 0065): a class goes to the nodes serving its school (``SYNC_SCOPE`` by the
school's slug) and back to any node that wrote to it; lessons and submissions carry their sealed
files, which travel once each. Submissions, attendance and marks travel first
(``SYNC_PRIORITY`` 20), the class structure next (30), the catalogue of courses (40), lessons
with their files last (60). A teacher marks at either end: marking is a new version of the
submission, applied wherever it arrives.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField, sealed_storage
from pyithu.core.i18n import localized
from pyithu.core.models import AppendOnlyError, Record


class AppendOnlyRecord(Record):
    """A row that is written once: changes and deletions through the model are refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} rows cannot be deleted")


class Course(Record):
    """A course of a recognised school or university, with the credits it carries."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 40
    SYNC_SCOPE = {"schools": "school__slug"}

    school = models.ForeignKey("education.School", on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(_("course code"), max_length=20)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_my = models.CharField(_("title (Burmese)"), max_length=200, blank=True)
    credits = models.PositiveSmallIntegerField(_("credits"), default=3)
    level = models.CharField(_("level"), max_length=40, blank=True, help_text=_("e.g. Year 1"))
    # A course whose pass meets a programme's "final project" rule (a thesis, a film ...).
    is_final_project = models.BooleanField(_("final project"), default=False)

    class Meta:
        ordering = ["school", "code"]
        verbose_name = _("course")
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="edu_course_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"

    def display_title(self, language: str | None = None) -> str:
        return localized(self, "title", language)


class Section(Record):
    """One course taught in one term by its teachers, with the weights its school set for
    the holistic grade (percentages that add up to 100)."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 30
    SYNC_SCOPE = {"schools": "course__school__slug"}

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    term = models.CharField(_("term"), max_length=40)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), blank=True, related_name="+"
    )
    weight_tests = models.PositiveSmallIntegerField(_("tests (%)"), default=40)
    weight_assignments = models.PositiveSmallIntegerField(_("assignments (%)"), default=30)
    weight_attendance = models.PositiveSmallIntegerField(_("attendance (%)"), default=10)
    weight_participation = models.PositiveSmallIntegerField(_("participation (%)"), default=20)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=50)
    finalised_at = models.DateTimeField(_("grades final"), null=True, blank=True)

    class Meta:
        ordering = ["course", "term"]
        verbose_name = _("class section")

    def __str__(self) -> str:
        return f"{self.course.code} {self.term}"


class Enrolment(Record):
    """A student's place in a section. The township is optional and only counts reach."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 30
    SYNC_SCOPE = {"schools": "section__course__school__slug"}

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="enrolments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    township = models.ForeignKey(
        "geo.Township",
        to_field="pcode",
        db_column="township_pcode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["section", "created_at"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["section", "student"], name="edu_enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.section_id}"

    @property
    def pseudonym(self) -> str:
        """How teachers and transcripts name a student: never the account's handle."""
        return f"S-{str(self.student_id)[-8:].upper()}"


class Lesson(Record):
    """Text and an optional small attachment (sealed on disk, travelling with the lesson)."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60
    SYNC_SCOPE = {"schools": "section__course__school__slug"}

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    attachment = models.FileField(_("attachment"), storage=sealed_storage, blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["section", "created_at"]
        verbose_name = _("lesson")

    def __str__(self) -> str:
        return self.title


class Assignment(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 30
    SYNC_SCOPE = {"schools": "section__course__school__slug"}

    class Category(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assignment")
        TEST = "test", _("Test")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"))
    max_marks = models.PositiveSmallIntegerField(_("maximum marks"), default=10)
    category = models.CharField(
        _("counts towards"), max_length=16, choices=Category.choices, default=Category.ASSIGNMENT
    )
    allow_late = models.BooleanField(_("accept late work (marked late)"), default=False)

    class Meta:
        ordering = ["section", "due_at"]
        verbose_name = _("assignment")

    def __str__(self) -> str:
        return self.title


class Submission(Record):
    """A student's current work for an assignment (one per student; a resubmission before
    the due time replaces it). Sealed text, optional sealed file, sealed feedback.

    Last writer: the student's hand-in and the teacher's marking are successive versions, made
    at whichever site each is; a resubmission crossing a marking is kept as a conflict."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 20
    SYNC_SCOPE = {"schools": "assignment__section__course__school__slug"}

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    text = SealedTextField(_("your work"), blank=True)
    file = models.FileField(_("file"), storage=sealed_storage, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    file_type = models.CharField(max_length=80, blank=True)
    submitted_at = models.DateTimeField()
    late = models.BooleanField(default=False)
    versions = models.PositiveSmallIntegerField(default=1)
    feedback = SealedTextField(_("feedback"), blank=True)
    marks = models.PositiveSmallIntegerField(_("marks"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "submitted_at"]
        verbose_name = _("submission")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="edu_submission_once")
        ]

    def __str__(self) -> str:
        return f"submission {self.pk}"


class ClassSession(AppendOnlyRecord):
    """One meeting of a section, on which attendance is taken."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 20
    SYNC_SCOPE = {"schools": "section__course__school__slug"}

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["section", "held_on", "created_at"]
        verbose_name = _("class session")

    def __str__(self) -> str:
        return f"{self.section_id} {self.held_on}"


class AttendanceRecord(AppendOnlyRecord):
    """Present, absent or excused. Never changed: a correction is a newer row."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 20
    SYNC_SCOPE = {"schools": "session__section__course__school__slug"}

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="records")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "created_at"]
        indexes = [models.Index(fields=["enrolment", "session", "created_at"])]

    def __str__(self) -> str:
        return self.status


class Mark(AppendOnlyRecord):
    """A teacher-entered test or participation mark, or a linked exam result. The latest row
    per (enrolment, kind, title) counts."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 20
    SYNC_SCOPE = {"schools": "enrolment__section__course__school__slug"}

    class Kind(models.TextChoices):
        TEST = "test", _("Test")
        PARTICIPATION = "participation", _("Participation")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="marks")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    score = models.PositiveIntegerField(_("score"))
    out_of = models.PositiveIntegerField(_("out of"))
    # A released exam result the student linked with their exam code (tests only).
    candidate = models.ForeignKey(
        "education.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["enrolment", "created_at"]

    def __str__(self) -> str:
        return f"{self.title} {self.score}/{self.out_of}"


class CourseResult(AppendOnlyRecord):
    """The final grade of an enrolment, fixed when the section's grades are made final;
    credits are earned when it is a pass."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 20
    SYNC_SCOPE = {"schools": "enrolment__section__course__school__slug"}

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="result")
    percent = models.PositiveSmallIntegerField(_("grade (%)"))
    letter = models.CharField(_("grade"), max_length=2)
    passed = models.BooleanField(_("passed"))
    credits = models.PositiveSmallIntegerField(_("credits earned"))
    attendance_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # Sessions counted (held minus excused) and attended: the attendance rule sums these.
    sessions_counted = models.PositiveIntegerField(default=0)
    sessions_present = models.PositiveIntegerField(default=0)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("course result")

    def __str__(self) -> str:
        return f"{self.letter} ({self.percent}%)"
