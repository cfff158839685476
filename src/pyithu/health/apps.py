from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "pyithu.health"
    label = "health"
    verbose_name = _("Telemedicine")

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
        )
        # A pharmacy verifies any prescription publicly; marking one dispensed needs the role.
        grant_permissions(Role.PHARMACIST, "health.dispense_prescription")
        grant_permissions(
            Role.CLINIC_COORDINATOR,
            "health.view_clinic",
            "health.change_clinic",
            "health.view_redflag",
            "health.change_redflag",
        )
