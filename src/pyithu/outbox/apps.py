from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "pyithu.outbox"
    label = "outbox"
