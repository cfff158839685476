from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk


class AccountsConfig(AppConfig):
    name = "pyithu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # The administration pages these roles have permissions for (accounts/roles.py).
    desks = [
        Desk("operator", "admin:index", _("Places, services and accounts (administration)")),
        Desk("auditor", "admin:core_auditentry_changelist", _("Audit log")),
    ]

    def ready(self) -> None:
        from django.contrib import admin

        from pyithu.accounts.views import admin_login_redirect

        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
