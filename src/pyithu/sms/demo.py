"""Demo: nothing to create (texts come from phones); how to try the SMS service on a laptop."""

from __future__ import annotations

from pyithu.sms.config import config


def load() -> list[str]:
    lines = [
        "SMS: run `pyithu sms fake-gateway` in another terminal, then start Pyithu with "
        "PYITHU_SMS_GATEWAY_URL=http://127.0.0.1:8765/send PYITHU_SMS_GATEWAY_TOKEN=gateway-secret",
        'SMS: `pyithu sms receive +959123456789 "RESULT <exam code>"` answers a text as the '
        "gateway would post it; `pyithu outbox send` delivers the reply to the fake gateway",
    ]
    if not config().inbound_token:
        lines.append("SMS: set PYITHU_SMS_INBOUND_TOKEN to open the /sms/inbound/ webhook")
    return lines
