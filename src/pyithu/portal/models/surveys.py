"""Surveys: questions in English and Burmese, answered anonymously, one answer per person.

Who answered is never stored with what they answered. ``Participation`` keeps only a keyed
digest (of the account, or of a one-time answer code) with no link to the ``SurveyResponse``,
a random id and a day-granular time stamp, so the two tables cannot be joined by key or
by clock. See docs/decisions/0040-participation-and-reach.md.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.i18n import localized
from pyithu.core.models import Record
from pyithu.portal.models.catalogue import Ministry


def start_of_today() -> datetime:
    return timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)


class Survey(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class Guard(models.TextChoices):
        OPEN = "open", _("Anyone (signed-in people once; others once per browser)")
        ACCOUNT = "account", _("Signed-in people only, once each")
        CODE = "code", _("People holding a one-time answer code")

    ministry = models.ForeignKey(
        Ministry, verbose_name=_("ministry"), on_delete=models.PROTECT, related_name="surveys"
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_my = models.CharField(_("title (Burmese)"), max_length=200)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_my = models.TextField(_("introduction (Burmese)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    guard = models.CharField(
        _("who may answer"), max_length=16, choices=Guard.choices, default=Guard.OPEN
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Question(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Scale (Likert)")
        TEXT = "text", _("Free text")
        TOWNSHIP = "township", _("Township")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.LIKERT)

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_my = models.CharField(_("question (Burmese)"), max_length=300)
    help_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    help_my = models.CharField(_("hint (Burmese)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Short and stable, for CSV columns and the API ("efficiency", "age_band").
    key = models.SlugField(_("key"), max_length=40)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="portal_question_key_unique")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def help(self) -> str:
        return localized(self, "help")

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Option(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("option (English)"), max_length=200)
    text_my = models.CharField(_("option (Burmese)"), max_length=200)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return localized(self, "text")


class SurveyResponse(Record):
    """One person's submitted answers; nothing here says who."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    SYNC_SCOPE: dict[str, str] = {}  # answers go to the hub, never out to other nodes

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses"
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey.slug} response"


class Answer(Record):
    """One answer: a chosen option (one row per option ticked), a township, or sealed text."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {"follows": "response"}

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        Option,
        verbose_name=_("option"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    township = models.ForeignKey(
        "geo.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Opinions may carry names or places: sealed at rest.
    text = SealedTextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class Participation(Record):
    """That someone has answered a survey: a keyed digest only, with no link to the answers.

    A random id (not time-ordered) and day-granular stamps, so it cannot be matched to its
    ``SurveyResponse`` by key or by time.
    """

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    SYNC_SCOPE: dict[str, str] = {}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=start_of_today, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=start_of_today, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "digest"], name="portal_participation_once")
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.survey_id} participation"


class AnswerCode(Record):
    """A one-time answer code handed out on paper by staff; only its digest is kept."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 30
    SYNC_SCOPE: dict[str, str] = {}

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="codes"
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    used_at = models.DateField(_("used on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")

    def __str__(self) -> str:
        return f"{self.survey_id} code"
