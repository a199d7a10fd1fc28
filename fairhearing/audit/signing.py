"""Ed25519-signed checkpoints of the audit log (pure Python, no Django).

A checkpoint states "the log had ``tree_size`` events and their Merkle root was ``root``
at ``issued_at``", signed with a key that lives outside the database (a PEM file whose
path comes from ``FAIRHEARING_AUDIT_KEY``). Whoever can rewrite the database but not read
the key cannot produce a valid checkpoint for a rewritten log.

The overseer keeps an export of the checkpoints (``export_checkpoints``: the public key
and the signed checkpoints, as JSON). Verification against that export detects even a log
rebuilt from scratch and re-signed with a fresh key.

The signed message is the UTF-8 text::

    fairhearing.audit.checkpoint.v1
    <tree_size>
    <root, 64 lowercase hex>
    <issued_at>
    <key_id>

(each line ends with a newline). No field can contain a newline in a well-formed
checkpoint, so the lines are unambiguous.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "EXPORT_FORMAT",
    "KEY_ENV_VAR",
    "AuditKeyError",
    "Checkpoint",
    "export_checkpoints",
    "generate_key_file",
    "import_checkpoints",
    "key_id",
    "load_private_key",
    "load_public_key_pem",
    "public_key_pem",
    "sign_checkpoint",
    "verify_checkpoint",
]

KEY_ENV_VAR = "FAIRHEARING_AUDIT_KEY"
EXPORT_FORMAT = "fairhearing.audit.checkpoints.v1"
_MESSAGE_HEADER = "fairhearing.audit.checkpoint.v1"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")


class AuditKeyError(Exception):
    """The signing key file is missing, unreadable, or not an Ed25519 private key."""


def key_id(public_key: Ed25519PublicKey) -> str:
    """Return the key id: the first 16 hex digits of SHA-256 of the raw 32-byte key."""
    raw = public_key.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    """Return the public key as PEM (SubjectPublicKeyInfo) text."""
    return public_key.public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode("ascii")


def load_public_key_pem(text: str) -> Ed25519PublicKey:
    """Parse an Ed25519 public key from PEM text; ``ValueError`` if it is anything else."""
    try:
        key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise ValueError(f"public_key is not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"public_key is a {type(key).__name__}, not an Ed25519 public key")
    return key


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the log's size and Merkle root at a moment.

    ``root`` is lowercase hex, ``issued_at`` ISO 8601 with a UTC offset, ``key_id`` the id
    of the signing key (see ``key_id``), ``signature`` the base64 Ed25519 signature of
    ``signed_message()``. Construction does not validate, so damaged stored checkpoints
    can still be loaded and reported; ``from_dict`` validates input from outside.
    """

    tree_size: int
    root: str
    issued_at: str
    key_id: str
    signature: str

    def signed_message(self) -> bytes:
        """Return the exact bytes the signature covers."""
        return (
            f"{_MESSAGE_HEADER}\n{self.tree_size}\n{self.root}\n{self.issued_at}\n{self.key_id}\n"
        ).encode()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the five fields."""
        return {
            "tree_size": self.tree_size,
            "root": self.root,
            "issued_at": self.issued_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        """Build a checkpoint from a dict, raising ``ValueError`` naming a bad field.

        Checks shapes only (a signature that does not verify is a finding for
        ``verify``, not a parse error).
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a checkpoint must be an object, got {type(data).__name__}")
        expected = {"tree_size", "root", "issued_at", "key_id", "signature"}
        missing = expected - data.keys()
        if missing:
            raise ValueError(f"checkpoint is missing field(s): {', '.join(sorted(missing))}")
        unknown = data.keys() - expected
        if unknown:
            raise ValueError(f"checkpoint has unknown field(s): {', '.join(sorted(unknown))}")
        tree_size = data["tree_size"]
        if not isinstance(tree_size, int) or isinstance(tree_size, bool) or tree_size < 0:
            raise ValueError(f"checkpoint tree_size must be an integer >= 0, got {tree_size!r}")
        root = data["root"]
        if not isinstance(root, str) or not _HEX64.fullmatch(root):
            raise ValueError(f"checkpoint root must be 64 lowercase hex digits, got {root!r}")
        issued_at = data["issued_at"]
        if not isinstance(issued_at, str) or "\n" in issued_at:
            raise ValueError(f"checkpoint issued_at must be an ISO 8601 string, got {issued_at!r}")
        try:
            moment = datetime.fromisoformat(issued_at)
        except ValueError:
            raise ValueError(
                f"checkpoint issued_at must be ISO 8601, like "
                f"2026-11-22T10:00:00.000000+00:00; got {issued_at!r}"
            ) from None
        if moment.tzinfo is None:
            raise ValueError(f"checkpoint issued_at must carry a UTC offset, got {issued_at!r}")
        kid = data["key_id"]
        if not isinstance(kid, str) or not _HEX16.fullmatch(kid):
            raise ValueError(f"checkpoint key_id must be 16 lowercase hex digits, got {kid!r}")
        signature = data["signature"]
        if not isinstance(signature, str) or _decode_signature(signature) is None:
            raise ValueError(f"checkpoint signature must be base64 of 64 bytes, got {signature!r}")
        return cls(
            tree_size=tree_size, root=root, issued_at=issued_at, key_id=kid, signature=signature
        )


def _decode_signature(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == 64 else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an unencrypted PEM Ed25519 private key from ``path``.

    Raises ``AuditKeyError`` naming the path and ``FAIRHEARING_AUDIT_KEY`` if the file is
    missing, unreadable, or holds something other than an Ed25519 private key.
    """
    path = Path(path)
    hint = (
        f"set {KEY_ENV_VAR} to the path of the audit signing key "
        "(a PEM Ed25519 private key kept outside the database)"
    )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AuditKeyError(f"audit signing key {path} does not exist; {hint}") from None
    except IsADirectoryError:
        raise AuditKeyError(
            f"audit signing key {path} is a directory, not a file; {hint}"
        ) from None
    except OSError as exc:
        raise AuditKeyError(
            f"audit signing key {path} cannot be read ({exc.strerror}); {hint}"
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise AuditKeyError(
            f"audit signing key {path} is not an unencrypted PEM private key ({exc}); {hint}"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(
            f"audit signing key {path} is a {type(key).__name__}, not Ed25519; {hint}"
        )
    return key


def generate_key_file(path: Path) -> Ed25519PrivateKey:
    """Create a new Ed25519 key at ``path`` (PEM, PKCS8, mode 0600) and return it.

    Refuses to overwrite: an existing file raises ``AuditKeyError``, because replacing
    the key would orphan every checkpoint signed with it. The parent directory must exist.
    """
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    try:
        # O_EXCL makes the existence check and the creation one atomic step.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AuditKeyError(
            f"audit signing key {path} already exists; refusing to overwrite it "
            "(checkpoints signed with it would no longer verify). Choose another path."
        ) from None
    except OSError as exc:
        raise AuditKeyError(f"cannot create audit signing key {path} ({exc.strerror})") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
    finally:
        os.close(fd)
    return key


def sign_checkpoint(
    key: Ed25519PrivateKey, *, tree_size: int, root: bytes, issued_at: str
) -> Checkpoint:
    """Sign the statement that the tree of ``tree_size`` leaves has root ``root``."""
    if not isinstance(tree_size, int) or isinstance(tree_size, bool) or tree_size < 0:
        raise ValueError(f"tree_size must be an integer >= 0, got {tree_size!r}")
    if not isinstance(root, bytes) or len(root) != 32:
        raise ValueError("root must be the 32 raw bytes of a SHA-256 Merkle root")
    if not isinstance(issued_at, str) or "\n" in issued_at:
        raise ValueError(f"issued_at must be an ISO 8601 string, got {issued_at!r}")
    unsigned = Checkpoint(
        tree_size=tree_size,
        root=root.hex(),
        issued_at=issued_at,
        key_id=key_id(key.public_key()),
        signature="",
    )
    signature = key.sign(unsigned.signed_message())
    return Checkpoint(
        tree_size=unsigned.tree_size,
        root=unsigned.root,
        issued_at=unsigned.issued_at,
        key_id=unsigned.key_id,
        signature=base64.b64encode(signature).decode("ascii"),
    )


def verify_checkpoint(cp: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    """Return whether ``cp`` names ``public_key`` and carries its valid signature.

    Never raises for a damaged checkpoint: malformed fields give ``False``.
    """
    if cp.key_id != key_id(public_key):
        return False
    if not isinstance(cp.signature, str):
        return False
    signature = _decode_signature(cp.signature)
    if signature is None:
        return False
    try:
        message = cp.signed_message()
        public_key.verify(signature, message)
    except (InvalidSignature, UnicodeEncodeError):
        return False
    return True


def export_checkpoints(cps: Iterable[Checkpoint], public_key: Ed25519PublicKey) -> str:
    """Return a JSON document holding the public key (PEM), its id and the checkpoints.

    This is what the overseer keeps outside the organisation's systems.
    """
    document = {
        "format": EXPORT_FORMAT,
        "public_key": public_key_pem(public_key),
        "key_id": key_id(public_key),
        "checkpoints": [cp.to_dict() for cp in cps],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def import_checkpoints(text: str) -> tuple[Ed25519PublicKey, list[Checkpoint]]:
    """Parse a document written by ``export_checkpoints``.

    Raises ``ValueError`` saying what is wrong: not JSON, wrong format marker, a public
    key that is not Ed25519 PEM, a ``key_id`` that does not match that key, or a malformed
    checkpoint (named by its position). Signatures are checked by ``verify``.
    """
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"checkpoint export is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ValueError("checkpoint export must be a JSON object")
    if document.get("format") != EXPORT_FORMAT:
        raise ValueError(
            f"checkpoint export has format {document.get('format')!r}, expected "
            f"{EXPORT_FORMAT!r}; was it written by 'fairhearing audit export'?"
        )
    pem = document.get("public_key")
    if not isinstance(pem, str):
        raise ValueError("checkpoint export has no public_key PEM text")
    public_key = load_public_key_pem(pem)
    if document.get("key_id") != key_id(public_key):
        raise ValueError(
            f"checkpoint export key_id {document.get('key_id')!r} does not match its "
            f"public key (id {key_id(public_key)})"
        )
    entries = document.get("checkpoints")
    if not isinstance(entries, list):
        raise ValueError("checkpoint export has no checkpoints list")
    checkpoints = []
    for position, entry in enumerate(entries):
        try:
            checkpoints.append(Checkpoint.from_dict(entry))
        except ValueError as exc:
            raise ValueError(f"checkpoint export entry {position}: {exc}") from None
    return public_key, checkpoints
