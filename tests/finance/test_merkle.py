"""RFC 6962 trees against hand-computed vectors, and proofs checked for many sizes."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from pyithu.finance import merkle


def h(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]


def test_hashes_match_the_rfc_definitions_by_hand() -> None:
    # Given leaves d0..d4, computed by hand with hashlib
    d = [f"leaf {i}".encode() for i in range(5)]
    a = [h(b"\x00" + x) for x in d]
    n01 = h(b"\x01" + a[0] + a[1])
    n23 = h(b"\x01" + a[2] + a[3])
    n0123 = h(b"\x01" + n01 + n23)
    # Then MTH follows "largest power of two smaller than n"
    assert merkle.root([]) == h(b"")
    assert merkle.root(a[:1]) == a[0]
    assert merkle.root(a[:2]) == n01
    assert merkle.root(a[:3]) == h(b"\x01" + n01 + a[2])
    assert merkle.root(a[:4]) == n0123
    assert merkle.root(a[:5]) == h(b"\x01" + n0123 + a[4])
    # And the proofs are the RFC's PATH and PROOF
    assert merkle.inclusion_proof(2, a[:5]) == [a[3], n01, a[4]]
    assert merkle.inclusion_proof(4, a[:5]) == [n0123]
    assert merkle.consistency_proof(3, a[:4]) == [a[2], a[3], n01]
    assert merkle.consistency_proof(4, a[:5]) == [a[4]]
    assert merkle.consistency_proof(2, a[:5]) == [n23, a[4]]


def test_a_known_vector_from_the_certificate_transparency_test_suite() -> None:
    # The empty-tree root every RFC 6962 implementation agrees on
    assert merkle.root([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    # One leaf of empty data: SHA-256(0x00)
    assert merkle.leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 70), st.data())
def test_every_inclusion_proof_verifies_and_a_tampered_one_fails(n: int, data) -> None:
    a = leaves(n)
    index = data.draw(st.integers(0, n - 1))
    top = merkle.root(a)
    proof = merkle.inclusion_proof(index, a)
    assert merkle.verify_inclusion(a[index], index, n, proof, top)
    # Tampering with the leaf, the index, the size or any proof node fails
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, n, proof, top)
    if n > 1:
        assert not merkle.verify_inclusion(a[index], (index + 1) % n, n, proof, top)
    if proof:
        pos = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[pos] = h(bad[pos])
        assert not merkle.verify_inclusion(a[index], index, n, bad, top)
        assert not merkle.verify_inclusion(a[index], index, n, proof[:-1], top)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 70), st.data())
def test_every_consistency_proof_verifies_and_a_tampered_one_fails(n: int, data) -> None:
    a = leaves(n)
    m = data.draw(st.integers(1, n))
    proof = merkle.consistency_proof(m, a)
    r1, r2 = merkle.root(a[:m]), merkle.root(a)
    assert merkle.verify_consistency(m, n, r1, r2, proof)
    # A rewritten history (a changed old leaf) no longer matches
    forged = list(a)
    forged[data.draw(st.integers(0, m - 1))] = merkle.leaf_hash(b"rewritten")
    assert not merkle.verify_consistency(m, n, merkle.root(forged[:m]), r2, proof)
    if proof:
        pos = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[pos] = h(bad[pos])
        assert not merkle.verify_consistency(m, n, r1, r2, bad)
