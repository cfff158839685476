from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "pyithu.sync"
    label = "sync"
