"""Forms of appointments, reminders and case coordination."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextField
from pyithu.health.forms import ClinicChoiceField
from pyithu.health.models import Clinic
from pyithu.health.services.appointments import SLOT_MINUTES

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SlotForm(forms.Form):
    """A free slot to take. Validated by the service, not by the list shown: a slot taken
    meanwhile must get "taken, choose another", not "not a valid choice"."""

    slot = forms.CharField(
        label=_("Free times (Myanmar time)"), max_length=80, widget=forms.RadioSelect
    )
    appointment = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: object, slots: list[tuple[str, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].widget.choices = list(slots)


class RosterForm(forms.Form):
    # No empty choice: most doctors work in one clinic, which is then already chosen.
    clinic = ClinicChoiceField(label=_("Clinic"), queryset=Clinic.objects.none(), empty_label=None)
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(
        label=_("From (your local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=_("To (your local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slot_minutes = forms.TypedChoiceField(
        label=_("Minutes per patient"),
        choices=[(m, m) for m in SLOT_MINUTES],
        coerce=int,
        initial=20,
    )
    timezone = TextField(label=_("Your time zone"), max_length=64, language="en")
