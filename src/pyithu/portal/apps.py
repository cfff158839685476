from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk


class PortalConfig(AppConfig):
    name = "pyithu.portal"
    label = "portal"
    # Roles by their stored value: models cannot be imported before the apps are loaded.
    desks = [
        Desk("operator", "portal:staff_surveys", _("Surveys and their results")),
        Desk("operator", "portal:staff_feedback", _("Feedback from citizens")),
        Desk("operator", "portal:shutdown_import", _("Record internet shutdowns")),
    ]

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions

        # Operators build their ministry's surveys (the admin narrows them to it) and record
        # internet shutdowns; answers and feedback are read on the portal's staff pages only.
        grant_permissions(
            Role.OPERATOR,
            *(
                f"portal.{verb}_{model}"
                for model in ("survey", "question", "option", "shutdown")
                for verb in ("view", "add", "change")
            ),
            "portal.delete_question",
            "portal.delete_option",
        )
