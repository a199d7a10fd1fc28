"""``fairhearing audit <keygen|checkpoint|export-checkpoints|verify|prove>``.

    fairhearing audit keygen [--path FILE]         create the Ed25519 signing key
    fairhearing audit checkpoint                   sign a checkpoint of the log now
    fairhearing audit export-checkpoints [-o FILE] the overseer's copy (public key + checkpoints)
    fairhearing audit verify [--against FILE]      recompute chain, Merkle roots and signatures
    fairhearing audit prove SEQ|HASH               inclusion proof of one event (JSON); HASH is
                                                   the event hash a complainant's receipt carries

``verify`` exits with status 1 on any damage, naming the first bad sequence number and the
kind of damage; 0 when the log is intact.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.audit import services
from fairhearing.audit.models import AuditEvent
from fairhearing.audit.signing import AuditKeyError
from fairhearing.core.errors import DomainError

ACTOR = "system:cli"


class Command(BaseCommand):
    help = "Sign, export, verify and prove the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        keygen = sub.add_parser("keygen", help="create the signing key (never overwrites one)")
        keygen.add_argument("--path", type=Path, help="where to write it (default: FAIRHEARING_AUDIT_KEY)")
        sub.add_parser("checkpoint", help="write a signed checkpoint of the log now")
        export = sub.add_parser("export-checkpoints", help="print the overseer's copy of the checkpoints")
        export.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
        verify = sub.add_parser("verify", help="verify the whole log; exit status 1 on damage")
        verify.add_argument("--against", type=Path, metavar="CHECKPOINTS", help="the overseer's exported checkpoints")
        verify.add_argument("--no-record", action="store_true", help="do not store the result (read-only database)")
        prove = sub.add_parser("prove", help="print an inclusion proof for one event")
        prove.add_argument("event", help="the event's sequence number, or its 64-hex hash (as on a receipt)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except (AuditKeyError, DomainError, ValueError) as error:
            raise CommandError(str(error)) from None

    def do_keygen(self, options: dict[str, Any]) -> None:
        path = services.audit_keygen(options.get("path"))
        self.stdout.write(f"Created the audit signing key at {path}. Keep it outside the database and back it up.")

    def do_checkpoint(self, options: dict[str, Any]) -> None:
        stored = services.checkpoint_write(actor=ACTOR)
        if stored is None:
            self.stdout.write("Nothing new since the last checkpoint; none written.")
        else:
            self.stdout.write(f"Checkpoint written: {stored.tree_size} events, root {stored.root}, key {stored.key_id}.")

    def do_export_checkpoints(self, options: dict[str, Any]) -> None:
        text = services.checkpoints_export(actor=ACTOR)
        if options.get("output"):
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote the checkpoints to {options['output']}. Keep this copy away from the organisation's systems.")
        else:
            self.stdout.write(text, ending="")

    def do_verify(self, options: dict[str, Any]) -> None:
        against = None
        if options.get("against"):
            path: Path = options["against"]
            try:
                against = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot read the overseer's checkpoints {path}: {error.strerror}") from None
        started = time.perf_counter()
        outcome = services.audit_verify(actor=ACTOR, against=against, record=not options.get("no_record"))
        seconds = time.perf_counter() - started
        report = outcome.report
        if outcome.note:
            self.stderr.write(f"Warning: {outcome.note}.")
        if report.ok:
            self.stdout.write(f"OK: {report.message} ({seconds:.1f} s).")
            return
        self.stdout.write(
            f"DAMAGED: {report.damage} at seq {report.first_bad_seq if report.first_bad_seq is not None else '-'}"
            f"{f' (checkpoint {report.checkpoint_size})' if report.checkpoint_size is not None else ''}: {report.message}"
        )
        sys.exit(1)

    def do_prove(self, options: dict[str, Any]) -> None:
        wanted = options["event"].strip().lower()
        if wanted.isdigit():
            seq = int(wanted)
        elif len(wanted) == 64 and all(c in "0123456789abcdef" for c in wanted):
            found = AuditEvent.objects.filter(hash=wanted).values_list("seq", flat=True).first()
            if found is None:
                raise CommandError(f"No event has the hash {wanted}; check it against the receipt.")
            seq = int(found)
        else:
            raise CommandError(f"{options['event']!r} is neither a sequence number nor a 64-character event hash.")
        proof = services.audit_prove(actor=ACTOR, seq=seq)
        self.stdout.write(json.dumps(proof, indent=2, sort_keys=True))
