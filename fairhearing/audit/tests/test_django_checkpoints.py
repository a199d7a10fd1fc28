"""Checkpoints, the tick hook, export, verification runs and inclusion proofs over the database."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fairhearing.audit import merkle, services, signing
from fairhearing.audit.models import AuditEvent, Checkpoint, VerificationRun
from fairhearing.core.testing import open_case
from fairhearing.workflow import tick_hooks


@pytest.fixture
def key_path(tmp_path, settings):  # type: ignore[no-untyped-def]
    path = tmp_path / "audit-key.pem"
    settings.FAIRHEARING_AUDIT_KEY = path
    call_command("audit", "keygen", stdout=StringIO())
    return path


def run(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_keygen_refuses_to_overwrite_an_existing_key(key_path):
    before = key_path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("audit", "keygen", stdout=StringIO())
    assert key_path.read_bytes() == before


def test_a_checkpoint_signs_the_merkle_root_of_every_event(personas, key_path):
    open_case(personas)
    stored = services.checkpoint_write(actor="system:test")
    assert stored is not None
    hashes = [bytes.fromhex(h) for h in AuditEvent.objects.filter(seq__lte=stored.tree_size).order_by("seq").values_list("hash", flat=True)]
    assert stored.tree_size == len(hashes) == AuditEvent.objects.count() - 1
    assert stored.root == merkle.merkle_root(hashes).hex()
    public = signing.load_private_key(key_path).public_key()
    assert signing.verify_checkpoint(stored.as_signed(), public)
    assert AuditEvent.objects.order_by("-seq").first().action == "audit.checkpoint_written"


def test_a_second_checkpoint_with_nothing_new_is_not_written(personas, key_path):
    open_case(personas)
    assert services.checkpoint_write(actor="system:test") is not None
    assert services.checkpoint_write(actor="system:test") is None
    assert Checkpoint.objects.count() == 1


def test_the_tick_hook_writes_a_checkpoint(personas, key_path):
    open_case(personas)
    results = tick_hooks.run_all()
    assert results["audit.checkpoint"].startswith("checkpoint at tree size")
    assert Checkpoint.objects.count() == 1


def test_the_tick_hook_skips_with_a_warning_when_the_key_is_missing(personas, tmp_path, settings, caplog):
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "missing.pem"
    open_case(personas)
    with caplog.at_level(logging.WARNING, logger="fairhearing.audit"):
        result = services.checkpoint_tick()
    assert result.startswith("skipped")
    assert "audit keygen" in caplog.text
    assert Checkpoint.objects.count() == 0


def test_verify_without_a_key_checks_the_chain_and_says_checkpoints_were_not(personas, tmp_path, settings):
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "missing.pem"
    open_case(personas)
    status, output = run("verify")
    assert status == 0
    assert "could not be loaded" in output and "not checked" in output
    assert VerificationRun.objects.get().signatures_checked is False


def test_verify_of_an_intact_log_succeeds_and_is_recorded(personas, key_path):
    open_case(personas)
    call_command("audit", "checkpoint", stdout=StringIO())
    status, output = run("verify")
    assert status == 0, output
    assert output.startswith("OK")
    run_ = VerificationRun.objects.get()
    assert run_.ok and run_.checkpoints_checked == 1
    assert AuditEvent.objects.order_by("-seq").first().action == "audit.verified"


def test_export_then_verify_against_the_overseer_copy_succeeds(personas, key_path, tmp_path):
    open_case(personas)
    call_command("audit", "checkpoint", stdout=StringIO())
    copy = tmp_path / "overseer.json"
    call_command("audit", "export-checkpoints", "-o", str(copy), stdout=StringIO())
    _public, checkpoints = signing.import_checkpoints(copy.read_text())
    assert len(checkpoints) == 1
    status, output = run("verify", "--against", str(copy))
    assert status == 0, output


def test_verify_rejects_a_malformed_overseer_copy(personas, key_path, tmp_path):
    copy = tmp_path / "overseer.json"
    copy.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("audit", "verify", "--against", str(copy), stdout=StringIO())


def test_prove_gives_an_inclusion_proof_that_checks_against_the_signed_root(personas, key_path):
    open_case(personas)
    open_case(personas, respondent="Another Person")
    call_command("audit", "checkpoint", stdout=StringIO())
    out = StringIO()
    call_command("audit", "prove", "3", stdout=out)
    proof = json.loads(out.getvalue())
    event = AuditEvent.objects.get(seq=3)
    assert proof["event_hash"] == event.hash
    assert proof["proof_valid"] is True and proof["signature_valid"] is True
    path = [bytes.fromhex(node) for node in proof["proof"]]
    assert merkle.verify_inclusion(bytes.fromhex(event.hash), 2, proof["tree_size"], path, bytes.fromhex(proof["root"]))
    other = AuditEvent.objects.get(seq=4)
    assert not merkle.verify_inclusion(bytes.fromhex(other.hash), 2, proof["tree_size"], path, bytes.fromhex(proof["root"]))


def test_prove_explains_when_no_checkpoint_covers_the_event(personas, key_path):
    open_case(personas)
    with pytest.raises(CommandError, match="No checkpoint covers event 1"):
        call_command("audit", "prove", "1", stdout=StringIO())
    with pytest.raises(CommandError, match="no event with sequence number 999"):
        call_command("audit", "prove", "999", stdout=StringIO())


def test_prove_accepts_the_event_hash_printed_on_a_receipt(personas, key_path):
    open_case(personas)
    call_command("audit", "checkpoint", stdout=StringIO())
    event = AuditEvent.objects.get(seq=2)
    out = StringIO()
    call_command("audit", "prove", event.hash.upper(), stdout=out)
    assert json.loads(out.getvalue())["seq"] == 2
    with pytest.raises(CommandError, match="No event has the hash"):
        call_command("audit", "prove", "a" * 64, stdout=StringIO())
    with pytest.raises(CommandError, match="neither a sequence number"):
        call_command("audit", "prove", "FH-2026-00001", stdout=StringIO())


def test_a_missing_signing_key_is_a_system_check_warning_that_says_how_to_fix_it(tmp_path, settings):
    from fairhearing.audit.checks import check_signing_key

    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "missing.pem"
    [warning] = check_signing_key()
    assert warning.id == "fairhearing.W101" and "audit keygen" in warning.hint
    call_command("audit", "keygen", stdout=StringIO())
    assert check_signing_key() == []
