"""RFC 6962 Merkle tree over audit event hashes (pure Python, no Django).

The construction is that of RFC 6962 section 2.1 (restated in RFC 9162 section 2.1):

* empty tree: ``MTH({}) = SHA-256()``
* leaf: ``MTH({d}) = SHA-256(0x00 || d)``
* node: ``MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`` where ``k`` is the
  largest power of two smaller than ``n``.

The distinct leaf and node prefixes stop a leaf being passed off as an inner node. The
leaf data of the audit log is the raw 32-byte SHA-256 of each event (``bytes.fromhex`` of
the event's hash), in sequence order, so leaf index ``i`` is event ``seq = i + 1``.

A checkpoint signs the root at some tree size. ``MerkleAccumulator`` computes roots
incrementally (amortised one node hash per appended leaf), so one pass over a million
events yields the root at every checkpoint size. ``inclusion_proof`` and
``verify_inclusion`` prove that one event is in a signed tree without revealing the
others.

Trees compose. The root of an aligned block of ``2**h`` leaves (one starting at a multiple
of ``2**h``) is a node of every larger tree, so ranges of the log can be hashed apart (in
parallel) and joined: ``append_subtree`` adds such a block's root to an accumulator, and
``stack_heights`` says which block sizes a range's own stack holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "MerkleAccumulator",
    "inclusion_proof",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "roots_at_sizes",
    "stack_heights",
    "stack_root",
    "verify_inclusion",
]

_sha256 = hashlib.sha256

EMPTY_ROOT = _sha256(b"").digest()
"""Root of the tree with no leaves."""


def leaf_hash(data: bytes) -> bytes:
    """Return ``SHA-256(0x00 || data)``, the hash of one leaf."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return ``SHA-256(0x01 || left || right)``, the hash of an inner node."""
    return _sha256(b"\x01" + left + right).digest()


class MerkleAccumulator:
    """Incremental RFC 6962 tree: append leaves, ask for the root at the current size.

    Keeps one hash per set bit of the size (the roots of the perfect subtrees that make up
    the tree), so memory is O(log n), ``append`` is amortised O(1) hashes and ``root`` is
    O(log n).
    """

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        self._stack: list[bytes] = []
        self._size = 0

    def copy(self) -> MerkleAccumulator:
        """Return an independent accumulator in the same state."""
        other = MerkleAccumulator()
        other._stack = list(self._stack)
        other._size = self._size
        return other

    @property
    def stack(self) -> list[bytes]:
        """A copy of the roots of the perfect subtrees that make up the tree, left to right.

        Their sizes are the set bits of ``size``, largest first (see ``stack_heights``).
        """
        return list(self._stack)

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def __len__(self) -> int:
        return self._size

    def append(self, leaf_data: bytes) -> None:
        """Append one leaf given its data (hashed here with the 0x00 prefix)."""
        self.append_leaf_hash(_sha256(b"\x00" + leaf_data).digest())

    def append_leaf_hash(self, digest: bytes) -> None:
        """Append one leaf given its already computed leaf hash."""
        stack = self._stack
        size = self._size
        # Each trailing 1 bit of the old size is a perfect subtree of the same height as
        # the one being carried: merge them, like binary addition.
        while size & 1:
            digest = _sha256(b"\x01" + stack.pop() + digest).digest()
            size >>= 1
        stack.append(digest)
        self._size += 1

    def append_subtree(self, digest: bytes, height: int) -> None:
        """Append a whole perfect subtree of ``2**height`` leaves, given its root.

        The subtree must start at a multiple of its size, so ``size`` must be a multiple of
        ``2**height`` (raises ``ValueError`` otherwise): then its root is a node of the
        larger tree and merging carries exactly as leaf appends would.
        """
        if not isinstance(height, int) or height < 0:
            raise ValueError(f"height must be an integer >= 0, got {height!r}")
        if self._size & ((1 << height) - 1):
            raise ValueError(
                f"a subtree of {1 << height} leaves cannot follow {self._size} leaves: it "
                "must start at a multiple of its size"
            )
        if not isinstance(digest, bytes) or len(digest) != 32:
            raise ValueError("digest must be the 32 raw bytes of a subtree root")
        stack = self._stack
        carry = self._size >> height
        while carry & 1:
            digest = _sha256(b"\x01" + stack.pop() + digest).digest()
            carry >>= 1
        stack.append(digest)
        self._size += 1 << height

    def root(self) -> bytes:
        """Return the RFC 6962 root of the leaves appended so far."""
        return stack_root(self._stack)


def stack_root(stack: Sequence[bytes]) -> bytes:
    """Return the root of the tree made of the perfect subtrees ``stack``, left to right.

    Their sizes must decrease from left to right, as in an accumulator's ``stack``. The
    right-hand part of such a stack may be replaced by its own root: the result is the same.
    """
    if not stack:
        return EMPTY_ROOT
    # The perfect subtrees from left to right have decreasing sizes, which is exactly the
    # RFC split: fold them from the right.
    digest = stack[-1]
    for left in reversed(stack[:-1]):
        digest = _sha256(b"\x01" + left + digest).digest()
    return digest


def stack_heights(size: int, block_height: int | None = None) -> list[int]:
    """Heights of the perfect subtrees an accumulator of ``size`` leaves holds, left to right.

    Without ``block_height`` these are the set bits of ``size``, largest first. With it, the
    heights of a stack whose merges stop at blocks of ``2**block_height`` leaves (as when
    each block is hashed on its own): one ``block_height`` per whole block, then the set bits
    of the remainder.
    """
    if size < 0:
        raise ValueError(f"size must be >= 0, got {size}")
    heights: list[int] = []
    if block_height is not None:
        heights = [block_height] * (size >> block_height)
        size &= (1 << block_height) - 1
    heights.extend(bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1)
    return heights


def merkle_root(leaves: Sequence[bytes] | Iterable[bytes]) -> bytes:
    """Return the RFC 6962 root of ``leaves`` (leaf data, not leaf hashes)."""
    accumulator = MerkleAccumulator()
    for data in leaves:
        accumulator.append(data)
    return accumulator.root()


def roots_at_sizes(leaves: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """Return ``{size: root}`` for each requested size, in one pass over ``leaves``.

    Sizes larger than the number of leaves are left out of the result.
    """
    wanted = set(sizes)
    if any(size < 0 for size in wanted):
        raise ValueError(f"tree sizes must be >= 0, got {sorted(wanted)[0]}")
    accumulator = MerkleAccumulator()
    roots: dict[int, bytes] = {}
    if 0 in wanted:
        roots[0] = EMPTY_ROOT
    for data in leaves:
        accumulator.append(data)
        if accumulator.size in wanted:
            roots[accumulator.size] = accumulator.root()
    return roots


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_root(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    accumulator = MerkleAccumulator()
    for index in range(start, end):
        accumulator.append_leaf_hash(hashes[index])
    return accumulator.root()


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Return the audit path for leaf ``index`` (0-based) in the tree of all ``leaves``.

    The path lists sibling subtree roots from the leaf upwards (RFC 6962 PATH(m, D[n])).
    For event ``seq`` pass ``index = seq - 1``. Raises ``IndexError`` if ``index`` is not a
    leaf of the tree.
    """
    size = len(leaves)
    if not isinstance(index, int) or isinstance(index, bool):
        raise TypeError(f"index must be an int, got {type(index).__name__}")
    if not 0 <= index < size:
        raise IndexError(
            f"leaf index {index} is outside a tree of {size} leaves (valid: 0..{size - 1})"
        )
    hashes = [_sha256(b"\x00" + data).digest() for data in leaves]
    path: list[bytes] = []
    start, end, position = 0, size, index
    # Walk down from the root, collecting the sibling of each step; the RFC lists the
    # path bottom-up, so the collected siblings are reversed at the end.
    while end - start > 1:
        split = _largest_power_of_two_below(end - start)
        if position < split:
            path.append(_subtree_root(hashes, start + split, end))
            end = start + split
        else:
            path.append(_subtree_root(hashes, start, start + split))
            start += split
            position -= split
    path.reverse()
    return path


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Return whether ``proof`` shows leaf data ``leaf`` at ``index`` in the tree ``root``.

    Implements RFC 9162 section 2.1.3.2. Never raises for a malformed proof: any proof
    element that is not 32 bytes, an index outside the tree, or a path of the wrong
    length gives ``False``.
    """
    if not isinstance(index, int) or not isinstance(tree_size, int):
        return False
    if not 0 <= index < tree_size:
        return False
    fn, sn = index, tree_size - 1
    digest = _sha256(b"\x00" + leaf).digest()
    for sibling in proof:
        if not isinstance(sibling, bytes) or len(sibling) != 32 or sn == 0:
            return False
        if fn & 1 or fn == sn:
            digest = _sha256(b"\x01" + sibling + digest).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            digest = _sha256(b"\x01" + digest + sibling).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and digest == root
