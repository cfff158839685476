from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "pyithu.sms"
    label = "sms"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions
        from pyithu.outbox import transports
        from pyithu.sms import gateway

        grant_permissions(Role.OPERATOR, "sms.view_inboundtext")

        transports.register("sms", gateway.send, measure=gateway.measure, keyed=True)
        # Health's contact channel for "phone (SMS)" is named "phone": the same gateway.
        transports.register("phone", gateway.send, measure=gateway.measure, keyed=True)
