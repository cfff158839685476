from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "pyithu.health"
    label = "health"
