"""Ed25519-signed checkpoints, the key file, and the overseer's export."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairhearing.audit.signing import (
    AuditKeyError,
    Checkpoint,
    export_checkpoints,
    generate_key_file,
    import_checkpoints,
    key_id,
    load_private_key,
    load_public_key_pem,
    public_key_pem,
    sign_checkpoint,
    verify_checkpoint,
)

KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
ROOT = hashlib.sha256(b"root").digest()
WHEN = "2026-11-22T10:00:00.000000+00:00"


def checkpoint(size: int = 10) -> Checkpoint:
    return sign_checkpoint(KEY, tree_size=size, root=ROOT, issued_at=WHEN)


def test_a_signed_checkpoint_verifies_under_its_key() -> None:
    cp = checkpoint()
    assert (cp.tree_size, cp.root, cp.issued_at) == (10, ROOT.hex(), WHEN)
    assert cp.key_id == key_id(KEY.public_key())
    assert verify_checkpoint(cp, KEY.public_key())


def test_a_checkpoint_does_not_verify_under_another_key() -> None:
    assert not verify_checkpoint(checkpoint(), OTHER_KEY.public_key())


TAMPERS = {
    "tree_size": lambda cp: dataclasses.replace(cp, tree_size=cp.tree_size + 1),
    "root": lambda cp: dataclasses.replace(cp, root="0" + cp.root[1:]),
    "issued_at": lambda cp: dataclasses.replace(cp, issued_at=cp.issued_at.replace("10:", "11:")),
    "key_id": lambda cp: dataclasses.replace(cp, key_id=key_id(OTHER_KEY.public_key())),
    "signature": lambda cp: dataclasses.replace(cp, signature=base64.b64encode(bytes(64)).decode()),
    "signature (not base64)": lambda cp: dataclasses.replace(cp, signature="not base64!"),
    "signature (truncated)": lambda cp: dataclasses.replace(cp, signature=cp.signature[:40]),
    "signature (of another checkpoint)": lambda cp: dataclasses.replace(
        cp, signature=checkpoint(cp.tree_size + 1).signature
    ),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_any_change_to_a_checkpoint_breaks_its_signature(tamper) -> None:
    assert not verify_checkpoint(tamper(checkpoint()), KEY.public_key())


def test_the_signed_message_names_every_field_on_its_own_line() -> None:
    cp = checkpoint()
    assert cp.signed_message().decode().splitlines() == [
        "fairhearing.audit.checkpoint.v1",
        "10",
        ROOT.hex(),
        WHEN,
        cp.key_id,
    ]


def test_key_id_is_the_start_of_the_sha256_of_the_raw_public_key() -> None:
    raw = KEY.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    assert key_id(KEY.public_key()) == hashlib.sha256(raw).hexdigest()[:16]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"tree_size": -1, "root": ROOT}, "tree_size"),
        ({"tree_size": True, "root": ROOT}, "tree_size"),
        ({"tree_size": 1, "root": ROOT.hex()}, "32 raw bytes"),
        ({"tree_size": 1, "root": ROOT[:31]}, "32 raw bytes"),
        ({"tree_size": 1, "root": ROOT, "issued_at": "a\nb"}, "issued_at"),
    ],
)
def test_sign_checkpoint_rejects_bad_arguments(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sign_checkpoint(KEY, **{"issued_at": WHEN, **arguments})


def test_a_checkpoint_survives_a_round_trip_through_a_dict() -> None:
    cp = checkpoint()
    assert Checkpoint.from_dict(json.loads(json.dumps(cp.to_dict()))) == cp


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tree_size": "10"}, "tree_size must be an integer"),
        ({"tree_size": -3}, "tree_size must be an integer"),
        ({"root": "XYZ"}, "root must be 64 lowercase hex"),
        ({"issued_at": "yesterday"}, "issued_at must be ISO 8601"),
        ({"issued_at": "2026-11-22T10:00:00"}, "UTC offset"),
        ({"key_id": "abc"}, "key_id must be 16 lowercase hex"),
        ({"signature": "@@@"}, "signature must be base64 of 64 bytes"),
        ({"extra": 1}, "unknown field"),
    ],
)
def test_from_dict_rejects_bad_input_naming_the_field(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Checkpoint.from_dict({**checkpoint().to_dict(), **change})


def test_from_dict_names_missing_fields() -> None:
    data = checkpoint().to_dict()
    del data["root"]
    with pytest.raises(ValueError, match=r"missing field.*root"):
        Checkpoint.from_dict(data)


def test_generate_key_file_writes_a_private_pem_only_the_owner_can_read(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    key = generate_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key_id(load_private_key(path).public_key()) == key_id(key.public_key())


def test_generate_key_file_refuses_to_overwrite_an_existing_key(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    generate_key_file(path)
    before = path.read_bytes()
    with pytest.raises(AuditKeyError, match="already exists; refusing to overwrite"):
        generate_key_file(path)
    assert path.read_bytes() == before


def test_generate_key_file_names_a_path_it_cannot_create(tmp_path: Path) -> None:
    with pytest.raises(AuditKeyError, match="cannot create"):
        generate_key_file(tmp_path / "missing-directory" / "audit.pem")


def test_load_private_key_names_the_path_and_variable_when_the_file_is_missing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nowhere.pem"
    with pytest.raises(AuditKeyError, match="FAIRHEARING_AUDIT_KEY") as caught:
        load_private_key(path)
    assert str(path) in str(caught.value)
    assert "does not exist" in str(caught.value)


def test_load_private_key_rejects_a_directory(tmp_path: Path) -> None:
    with pytest.raises(AuditKeyError, match="is a directory"):
        load_private_key(tmp_path)


def test_load_private_key_rejects_a_file_that_is_not_a_pem_key(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    path.write_text("not a key\n")
    with pytest.raises(AuditKeyError, match="not an unencrypted PEM private key"):
        load_private_key(path)


def test_load_private_key_rejects_an_encrypted_key(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    path.write_bytes(
        KEY.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.BestAvailableEncryption(b"secret"),
        )
    )
    with pytest.raises(AuditKeyError, match=r"not an unencrypted PEM private key.*FAIRHEARING"):
        load_private_key(path)


def test_load_private_key_rejects_a_key_of_another_algorithm(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
    )
    with pytest.raises(AuditKeyError, match="not Ed25519"):
        load_private_key(path)


def test_a_public_key_survives_a_round_trip_through_pem() -> None:
    pem = public_key_pem(KEY.public_key())
    assert key_id(load_public_key_pem(pem)) == key_id(KEY.public_key())


def test_load_public_key_pem_rejects_other_text() -> None:
    with pytest.raises(ValueError, match="not a PEM public key"):
        load_public_key_pem("hello")


def test_checkpoints_survive_an_export_and_import() -> None:
    cps = [checkpoint(5), checkpoint(10)]
    public_key, imported = import_checkpoints(export_checkpoints(cps, KEY.public_key()))
    assert key_id(public_key) == key_id(KEY.public_key())
    assert imported == cps
    assert all(verify_checkpoint(cp, public_key) for cp in imported)


def exported(**change: object) -> str:
    document = json.loads(export_checkpoints([checkpoint()], KEY.public_key()))
    document.update(change)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        (exported(format="something-else"), "expected 'fairhearing.audit.checkpoints.v1'"),
        (exported(public_key=None), "no public_key"),
        (exported(public_key="garbage"), "not a PEM public key"),
        (exported(key_id="0000000000000000"), "does not match its public key"),
        (exported(checkpoints={}), "no checkpoints list"),
        (exported(checkpoints=[{"tree_size": 1}]), "entry 0: checkpoint is missing"),
    ],
)
def test_import_rejects_a_bad_export_saying_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_checkpoints(text)
