from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "pyithu.finance"
    label = "finance"
