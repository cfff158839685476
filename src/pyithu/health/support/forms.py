"""Forms of the photos, hotline, referral-desk and facility pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.geo.forms import TownshipChoiceField
from pyithu.health.forms import ClinicChoiceField
from pyithu.health.models import AgeBand, Clinic, HotlinePriority, Sex

CONTACT_CHOICES = [("phone", _("phone (SMS)")), ("telegram", _("Telegram"))]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo of a result (lab paper, a rash)"),
        help_text=_("JPEG or PNG, up to 5 MB. Location and phone details are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CallbackForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("How are you now?"),
        choices=HotlinePriority.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    contact_channel = forms.ChoiceField(
        label=_("Call me back by"), choices=CONTACT_CHOICES, widget=forms.RadioSelect
    )
    contact = TextField(
        label=_("Number or Telegram name"),
        max_length=100,
        language="en",
        help_text=_("Only this is needed. Stored encrypted and erased when we close your call."),
    )
    message = TextAreaField(
        label=_("Anything you want the counsellor to know (optional)"),
        max_length=1000,
        required=False,
    )


class CounsellorNoteForm(forms.Form):
    note = TextAreaField(label=_("Short note (sealed, optional)"), max_length=500, required=False)


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts (Myanmar time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=12, initial=4)


class DeskReplyForm(forms.Form):
    reply = TextAreaField(label=_("Reply to the person"), max_length=2000, required=False)


class ReferToClinicForm(forms.Form):
    clinic = ClinicChoiceField(
        label=_("Clinic"), queryset=Clinic.objects.filter(active=True), empty_label="—"
    )
    summary = TextAreaField(label=_("What the person agreed to share"), max_length=2000)
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "—"), *AgeBand.choices])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    township = TownshipChoiceField()
    language = forms.ChoiceField(label=_("Language for replies"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(label=_("The person agreed to share this with the clinic."))


class PlaceForm(forms.Form):
    township = TownshipChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].label = _("Your township")
