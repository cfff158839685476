"""Signed texts: verifiable offline with the public key, bound to their purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyithu.core.signing import SignedTextFormat, derived_signing_key, read_signed_source


class Refused(Exception):
    pass


RX = SignedTextFormat("PYT1", b"test-sign-a", Refused)
CERT = SignedTextFormat("PYT1", b"test-sign-b", Refused)


def test_a_signed_text_opens_with_the_published_key_only() -> None:
    text = RX.sign({"id": "x1", "dose": "1 tablet"})
    assert RX.open(text, RX.public_key_text())["dose"] == "1 tablet"
    # Another purpose's key (same prefix) does not accept it
    with pytest.raises(Refused):
        CERT.open(text)


@pytest.mark.parametrize("broken", ["", "PYT1..", "nonsense", "PYX1.a.b"])
def test_malformed_texts_are_refused(broken: str) -> None:
    with pytest.raises(Refused):
        RX.open(broken)


def test_an_altered_payload_is_refused() -> None:
    prefix, body, signature = RX.sign({"id": "x1"}).split(".")
    altered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB")
    with pytest.raises(Refused):
        RX.open(f"{prefix}.{altered}.{signature}")


def test_purposes_longer_than_blake2b_personalisation_are_refused() -> None:
    with pytest.raises(ValueError):
        SignedTextFormat("X", b"a-purpose-far-too-long", Refused)


def test_verifiers_read_the_text_itself_or_a_file_holding_it(tmp_path: Path) -> None:
    text = RX.sign({"id": "x1"})
    (tmp_path / "rx.txt").write_text(text, encoding="utf-8")
    assert read_signed_source(text, "PYT1") == text
    assert read_signed_source(str(tmp_path / "rx.txt"), "PYT1") == text
    with pytest.raises(ValueError, match="cannot read"):
        read_signed_source(str(tmp_path / "missing.txt"), "PYT1")


def test_derived_keys_differ_by_purpose_and_refuse_long_purposes() -> None:
    assert bytes(derived_signing_key(b"a").verify_key) != bytes(
        derived_signing_key(b"b").verify_key
    )
    with pytest.raises(ValueError):
        derived_signing_key(b"x" * 17)


def test_only_the_one_canonical_spelling_of_a_signed_text_opens() -> None:
    text = RX.sign({"id": "x1", "dose": "1 tablet"})
    prefix, body, signature = text.split(".")
    # Line breaks and spaces from copying are not part of the text
    assert RX.open(text[:20] + "\n " + text[20:])["id"] == "x1"
    # The same signature bytes written another way (padding, changed trailing bits) is refused
    respelled = [
        f"{prefix}.{body}.{signature}==",
        f"{prefix}.{body}=.{signature}",
        f"{prefix}.{body}.{signature[:-1]}{chr(ord(signature[-1]) ^ 1)}",
    ]
    for other in respelled:
        with pytest.raises(Refused):
            RX.open(other)


def test_a_text_over_the_limit_is_refused_not_cut() -> None:
    text = RX.sign({"id": "x1"})
    with pytest.raises(Refused):
        RX.open(text + "A" * 5000)
    with pytest.raises(ValueError, match="at most"):
        RX.sign({"id": "x" * 4000})
