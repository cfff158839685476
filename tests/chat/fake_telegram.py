"""A small Telegram Bot API for tests: real JSON shapes, one thread per request, recording
what the bot sends. Tests push what a person types with ``say`` and read the bot's messages
with ``wait_for``; ``down = True`` answers 502 as Telegram's front does during an outage."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TOKEN = "123456:TEST-token-for-the-fake-api"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Pyithu",
    "username": "PyithuBot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


def _decode(value: str) -> Any:
    """Form values are JSON-encoded except plain strings (python-telegram-bot's encoding)."""
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegram:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.webhook: dict[str, Any] = {}
        self.down = False
        self._next_update = 1
        self._next_message = 1
        self._changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeTelegram:
        self.thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._changed.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # --- what tests do ---------------------------------------------------------------------

    def update(self, user_id: int, text: str | None, *, chat_type: str = "private") -> dict:
        """A real ``Update`` with a message from a person (a sticker when ``text`` is None)."""
        with self._changed:
            update_id, message_id = self._next_update, self._next_message
            self._next_update += 1
            self._next_message += 1
        person = {"id": user_id, "is_bot": False, "first_name": "Mya", "language_code": "my"}
        chat = {"id": user_id, "type": chat_type, "first_name": "Mya"}
        if chat_type != "private":
            chat = {"id": -1000 - user_id, "type": chat_type, "title": "Village group"}
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": person,
        }
        if text is None:
            message["sticker"] = {
                "file_id": "CAACAgIAAxk",
                "file_unique_id": "AgADxk",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        else:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split(" ", 1)[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": update_id, "message": message}

    def say(self, user_id: int, text: str | None, **kwargs: Any) -> None:
        with self._changed:
            self.updates.append(self.update(user_id, text, **kwargs))
            self._changed.notify_all()

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        with self._changed:
            return [m for m in self.sent if m["chat_id"] == chat_id]

    def wait_for(self, chat_id: int, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The first ``count`` messages sent to ``chat_id``, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [m for m in self.sent if m["chat_id"] == chat_id]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"bot sent {len(found)} of {count} messages: {found}")
                self._changed.wait(left)

    # --- the Bot API -----------------------------------------------------------------------

    def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append(method)
        if self.down:
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "sendMessage":
            return 200, {"ok": True, "result": self._send_message(params)}
        if method == "setWebhook":
            self.webhook = params
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        if method == "deleteWebhook":
            self.webhook = {}
            return 200, {"ok": True, "result": True, "description": "Webhook was deleted"}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._changed:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.updates)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            record = {
                "chat_id": int(params["chat_id"]),
                "text": str(params["text"]),
                "reply_markup": params.get("reply_markup"),
            }
            self.sent.append(record)
            message_id = self._next_message
            self._next_message += 1
            self._changed.notify_all()
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": record["chat_id"], "type": "private"},
            "from": BOT_USER,
            "text": record["text"],
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size).decode("utf-8")
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(body or "{}")
                else:
                    params = {k: _decode(v[0]) for k, v in parse_qs(body).items()}
                    if "text" in params:  # a text is never JSON-decoded
                        params["text"] = parse_qs(body)["text"][0]
                self._answer(params)

            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                self._answer({k: _decode(v[0]) for k, v in query.items()})

            def _answer(self, params: dict[str, Any]) -> None:
                parts = urlparse(self.path).path.strip("/").split("/")
                if len(parts) != 2 or parts[0] != f"bot{TOKEN}":
                    status = 401
                    payload = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                else:
                    status, payload = fake._call(parts[1], params)
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
