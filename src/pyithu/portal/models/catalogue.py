"""The catalogue: the NUG's ministries and the public services each one offers."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.i18n import CONTENT_LANGUAGES, localized
from pyithu.core.models import Record
from pyithu.core.text import search_key

# A link inside this platform only: a path, never another host.
internal_path = RegexValidator(
    r"^/(?!/)[\w\-./]*$", _("Enter a path inside this site, such as /health/.")
)


class CatalogueEntry(Record):
    """A catalogue row whose content fields come in pairs: ``<field>_en`` and ``<field>_my``."""

    # Case-folded words of every searched field in both languages, kept by ``save`` (so a
    # searched field changed with ``QuerySet.update`` is not searchable until the next save).
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    SEARCHED_FIELDS: tuple[str, ...] = ("name",)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_key(self.searched_text())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def localized(self, field: str, language: str | None = None) -> str:
        """``field`` in the reader's content language, or in the other one when that is empty."""
        return localized(self, field, language)

    @property
    def name(self) -> str:
        return self.localized("name")

    def searched_text(self) -> str:
        return " ".join(
            getattr(self, f"{field}_{lang}")
            for field in self.SEARCHED_FIELDS
            for lang in CONTENT_LANGUAGES
        )


class Ministry(CatalogueEntry):
    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 2

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_my = models.CharField(_("name (Burmese)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")

    def __str__(self) -> str:
        return self.name_en


class Service(CatalogueEntry):
    SYNC_POLICY = "last_writer"
    SYNC_KEY = "slug"
    SYNC_PRIORITY = 2

    class Mode(models.TextChoices):
        DIGITAL = "digital", _("Digital")
        IN_PERSON = "in_person", _("In person")
        MIXED = "mixed", _("Mixed (digital and in person)")

    ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("ministry"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_my = models.CharField(_("name (Burmese)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_my = models.TextField(_("summary (Burmese)"), blank=True)
    mode = models.CharField(_("service mode"), max_length=16, choices=Mode.choices)
    areas_en = models.CharField(_("areas served (English)"), max_length=300, blank=True)
    areas_my = models.CharField(_("areas served (Burmese)"), max_length=300, blank=True)
    how_online_en = models.TextField(_("how to reach it online (English)"), blank=True)
    how_online_my = models.TextField(_("how to reach it online (Burmese)"), blank=True)
    how_offline_en = models.TextField(_("how to reach it offline (English)"), blank=True)
    how_offline_my = models.TextField(_("how to reach it offline (Burmese)"), blank=True)
    internal_url = models.CharField(
        _("page on this platform"),
        max_length=200,
        blank=True,
        validators=[internal_path],
        help_text=_("A path inside this platform once the service has its own module."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    SEARCHED_FIELDS = ("name", "summary")

    class Meta:
        ordering = ["ministry__sort_order", "sort_order", "slug"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name_en

    @property
    def summary(self) -> str:
        return self.localized("summary")

    @property
    def areas(self) -> str:
        return self.localized("areas")

    @property
    def how_online(self) -> str:
        return self.localized("how_online")

    @property
    def how_offline(self) -> str:
        return self.localized("how_offline")
