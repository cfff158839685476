from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "pyithu.portal"
    label = "portal"
