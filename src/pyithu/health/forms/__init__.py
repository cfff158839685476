from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.geo.forms import TownshipChoiceField
from pyithu.health.models import (
    AgeBand,
    Clinic,
    ContactChannel,
    Outcome,
    ReceivingService,
    Sex,
    Urgency,
)
from pyithu.health.screening import active_flags
from pyithu.health.services.community import SHAREABLE

# Where most people from Myanmar abroad live; "ZZ" (ISO: unknown) for anywhere else.
COUNTRIES = [
    ("", _("I am in Myanmar")),
    ("TH", _("Thailand")),
    ("MY", _("Malaysia")),
    ("SG", _("Singapore")),
    ("JP", _("Japan")),
    ("KR", _("South Korea")),
    ("CN", _("China")),
    ("IN", _("India")),
    ("TW", _("Taiwan")),
    ("AE", _("United Arab Emirates")),
    ("US", _("United States")),
    ("GB", _("United Kingdom")),
    ("AU", _("Australia")),
    ("ZZ", _("another country")),
]


class ClinicChoiceField(forms.ModelChoiceField):
    """Clinics by their name in the reader's language (reference data in two languages)."""

    def label_from_instance(self, obj: Clinic) -> str:
        return obj.display_name()


class BookingForm(forms.Form):
    symptoms = TextAreaField(
        label=_("What is wrong? In your own words"),
        max_length=2000,
        help_text=_("Since when, what you feel, medicines you take. Stored encrypted."),
    )
    red_flags = forms.MultipleChoiceField(
        label=_("Is any of these happening now?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_happening_now = forms.BooleanField(
        label=_("None of these is happening now. I need a normal consultation."),
        required=False,
    )
    urgency = forms.TypedChoiceField(
        label=_("How bad is it?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "—"), *AgeBand.choices])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    township = TownshipChoiceField(required=False)
    abroad_country = forms.ChoiceField(
        label=_("Or, if you are abroad, the country"), choices=COUNTRIES, required=False
    )
    language = forms.ChoiceField(label=_("Language for replies"), choices=settings.LANGUAGES)
    contact_channel = forms.ChoiceField(
        label=_("Tell me when a doctor replies by"),
        choices=ContactChannel.choices,
        required=False,
    )
    contact = TextField(
        label=_("Handle or number"),
        max_length=100,
        required=False,
        language="en",
        help_text=_("Optional. Stored encrypted; the message only says to check your code."),
    )
    clinic = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags = active_flags()
        self.fields["red_flags"].choices = [(f.slug, f.display_label()) for f in self.flags]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("township") and data.get("abroad_country"):
            self.add_error("abroad_country", _("Choose a township or a country, not both."))
        elif "township" in data and not data.get("township") and not data.get("abroad_country"):
            self.add_error("township", _("Choose a township, or a country if you are abroad."))
        if data.get("contact_channel") and not data.get("contact"):
            self.add_error("contact", _("Write your handle or number, or choose no contact."))
        return data


class CodeForm(forms.Form):
    code = TextField(
        label=_("Booking code"),
        max_length=40,
        language="en",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )


class MessageForm(forms.Form):
    body = TextAreaField(label=_("Add a message for the doctor"), max_length=2000)


class ServiceReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=(), widget=forms.RadioSelect)
    fields = forms.MultipleChoiceField(
        label=_("Share only these"),
        choices=list(SHAREABLE.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=_("I agree to share what I ticked with this service."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = ReceivingService.objects.filter(active=True)
        self.fields["service"].choices = [(s.slug, s.display_name()) for s in services]


class QuestionForm(forms.Form):
    question = TextAreaField(
        label=_("Your question"),
        max_length=1000,
        help_text=_("Do not write names or places. Answers are public."),
    )


class SearchForm(forms.Form):
    q = TextField(label=_("Search answers"), max_length=100, required=False)


class VerifyForm(forms.Form):
    text = TextAreaField(
        label=_("Prescription code (the text under the QR code)"),
        help_text=_("Pharmacies may type the prescription number instead."),
        max_length=4000,
        # A signed text, never a thing to translate (and wider than any word on a phone).
        widget=forms.Textarea(
            attrs={"rows": 4, "autocomplete": "off", "translate": "no", "class": "copy"}
        ),
    )


# --- staff ----------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    body = TextAreaField(label=_("Reply to the patient"), max_length=4000)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Outcome.Kind.choices if c[0] != Outcome.Kind.PRESCRIPTION],
    )
    message = TextAreaField(label=_("Advice for the patient"), max_length=4000, required=False)
    note = TextAreaField(label=_("Notes for doctors (sealed)"), max_length=4000, required=False)
    follow_up_on = forms.DateField(
        label=_("Follow-up date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    referred_to = ClinicChoiceField(
        label=_("Refer to"), queryset=Clinic.objects.filter(active=True), required=False
    )


class PrescriptionForm(forms.Form):
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in (1, 2, 3):
            required = n == 1
            self.fields[f"medicine_{n}"] = TextField(
                label=_("Medicine"), max_length=120, required=required
            )
            self.fields[f"dose_{n}"] = TextField(label=_("Dose"), max_length=120, required=required)
            self.fields[f"quantity_{n}"] = TextField(
                label=_("Quantity"), max_length=40, required=required
            )

    def items(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {k: data.get(f"{k}_{n}") or "" for k in ("medicine", "dose", "quantity")}
            for n in (1, 2, 3)
        ]


class SlotForm(forms.Form):
    clinic = ClinicChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts (your local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=10, max_value=480, initial=60)
    timezone = TextField(label=_("Your time zone"), max_length=64, language="en")


class AnswerForm(forms.Form):
    question = TextAreaField(label=_("Question (edit out names)"), max_length=1000)
    answer = TextAreaField(label=_("Answer"), max_length=4000)
