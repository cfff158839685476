"""The standalone verifiers, run as commands over published JSON files."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pyithu.accounts.models import Role
from pyithu.finance.services import agents, crowdfunding, lottery


@pytest.fixture
def staff(make_staff, currencies):
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    kyaw = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(kyaw, 10**7, by=htet)
    agents.fund_float(agent, "MMK", 10**6, "f", by=htet)
    return htet, kyaw


def test_lottery_verify_from_a_published_file(tmp_path, alice, staff) -> None:
    htet, kyaw = staff
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    game = lottery.create_lottery(htet, "L", "MMK", 1_000, [500], "drand round 1")
    for i in range(4):
        lottery.buy_ticket(alice, game, f"t{i}")
    game = lottery.run_draw(htet, lottery.close_sales(htet, game), "beacon")
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(lottery.public_record(game)))
    call_command("lottery", "verify", str(path))
    # When someone claims another winner, the verifier says no
    public = lottery.public_record(game)
    public["winners"] = [5 - public["winners"][0]]
    path.write_text(json.dumps(public))
    with pytest.raises(CommandError):
        call_command("lottery", "verify", str(path))


def test_transparency_verify_receipt_and_extension(tmp_path, alice, staff) -> None:
    htet, kyaw = staff
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    camp = crowdfunding.create_campaign(htet, "school", "School", "ကျောင်း", "MMK", 10**6)
    receipt = crowdfunding.donate(alice, camp, 1_000, "d1")
    crowdfunding.donate(alice, camp, 2_000, "d2")
    new = crowdfunding.sth_dict(crowdfunding.sign_tree_head())
    files = {
        "r.json": receipt,
        "old.json": receipt["sth"],
        "new.json": new,
        "proof.json": crowdfunding.consistency(receipt["sth"]["tree_size"], new["tree_size"]),
    }
    for name, body in files.items():
        (tmp_path / name).write_text(json.dumps(body))
    call_command(
        "transparency",
        "verify",
        "--receipt",
        str(tmp_path / "r.json"),
        "--old",
        str(tmp_path / "old.json"),
        "--new",
        str(tmp_path / "new.json"),
        "--proof",
        str(tmp_path / "proof.json"),
        "--key",
        receipt["public_key"],
    )
    (tmp_path / "r.json").write_text(json.dumps({**receipt, "secret": "not mine"}))
    with pytest.raises(CommandError):
        call_command("transparency", "verify", "--receipt", str(tmp_path / "r.json"))


def test_a_receipt_signed_with_someone_elses_key_does_not_verify(tmp_path, alice, staff) -> None:
    import nacl.signing

    from pyithu.finance import keys, transparency

    # Given a real receipt, and a forger who re-signs its tree head with a key of their own
    htet, kyaw = staff
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    camp = crowdfunding.create_campaign(htet, "school", "School", "ကျောင်း", "MMK", 10**6)
    receipt = crowdfunding.donate(alice, camp, 1_000, "d1")
    forger = nacl.signing.SigningKey.generate()
    sth = {**receipt["sth"], "root_hash": "ab" * 32}
    message = transparency.sth_message(sth["tree_size"], sth["root_hash"], sth["timestamp"])
    sth["signature"] = forger.sign(message).signature.hex()
    forged = {**receipt, "sth": sth, "public_key": keys.public_hex(forger)}
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    # When it is checked with the command, the log's published key is used and named
    out = StringIO()
    with pytest.raises(CommandError, match="FAILED"):
        call_command(
            "transparency", "verify", "--receipt", str(tmp_path / "forged.json"), stdout=out
        )
    assert keys.public_hex(keys.log_key()) in out.getvalue()
    # And a genuine receipt verifies against it
    (tmp_path / "real.json").write_text(json.dumps(receipt))
    call_command("transparency", "verify", "--receipt", str(tmp_path / "real.json"), stdout=out)


@pytest.mark.parametrize("body", ["[]", '{"sth": 5}', '{"sth": {}, "leaf_data": 1}', '"x"'])
def test_a_malformed_receipt_gets_a_clean_error(tmp_path, body) -> None:
    (tmp_path / "r.json").write_text(body)
    with pytest.raises(CommandError, match=r"malformed|FAILED"):
        call_command("transparency", "verify", "--receipt", str(tmp_path / "r.json"))


def test_proofs_refuse_anything_but_32_byte_hashes() -> None:
    from pyithu.finance import merkle

    # A one-leaf tree whose "root" is the leaf's data, not its hash
    data = b"anything"
    assert not merkle.verify_inclusion(data, 0, 1, [], data)
    leaf = merkle.leaf_hash(data)
    assert merkle.verify_inclusion(leaf, 0, 1, [], leaf)
    assert not merkle.verify_inclusion(leaf, 0, 2, [b"short"], leaf)
    assert not merkle.verify_consistency(1, 1, b"x", b"x", [])
