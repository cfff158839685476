"""Certificates: the signed text is the certificate; the row exists to revoke it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField
from pyithu.core.models import Record


class Certificate(Record):
    SYNC_POLICY = "last_writer"

    holder_pseudonym = models.CharField(_("holder"), max_length=60)
    # Kept (sealed) only when the holder chose to have the name printed.
    holder_name = SealedTextField(_("name shown"), blank=True)
    school = models.ForeignKey(
        "education.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("programme or exam"), max_length=200)
    candidate = models.OneToOneField(
        "education.Candidate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    issued_on = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=100)
    # Sealed: it carries the printed name inside its (merely encoded) payload. The holder
    # keeps the text itself; the row needs it only to show the certificate again.
    signed_text = SealedTextField()
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        verbose_name = _("certificate")

    def __str__(self) -> str:
        return f"{self.title}: {self.holder_pseudonym}"

    @property
    def shown_result(self) -> str:
        return shown_result(self.result)


# The verdicts a certificate's result may end with (signed in English, shown translated).
VERDICTS = {"pass": _("Pass"), "not passed": _("Not passed")}


def shown_result(result: str) -> str:
    """A signed result ("5/7 pass", "pass") as the reader's language says it."""
    score, _space, verdict = result.partition(" ") if result[:1].isdigit() else ("", "", result)
    word = VERDICTS.get(verdict)
    return result if word is None else f"{score} {word}".strip()
