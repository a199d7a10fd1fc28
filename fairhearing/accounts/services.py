"""Writes for staff accounts: two-factor sign-in (set-up, the check in each session, reset).

A code check is a state change even when it fails: django-otp's throttling counts consecutive
wrong codes on the device and makes each further try wait twice as long (1, 2, 4, 8 ... seconds).
So a refused code is *returned* as an outcome, never raised: an exception would roll back the
failure count and its audit event with it.

Audit events name the user by public id only. A check refused because the device is still
waiting after earlier wrong codes is not recorded: no code was tried and nothing changed, and
recording it would let anyone holding a password fill the log by pressing the button.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhearing.accounts import selectors
from fairhearing.accounts.models import Role, User
from fairhearing.audit.services import audit_append
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, NotPermitted

DEVICE_NAME = "Authenticator app"


class CodeOutcome(models.TextChoices):
    ACCEPTED = "accepted", "The code was right"
    WRONG = "wrong", "The code was wrong"
    WAIT = "wait", "Too many wrong codes: wait before trying again"
    NO_DEVICE = "no_device", "No device to check the code against"


@dataclass(frozen=True)
class CodeCheck:
    """What happened to a code. ``device`` is set when it was accepted; ``retry_at`` when the
    person must wait before the next try (after this wrong code, or because of earlier ones)."""

    outcome: CodeOutcome
    device: TOTPDevice | None = None
    failures: int = 0
    retry_at: datetime | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome == CodeOutcome.ACCEPTED

    @property
    def wait_seconds(self) -> int:
        if self.retry_at is None:
            return 0
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


class ResetCause(models.TextChoices):
    """Why an administrator reset someone's two-factor sign-in. A fixed list, so the audit event
    holds a code and never a sentence that could name someone (decision 0017)."""

    LOST = "lost_device", "Their phone was lost, stolen or replaced"
    APP = "app_reset", "Their authenticator app was removed or reset"
    EXPOSED = "secret_exposed", "Someone else may have seen their set-up key"
    UNFINISHED = "unfinished", "They started setting up and want to start again"


def _own_user(actor: Actor) -> User:
    user = actor.user
    if user is None or not user.is_active or user.role not in Role.values:
        raise NotPermitted("Only a signed-in staff member can set up or use two-factor sign-in.")
    return user


def _subject(user: User) -> str:
    return f"user:{user.public_id}"


def _retry_at(device: TOTPDevice) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    return info.get("locked_until")


def _check(*, actor: Actor, user: User, device: TOTPDevice, code: str, stage: str) -> CodeCheck:
    """Try ``code`` on ``user``'s ``device`` (locked by the caller) and record a wrong one."""
    waiting = _retry_at(device)
    if waiting is not None:
        return CodeCheck(CodeOutcome.WAIT, failures=device.throttling_failure_count, retry_at=waiting)
    if device.verify_token(code):
        return CodeCheck(CodeOutcome.ACCEPTED, device=device)
    audit_append(actor=actor, action="two_factor.failed", subject=_subject(user),
                 payload={"stage": stage, "failures": device.throttling_failure_count})
    return CodeCheck(CodeOutcome.WRONG, failures=device.throttling_failure_count, retry_at=_retry_at(device))


@transaction.atomic
def two_factor_enrolment_start(*, actor: Actor) -> TOTPDevice:
    """The device whose secret the user should add to an authenticator app: the one already
    waiting for its first code, or a new one (with a new random secret, audited).

    Refused once a device is confirmed: adding a second one would let anyone holding the
    password attach their own phone. Losing the first is an administrator's reset."""
    user = _own_user(actor)
    User.objects.select_for_update().filter(pk=user.pk).first()
    if selectors.confirmed_device(user) is not None:
        raise DomainError("Two-factor sign-in is already set up for your account. "
                          "To move it to a new phone, ask an administrator to reset it.")
    device = selectors.pending_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        audit_append(actor=actor, action="two_factor.enrolment_started", subject=_subject(user), payload={})
    return device


@transaction.atomic
def two_factor_enrolment_confirm(*, actor: Actor, code: str) -> CodeCheck:
    """Confirm the waiting device with the first code it produced; on success it becomes the
    user's device and this session counts as checked."""
    user = _own_user(actor)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise DomainError("Two-factor sign-in is already set up for your account.")
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        return CodeCheck(CodeOutcome.NO_DEVICE)
    result = _check(actor=actor, user=user, device=device, code=code, stage="enrolment")
    if result.accepted:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit_append(actor=actor, action="two_factor.enrolled", subject=_subject(user), payload={})
    return result


@transaction.atomic
def two_factor_verify(*, actor: Actor, code: str) -> CodeCheck:
    """Check a code from the user's confirmed device, as the second step of signing in."""
    user = _own_user(actor)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        return CodeCheck(CodeOutcome.NO_DEVICE)
    result = _check(actor=actor, user=user, device=device, code=code, stage="sign_in")
    if result.accepted:
        audit_append(actor=actor, action="two_factor.verified", subject=_subject(user), payload={})
    return result


def may_reset_two_factor(actor: Actor) -> bool:
    """An active administrator, or the server's own command (someone with a shell on the server)."""
    if actor.user is None:
        return actor.kind == "system"
    return bool(actor.user.is_active and actor.user.role == Role.ADMIN)


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: User, cause: str) -> int:
    """Remove every two-factor device of ``user``; returns how many were removed.

    Their sessions stop counting as checked at once, and their next sign-in sets up a new
    device. An administrator cannot reset their own: another administrator, or the command on
    the server, must do it, so a stolen administrator session cannot quietly swap the phone."""
    if not may_reset_two_factor(actor):
        raise NotPermitted("Only an administrator can reset someone's two-factor sign-in.")
    if actor.user is not None and actor.user.pk == user.pk:
        raise NotPermitted("You cannot reset your own two-factor sign-in. Ask another administrator, "
                           "or run `fairhearing two-factor reset` on the server.")
    if cause not in ResetCause.values:
        raise DomainError(f"Choose why the reset is needed: one of {', '.join(ResetCause.values)}.", field="cause")
    devices = TOTPDevice.objects.select_for_update().filter(user=user)
    count = len(list(devices))
    if count == 0:
        raise DomainError(f"{user} has no two-factor device, so there is nothing to reset. "
                          "They will set one up the next time they sign in.")
    TOTPDevice.objects.filter(user=user).delete()
    audit_append(actor=actor, action="two_factor.reset", subject=_subject(user), payload={"cause": cause, "devices": count})
    return count
