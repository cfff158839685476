from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "pyithu.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions

        grant_permissions(Role.OPERATOR, "outbox.view_message")
