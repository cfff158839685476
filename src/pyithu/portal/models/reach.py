"""Internet shutdowns recorded per township, for the reach dashboard's overlay and tables."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pyithu.core.models import Record


class Shutdown(Record):
    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 60

    township = models.ForeignKey(
        "geo.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty while ongoing."))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="portal_shutdown_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["township", "start", "source"], name="portal_shutdown_unique"
            ),
        ]
        verbose_name = _("internet shutdown")
        verbose_name_plural = _("internet shutdowns")

    def __str__(self) -> str:
        return f"{self.township_id} from {self.start}"
