"""The hub's signed address list (decision 0027) and an onion host in the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pyithu.core.mirrors import MirrorListError, public_key, sign_list, verify_list

ONION = "pyithuxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


def test_a_signed_list_round_trips_and_refuses_tampering_and_older_lists() -> None:
    key = public_key()
    first = sign_list(["https://hub.example", f"http://{ONION}"], seq=1)
    assert verify_list(first, key)["addresses"] == ["https://hub.example", f"http://{ONION}"]
    prefix, body, signature = first.split(".")
    swapped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(MirrorListError, match="altered"):
        verify_list(f"{prefix}.{swapped}.{signature}", key)
    with pytest.raises(MirrorListError, match="not newer"):
        verify_list(first, key, newer_than=1)
    other = "A" * 43 + "="
    with pytest.raises(MirrorListError):
        verify_list(first, other)


def test_mirrors_verify_refuses_an_older_list_after_a_newer_one(
    tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    key = public_key()
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(sign_list(["https://a.example"], seq=4))
    new.write_text(sign_list(["https://b.example"], seq=5))
    call_command("mirrors", "verify", str(new), "--key", key)
    with pytest.raises(CommandError, match="not newer"):
        call_command("mirrors", "verify", str(old), "--key", key)
    tampered = tmp_path / "bad.txt"
    tampered.write_text(new.read_text().replace(".", ".x", 1))
    with pytest.raises(CommandError):
        call_command("mirrors", "verify", str(tampered), "--key", key)


def _settings_with(**env: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pyithu.settings", **env}
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS[-1], s.CSRF_TRUSTED_ORIGINS[-1], s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_settings_accept_an_onion_host() -> None:
    assert _settings_with(PYITHU_ONION_HOST=ONION)[:2] == [ONION, f"http://{ONION}"]
    # The process behind the onion service in production: no redirect to https (there is no
    # certificate for the onion), cookies Secure unless the operator says otherwise.
    onion_process = {
        "PYITHU_MODE": "production",
        "PYITHU_SECRET_KEY": "s" * 50,
        "PYITHU_ONION_HOST": ONION.upper(),
        "PYITHU_SSL_REDIRECT": "0",
    }
    assert _settings_with(**onion_process) == [ONION, f"http://{ONION}", "False", "True", "True"]
    relaxed = _settings_with(**onion_process, PYITHU_SECURE_COOKIES="0")
    assert relaxed[3:] == ["False", "False"]


@pytest.fixture
def published(db: Any) -> Any:
    from pyithu.core.mirrors import publish

    publish(["https://hub.example"])
    return publish(["https://mirror.example", f"http://{ONION}"])


def test_the_hub_publishes_numbered_lists_and_hands_on_the_newest(published: Any) -> None:
    from pyithu.core.mirrors import current, publish, short_form

    assert published.seq == 2
    found = current()
    assert found["addresses"] == ["https://mirror.example", f"http://{ONION}"]
    assert verify_list(found["text"], found["key"], newer_than=1)["seq"] == 2
    assert short_form() == f"Pyithu: https://mirror.example http://{ONION}"
    assert len(short_form()) <= 160
    with pytest.raises(MirrorListError, match="above 2"):
        publish(["https://old.example"], seq=2)


def test_the_public_page_shows_the_list_in_burmese_within_budget(
    published: Any, client_my: Any
) -> None:
    page = client_my.get("/mirrors/")
    body = page.content.decode()
    assert page.status_code == 200
    assert ONION in body and "ဤဆိုက်ကို ပိတ်ဆို့ထားလျှင်" in body and "<script" not in body
    assert len(page.content) <= 14 * 1024


def test_the_page_says_when_nothing_is_published(db: Any, client_my: Any) -> None:
    assert "အခြားလိပ်စာ မထုတ်ပြန်ရသေးပါ" in client_my.get("/mirrors/").content.decode()


def test_the_bot_and_sms_help_hand_the_addresses_on(published: Any) -> None:
    from pyithu.outbox.models import Message
    from pyithu.sms.services import receive
    from tests.chat.talk import Person

    mya = Person(5550101)
    mya.say("/start")
    mya.say("မြန်မာ")
    assert ONION in mya.say("/mirrors").text
    assert ONION in mya.say("/help").text
    receive("+959420000001", "HELP")
    bodies = sorted(m.body for m in Message.objects.all())
    assert any(b == f"Pyithu: https://mirror.example http://{ONION}" for b in bodies)
    assert len(bodies) == 2


def test_a_node_hands_on_only_a_list_its_hub_made(db: Any, monkeypatch: Any) -> None:
    """The list travels by sync; a node trusts the one its hub signed, not another node's."""
    from pyithu.core.ids import new_id
    from pyithu.core.mirrors import current
    from pyithu.sync.exchange import claim_origin, import_bundle
    from pyithu.sync.identity import Identity
    from pyithu.sync.services import register_peer
    from pyithu.sync.tracking import forget_node_id
    from tests.sync.conftest import Remote

    hub_text = sign_list(["https://hub.example"], seq=3)  # signed by the hub's key (this ring)
    key = public_key()
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")
    me = Identity.generate()
    claim_origin(me)
    forget_node_id()
    far_hub, other = Remote("hub"), Remote("other node")
    register_peer(far_hub.identity.card, "hub", role="hub")
    register_peer(other.identity.card, "other node")
    now = "2026-11-20T08:00:00+00:00"

    def row(seq: int, text: str) -> dict[str, Any]:
        stamps = {"id": str(new_id()), "created_at": now, "updated_at": now}
        return {**stamps, "seq": seq, "text": text, "public_key": key}

    forged = sign_list(["https://evil.example"], seq=9)
    import_bundle(other.bundle(me, [other.change("core.mirrorlist", row(9, forged))]), me)
    assert current() is None
    import_bundle(far_hub.bundle(me, [far_hub.change("core.mirrorlist", row(3, hub_text))]), me)
    assert current()["addresses"] == ["https://hub.example"]
    forget_node_id()
