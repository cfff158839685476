"""A fake SMS gateway for tests and for trying the service on a laptop (``pyithu sms_gateway``).

It speaks the gateway protocol of ``pyithu.sms.gateway``: a JSON POST ``{to, message, id}``
with a bearer token. It records what it accepts (once per ``Idempotency-Key``, as a careful
real gateway would) and can be switched to fail:

- ``up``: 200, the text is recorded;
- ``down``: 503, nothing recorded (the phone is off, the network is cut);
- ``lost``: the text is recorded but the answer is a 502 (it went out, the reply was lost);
- ``refuse``: 400, nothing recorded (the number is not valid).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UP, DOWN, LOST, REFUSE = "up", "down", "lost", "refuse"


@dataclass(frozen=True)
class Received:
    to: str
    message: str
    key: str


def _well_formed(payload: object) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("to"), str)
        and isinstance(payload.get("message"), str)
    )


class FakeGateway:
    def __init__(
        self,
        token: str = "gateway-secret",  # noqa: S107 (a fake, for tests and laptops)
        host: str = "127.0.0.1",
        port: int = 0,
        on_receive: Callable[[Received], None] | None = None,
    ) -> None:
        self.token = token
        self.on_receive = on_receive
        self.mode = UP
        self.received: list[Received] = []
        self.posts = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/send"

    def start(self) -> FakeGateway:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def accept(self, payload: dict[str, Any], key: str) -> int:
        """Record one POST; returns the HTTP status to answer with."""
        with self._lock:
            self.posts += 1
            if self.mode in (DOWN, REFUSE):
                return 503 if self.mode == DOWN else 400
            if not key or all(r.key != key for r in self.received):
                received = Received(payload["to"], payload["message"], key)
                self.received.append(received)
                if self.on_receive is not None:
                    self.on_receive(received)
            return 502 if self.mode == LOST else 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                    self._answer(401, {"error": "unauthorised"})
                    return
                try:
                    payload = json.loads(raw.decode("utf-8"))
                except ValueError:
                    payload = None
                if not _well_formed(payload):
                    self._answer(400, {"error": "expected {to, message}"})
                    return
                status = gateway.accept(payload, self.headers.get("Idempotency-Key", ""))
                self._answer(status, {"ok": status == 200})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: tests and demos print what they need

        return Handler
