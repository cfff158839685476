"""`pyithu node serve`: unlock first, then serve with gunicorn in this very process.

The master process unlocks the identity and the sealing keys (asking the operator once) and
loads the application before forking its workers (gunicorn's ``preload_app``), so every worker
inherits the unlocked keys in memory and none of them needs the passphrase again.
"""

from __future__ import annotations

from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from gunicorn.app.base import BaseApplication


class NodeServer(BaseApplication):
    def __init__(self, application: WSGIHandler, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        return self.application


def serve(bind: str, workers: int) -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    # No database connection may be shared by forked workers.
    connections.close_all()
    options = {"bind": bind, "workers": workers, "preload_app": True, "accesslog": "-"}
    NodeServer(application, options).run()
