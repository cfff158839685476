from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "pyithu.geo"
    label = "geo"
