"""Receipt codes, address hashing and the status-page rate limits.

A receipt code is 20 characters from the reference alphabet (25 symbols, about 92.9 bits), shown
once and stored only as its SHA-256. A slow password hash protects secrets people choose, which
can be guessed; nobody can search a 93-bit random space, fast hash or not, and Argon2 cost each
submission about 0.2 s of CPU (decision 0010). Hashes stored in the password-hasher format by
earlier versions are still accepted.
Limits are kept in the database, not in process memory, because several server processes share
them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction

from fairhearing.audit.services import audit_append
from fairhearing.core import clock
from fairhearing.core.actors import system_actor
from fairhearing.core.identifiers import REFERENCE_ALPHABET
from fairhearing.intake.models import LookupAttempt, ReferenceLock, SubmissionMark

log = logging.getLogger("fairhearing.intake")

RECEIPT_LENGTH = 20
LOOKUP_WINDOW = timedelta(minutes=15)
REFERENCE_FAILURES_BEFORE_LOCK = 5
REFERENCE_LOCK = timedelta(minutes=30)
ADDRESS_FAILURES_ALLOWED = 20
SHA256_PREFIX = "sha256$"


def new_receipt_code() -> str:
    """A fresh code such as ``K7QXM-3TAPC-…``: four groups of five for reading aloud."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(body[i : i + 5] for i in range(0, RECEIPT_LENGTH, 5))


def normalise_code(raw: str) -> str:
    """Accept the code as people type it: any case, spaces or hyphens anywhere."""
    body = "".join(ch for ch in raw.upper() if ch.isalnum())
    return "-".join(body[i : i + 5] for i in range(0, len(body), 5))


def hash_code(code: str) -> str:
    """``sha256$<hex>`` of the normalised code."""
    return SHA256_PREFIX + hashlib.sha256(normalise_code(code).encode()).hexdigest()


def code_matches(code: str, stored_hash: str | None) -> bool:
    """Compare in constant time; an unknown reference costs the same as a wrong code."""
    if not stored_hash:
        hmac.compare_digest(hash_code(code), hash_code(new_receipt_code()))
        return False
    if stored_hash.startswith(SHA256_PREFIX):
        return hmac.compare_digest(hash_code(code), stored_hash)
    return check_password(normalise_code(code), stored_hash)  # a hash from before SHA-256


def address_key(ip: str) -> str:
    """A keyed hash of an IP address: enough to count attempts, useless to identify anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), f"intake-address:{ip}".encode(), hashlib.sha256).hexdigest()


class LookupRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lookup_allowed(*, address: str, reference: str) -> None:
    """Raise LookupRefused when this address or this reference may not try now."""
    now = clock.now()
    lock = ReferenceLock.objects.filter(reference=reference, until__gt=now).first()
    if lock is not None:
        minutes = max(1, int((lock.until - now).total_seconds() // 60) + 1)
        raise LookupRefused(
            f"This reference is locked for {minutes} more minute(s) after several wrong receipt codes. "
            "Try again later, or contact the complaints team if you have lost your code."
        )
    recent = LookupAttempt.objects.filter(address=address, succeeded=False, at__gte=now - LOOKUP_WINDOW).count()
    if recent >= ADDRESS_FAILURES_ALLOWED:
        raise LookupRefused("Too many wrong attempts from your connection. Wait 15 minutes and try again.")


@transaction.atomic
def lookup_record(*, address: str, reference: str, succeeded: bool) -> bool:
    """Record an attempt; lock the reference after repeated failures. Returns True when it locked."""
    now = clock.now()
    LookupAttempt.objects.create(address=address, reference=reference, succeeded=succeeded, at=now)
    if succeeded:
        return False
    failures = LookupAttempt.objects.filter(reference=reference, succeeded=False, at__gte=now - LOOKUP_WINDOW).count()
    if failures < REFERENCE_FAILURES_BEFORE_LOCK:
        return False
    ReferenceLock.objects.update_or_create(reference=reference, defaults={"until": now + REFERENCE_LOCK, "failures": failures})
    log.warning("status lookups for reference %s locked after %d failures", reference, failures)
    audit_append(
        actor=system_actor("intake"),
        action="intake.reference_locked",
        subject=f"reference:{reference}",
        payload={"reference": reference, "failures": failures, "until": (now + REFERENCE_LOCK).isoformat()},
    )
    return True


def submissions_from(address: str, window: timedelta = timedelta(hours=1)) -> int:
    return SubmissionMark.objects.filter(address=address, at__gte=clock.now() - window).count()


def submission_mark(address: str) -> None:
    SubmissionMark.objects.create(address=address, at=clock.now())
