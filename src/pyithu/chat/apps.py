from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "pyithu.chat"
    label = "chat"
    verbose_name = _("Chat channels")

    def ready(self) -> None:
        from pyithu.chat import transport
        from pyithu.outbox import transports

        transports.register("telegram", transport.send)
