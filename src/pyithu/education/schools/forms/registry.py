"""Forms of the school registry (public filter) and of recognition (staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.core.i18n import localized
from pyithu.education.admissions.services.admissions import MAX_VOUCHERS_PER_REQUEST
from pyithu.education.models import Guideline, Recommender, School
from pyithu.geo.forms import TownshipChoiceField


class RegistryFilterForm(forms.Form):
    """A GET form: every choice is one that some listed school has."""

    level = forms.ChoiceField(label=_("Level"), required=False)
    language = forms.ChoiceField(label=_("Language of teaching"), required=False)
    township = forms.ChoiceField(label=_("Area served"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, languages: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Any"))]
        public = (School.Status.RECOGNISED, School.Status.SUSPENDED)
        self.fields["level"].choices = [*every, *School.Level.choices]
        self.fields["language"].choices = [*every, *languages]
        self.fields["township"].choices = [
            *every,
            *((t.pcode, t.display_name()) for t in townships),
        ]
        self.fields["status"].choices = [*every, *((s.value, s.label) for s in public)]


class SchoolApplicationForm(forms.Form):
    """A school or university asks to be recognised (entered by education staff)."""

    name_en = TextField(label=_("Name (English)"), max_length=200)
    name_my = TextField(label=_("Name (Burmese)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=School.Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=School.Level.choices)
    languages = TextField(
        label=_("Languages of teaching"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, for example: my, en, shn"),
    )
    curriculum = TextField(label=_("Curriculum"), max_length=200, required=False)
    townships = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Areas served"),
        required=False,
        to_field_name="pcode",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = TownshipChoiceField()
        self.fields["townships"].queryset = field.queryset
        self.fields["townships"].label_from_instance = field.label_from_instance  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """The officer's decision, with the checklist of guidelines and a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (School.Status.RECOGNISED, _("Recognise")),
            (School.Status.SUSPENDED, _("Suspend")),
            (School.Status.REFUSED, _("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    met = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Guidelines met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = TextAreaField(
        label=_("Reason"),
        max_length=120,
        required=False,
        help_text=_(
            "Required to suspend or refuse. Kept with the decision and shown in its history; "
            "name no one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met"].queryset = Guideline.objects.filter(is_active=True)
        self.fields["met"].label_from_instance = lambda g: localized(g, "text")  # type: ignore[attr-defined]


class RecommenderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Recommender.Kind.choices)
    name = TextField(
        label=_("Name"),
        max_length=200,
        help_text=_("Sealed at rest; shown only on these pages."),
    )
    handle = TextField(
        label=_("Account that issues the vouchers (handle)"),
        max_length=64,
        required=False,
        help_text=_("Leave empty if officers issue vouchers on the recommender's behalf."),
    )


class IssueVouchersForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of vouchers"), min_value=1, max_value=MAX_VOUCHERS_PER_REQUEST
    )


class RevokeVoucherForm(forms.Form):
    code = TextField(
        label=_("Voucher code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
