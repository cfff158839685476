"""Myanmar's administrative units: states/regions, districts and townships.

Units are identified by their MIMU place code (P-code). Operators add, rename or retire units
in the admin; a retired unit keeps its row (``is_active=False``) because other records point at
it, so nothing here is ever deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.i18n import localized
from pyithu.core.models import Record
from pyithu.core.text import search_key


class AdminUnit(Record):
    """What every level shares: a P-code, a name in both scripts, and whether it is in use."""

    # Loaded from the same files on every site, with ids minted per site: records and links
    # travel by P-code (decision 0055), so an operator's rename or a new unit reaches nodes.
    SYNC_POLICY = "last_writer"
    SYNC_KEY = "pcode"
    SYNC_PRIORITY = 1

    pcode = models.CharField(_("P-code"), max_length=16, unique=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_my = models.CharField(_("Burmese name"), max_length=100, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to retire the unit: it leaves pickers but old records keep it."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name_en} ({self.pcode})"

    @property
    def label(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        """The name in the script of ``language`` (default: the active UI language)."""
        return localized(self, "name", language)


class StateRegion(AdminUnit):
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pcode"]
        verbose_name = _("state/region")
        verbose_name_plural = _("states/regions")


class District(AdminUnit):
    state = models.ForeignKey(
        StateRegion,
        verbose_name=_("state/region"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    # MIMU splits Bago and Shan; this keeps MIMU's own code (e.g. MMR015 for North Shan).
    raw_state_pcode = models.CharField(_("MIMU state code"), max_length=16, blank=True)

    class Meta:
        ordering = ["state", "name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class TownshipQuerySet(models.QuerySet["Township"]):
    def active(self) -> TownshipQuerySet:
        """Townships offered to citizens: the township and its district and state in use."""
        return self.filter(is_active=True, district__is_active=True, state__is_active=True)


class Township(AdminUnit):
    state = models.ForeignKey(
        StateRegion,
        verbose_name=_("state/region"),
        on_delete=models.PROTECT,
        related_name="townships",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="townships",
    )
    is_sub_township = models.BooleanField(_("sub-township"), default=False)
    # The principal town's coordinates: good for a dot on a map, not a boundary.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=5, null=True, blank=True
    )
    # Segmented, case-folded words of both names and the P-code, for word-prefix search.
    search_text = models.CharField(
        _("search words"), max_length=500, blank=True, editable=False, db_index=False
    )

    objects = TownshipQuerySet.as_manager()

    class Meta:
        ordering = ["state", "name_en"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_en", "name_my", "pcode"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.state_id and self.district_id and self.district.state_id != self.state_id:
            raise ValidationError(
                {"district": _("This district belongs to another state or region.")}
            )

    def refresh_search_text(self) -> None:
        """Recompute the search words; ``save()`` calls this, bulk writes must call it too."""
        self.search_text = search_key(f"{self.name_en} {self.name_my} {self.pcode}")
