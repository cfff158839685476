"""The booked time of a consultation, for the patient's and the doctor's case pages."""

from __future__ import annotations

from django import template

from pyithu.health.models import Appointment, Consultation
from pyithu.health.services.appointments import booked

register = template.Library()


@register.filter
def booked_time(case: Consultation) -> Appointment | None:
    return booked(case)
