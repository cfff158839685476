"""Question banks, papers, sittings, candidates and their answers.

An answer row is unique per (attempt, question) and is upserted on every save, so a retried
request never duplicates it; the attempt's deadline is fixed when the candidate starts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record


class QuestionBank(Record):
    SYNC_POLICY = "last_writer"

    school = models.ForeignKey(
        "education.School", null=True, blank=True, on_delete=models.PROTECT, related_name="banks"
    )
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=100, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("question bank")

    def __str__(self) -> str:
        return self.title


class Question(Record):
    SYNC_POLICY = "last_writer"

    class Kind(models.TextChoices):
        CHOICE = "choice", _("Multiple choice")
        FILL = "fill", _("Fill in the blank")
        SHORT = "short", _("Short answer")

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    prompt = models.TextField(_("question"))
    # Multiple choice: the options in their written order, and the index of the right one.
    options = models.JSONField(_("options"), default=list, blank=True)
    correct_option = models.PositiveSmallIntegerField(null=True, blank=True)
    # Fill in the blank: every accepted answer (compared normalised and case-folded).
    accepted = models.JSONField(_("accepted answers"), default=list, blank=True)
    marks = models.PositiveSmallIntegerField(_("marks"), default=1)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("question")

    def __str__(self) -> str:
        return self.prompt[:60]


class Paper(Record):
    SYNC_POLICY = "last_writer"

    school = models.ForeignKey(
        "education.School", null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    title = models.CharField(_("title"), max_length=200)
    minutes = models.PositiveIntegerField(_("time allowed (minutes)"), default=60)
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=40)
    # National papers show each candidate their own order of questions and options.
    shuffle = models.BooleanField(_("shuffle questions and options"), default=False)
    national = models.BooleanField(_("national exam"), default=False)
    questions = models.ManyToManyField(Question, through="PaperQuestion", related_name="+")

    class Meta:
        ordering = ["title"]
        verbose_name = _("paper")

    def __str__(self) -> str:
        return self.title


class PaperQuestion(Record):
    SYNC_POLICY = "last_writer"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="edu_paper_question_once"),
            models.UniqueConstraint(fields=["paper", "position"], name="edu_paper_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.paper} #{self.position}"


class Sitting(Record):
    """A paper sat in one time slot. Results are hidden until released."""

    SYNC_POLICY = "last_writer"

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="sittings")
    title = models.CharField(_("title"), max_length=200)
    slot = models.CharField(_("time slot"), max_length=64, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results_released_at = models.DateTimeField(_("results released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opens_at"]
        verbose_name = _("exam sitting")

    def __str__(self) -> str:
        return self.title


class Candidate(Record):
    """A place in a sitting, reached with a one-time exam code (only its digest is kept)."""

    SYNC_POLICY = "last_writer"

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="candidates")
    school = models.ForeignKey(
        "education.School", on_delete=models.PROTECT, related_name="candidates"
    )
    number = models.PositiveIntegerField(_("candidate number"))
    code_digest = models.CharField(max_length=64, unique=True)
    name = SealedTextField(_("name"), blank=True)
    # Optional, chosen by the school at registration: only counts reach.
    township = models.ForeignKey(
        "geo.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sitting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "number"], name="edu_candidate_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.sitting} #{self.number}"


class Attempt(Record):
    """A candidate's one go at the paper: the deadline is fixed when it starts.

    ``binding`` is the digest of a token kept in the session of the device that holds the
    exam, so the same code cannot be used from two places at once.
    """

    SYNC_POLICY = "last_writer"

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="attempt")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    binding = models.CharField(max_length=64, blank=True)
    last_seen_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"attempt {self.candidate}"


class Answer(Record):
    """The latest answer to one question of one attempt (upserted; never duplicated)."""

    SYNC_POLICY = "last_writer"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # Multiple choice: the index of the chosen option in the question's written order.
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    # What a candidate writes is their own work: sealed at rest.
    text = SealedTextField(blank=True)
    marks = models.PositiveSmallIntegerField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()
    revisions = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["attempt", "saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="edu_answer_once")
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class IntegrityEvent(Record):
    """A refused or suspicious act during a sitting, for exam officers. Never changed."""

    SYNC_POLICY = "append_only"

    class Kind(models.TextChoices):
        TWO_PLACES = "two_places", _("Code used from two places")
        LATE = "late", _("Answer after time was up")
        FOREIGN = "foreign", _("Answer to a question not in the paper")

    sitting = models.ForeignKey(
        Sitting, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kind
