from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pyithu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from pyithu.accounts.views import admin_login_redirect

        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
