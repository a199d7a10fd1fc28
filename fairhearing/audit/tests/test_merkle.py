"""RFC 6962 Merkle tree: roots, the incremental accumulator, inclusion proofs."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhearing.audit.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    roots_at_sizes,
    verify_inclusion,
)

# The eight leaves and roots of the reference Merkle tree tests of RFC 6962 logs
# (certificate-transparency merkle_tree_test).
RFC_LEAVES = [
    bytes.fromhex(text)
    for text in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
RFC_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
RFC_PATH_LEAF0_SIZE8 = [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
]

trees = st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=40)


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH straight from the RFC's recursive definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return hashlib.sha256(
        b"\x01" + reference_root(leaves[:split]) + reference_root(leaves[split:])
    ).digest()


def test_the_empty_tree_has_the_hash_of_nothing_as_root() -> None:
    assert merkle_root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert MerkleAccumulator().root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_rfc_6962_reference_vectors(size: int) -> None:
    assert merkle_root(RFC_LEAVES[:size]).hex() == RFC_ROOTS[size - 1]


def test_the_inclusion_proof_matches_the_rfc_6962_reference_path() -> None:
    assert [p.hex() for p in inclusion_proof(0, RFC_LEAVES)] == RFC_PATH_LEAF0_SIZE8


def test_leaf_and_node_hashes_use_distinct_prefixes() -> None:
    data = bytes(64)
    assert leaf_hash(data) != node_hash(data[:32], data[32:])


@pytest.mark.parametrize("size", range(0, 70))
def test_the_accumulator_agrees_with_the_recursive_definition_at_every_size(size: int) -> None:
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(size)]
    accumulator = MerkleAccumulator()
    for data in leaves:
        accumulator.append(data)
    assert accumulator.size == len(accumulator) == size
    assert accumulator.root() == reference_root(leaves)


def test_roots_at_sizes_gives_the_root_of_each_prefix_in_one_pass() -> None:
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(20)]
    roots = roots_at_sizes(iter(leaves), [0, 1, 7, 16, 20, 25])
    assert roots == {size: reference_root(leaves[:size]) for size in (0, 1, 7, 16, 20)}


@given(trees)
def test_a_proof_for_every_leaf_verifies_against_the_root(leaves: list[bytes]) -> None:
    root = merkle_root(leaves)
    for index, data in enumerate(leaves):
        proof = inclusion_proof(index, leaves)
        assert verify_inclusion(data, index, len(leaves), proof, root)


@given(trees, st.data())
def test_a_proof_fails_for_another_leaf_or_index(leaves: list[bytes], data) -> None:
    size = len(leaves)
    root = merkle_root(leaves)
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof(index, leaves)
    other_leaf = data.draw(st.binary(min_size=32, max_size=32).filter(lambda b: b != leaves[index]))
    assert not verify_inclusion(other_leaf, index, size, proof, root)
    other_index = data.draw(st.integers(0, size).filter(lambda i: i != index))
    # Two leaves may hold the same data; only a distinct leaf at the other index must fail.
    if other_index >= size or leaves[other_index] != leaves[index]:
        assert not verify_inclusion(leaves[index], other_index, size, proof, root)
    # The size is not asserted here: a path can be valid for two sizes (leaf 0 of 3 and of
    # 4 leaves have paths of the same shape), which is why the size comes from a signed
    # checkpoint together with the root.


@given(trees, st.data())
def test_a_proof_fails_when_any_element_is_altered_dropped_or_added(
    leaves: list[bytes], data
) -> None:
    size = len(leaves)
    root = merkle_root(leaves)
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof(index, leaves)
    assert not verify_inclusion(leaves[index], index, size, [*proof, bytes(32)], root)
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        flipped = bytearray(proof[position])
        flipped[data.draw(st.integers(0, 31))] ^= 1 << data.draw(st.integers(0, 7))
        altered = [*proof[:position], bytes(flipped), *proof[position + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, altered, root)
        assert not verify_inclusion(leaves[index], index, size, proof[:-1], root)


def test_a_proof_fails_against_another_root() -> None:
    proof = inclusion_proof(3, RFC_LEAVES)
    assert not verify_inclusion(RFC_LEAVES[3], 3, 8, proof, bytes.fromhex(RFC_ROOTS[6]))


def test_verify_inclusion_returns_false_for_malformed_input_instead_of_raising() -> None:
    root = merkle_root(RFC_LEAVES)
    proof = inclusion_proof(2, RFC_LEAVES)
    assert not verify_inclusion(RFC_LEAVES[2], -1, 8, proof, root)
    assert not verify_inclusion(RFC_LEAVES[2], 8, 8, proof, root)
    assert not verify_inclusion(RFC_LEAVES[2], 2, 8, [p.hex() for p in proof], root)  # type: ignore[misc]
    assert not verify_inclusion(RFC_LEAVES[2], 2, 8, [b"short", *proof[1:]], root)


@pytest.mark.parametrize("index", [-1, 8, 100])
def test_inclusion_proof_rejects_an_index_outside_the_tree(index: int) -> None:
    with pytest.raises(IndexError, match="outside a tree of 8 leaves"):
        inclusion_proof(index, RFC_LEAVES)


def test_a_single_leaf_tree_has_an_empty_proof() -> None:
    assert inclusion_proof(0, [b"only"]) == []
    assert verify_inclusion(b"only", 0, 1, [], leaf_hash(b"only"))
