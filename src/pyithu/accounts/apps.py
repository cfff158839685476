from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pyithu.accounts"
    label = "accounts"
