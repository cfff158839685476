from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk

# What operators and clinic coordinators keep in the admin for the hotline, the referral
# desks and the facility directory.
SUPPORT_ADMIN = tuple(
    f"health.{verb}_{model}"
    for model in (
        "hotlinenumber",
        "hotlinesettings",
        "counsellorshift",
        "receivingservice",
        "facility",
    )
    for verb in ("view", "add", "change")
)


class HealthConfig(AppConfig):
    name = "pyithu.health"
    label = "health"
    verbose_name = _("Telemedicine")
    # Roles are accounts.Role values (strings, so this module imports no models). A specialist
    # is a doctor whose grant names their clinic: the same queue shows them that clinic's cases.
    desks = [
        Desk("doctor", "health:queue", _("Clinic queue")),
        Desk("doctor", "health:answer_questions", _("Public questions")),
        Desk("doctor", "health:slots", _("My hours")),
        Desk("doctor", "health:roster", _("Weekly hours and appointments")),
        Desk("clinic_coordinator", "health:coordinate", _("Doctors' load and reassigning")),
        Desk("pharmacist", "health:verify", _("Check and dispense prescriptions")),
        Desk("clinic_coordinator", "admin:health_clinic_changelist", _("Clinics")),
        Desk("clinic_coordinator", "admin:health_redflag_changelist", _("Emergency signs")),
        Desk("counsellor", "health:hotline_queue", _("Hotline queue")),
        Desk("counsellor", "health:hotline_rota", _("Rota")),
        Desk("referral_officer", "health:desk", _("Referral desk")),
        Desk("clinic_coordinator", "admin:health_hotlinenumber_changelist", _("Hotline numbers")),
        Desk("clinic_coordinator", "admin:health_facility_changelist", _("Emergency facilities")),
        Desk("operator", "admin:health_receivingservice_changelist", _("Receiving services")),
        Desk("operator", "admin:health_hotlinenumber_changelist", _("Hotline numbers")),
        Desk("operator", "admin:health_facility_changelist", _("Emergency facilities")),
    ]

    def unit_label(self, unit: str) -> str | None:
        """A role unit of this ministry as a person reads it (``clinic:respiratory``: the
        clinic's name in the reader's language), or None if the unit is not one of ours."""
        from pyithu.health.selectors import UNIT_PREFIX, unit_label

        return unit_label(unit) if unit.startswith(UNIT_PREFIX) else None

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions
        from pyithu.core import reach
        from pyithu.health.reach import consultations

        reach.register("health", _("Telemedicine consultations"), consultations)
        grant_permissions(
            Role.OPERATOR,
            "health.view_clinic",
            "health.add_clinic",
            "health.change_clinic",
            "health.view_redflag",
            "health.add_redflag",
            "health.change_redflag",
            *SUPPORT_ADMIN,
        )
        # A pharmacy verifies any prescription publicly; marking one dispensed needs the role.
        grant_permissions(Role.PHARMACIST, "health.dispense_prescription")
        grant_permissions(
            Role.CLINIC_COORDINATOR,
            "health.view_clinic",
            "health.change_clinic",
            "health.view_redflag",
            "health.change_redflag",
            *SUPPORT_ADMIN,
        )
