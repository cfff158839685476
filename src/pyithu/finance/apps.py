from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk


class FinanceConfig(AppConfig):
    name = "pyithu.finance"
    label = "finance"
    verbose_name = _("Finance")
    desks = [
        Desk("bank_officer", "finance:books", _("Bank officer's desk")),
        Desk("agent", "finance:agent_home", _("Agent's desk")),
        Desk("merchant", "finance:merchant", _("My shop's QR code")),
    ]

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions

        grant_permissions(
            Role.BANK_OFFICER,
            "finance.view_ledgeraccount",
            "finance.view_transfer",
            "finance.view_entry",
            "finance.view_exchangerate",
            "finance.view_agent",
            "finance.view_fixeddeposit",
            "finance.view_lottery",
            "finance.view_campaign",
        )
        grant_permissions(Role.AGENT, "finance.view_agent")

        # A township node's money operations are applied on the hub as they arrive (0026).
        from pyithu.core.changes import records_arrived
        from pyithu.finance.services.nodes import on_arrival

        records_arrived.connect(on_arrival, dispatch_uid="pyithu.finance.node_intents")
