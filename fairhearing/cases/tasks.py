"""Background tasks for the cases app."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django_tasks import task

from fairhearing.cases.models import Notification
from fairhearing.core import clock

log = logging.getLogger("fairhearing.notify")
MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)


def message_id(notification: Notification) -> str:
    """A stable Message-ID: if a worker dies after sending but before recording it, the re-send
    carries the same id, so mail systems and clients treat the two as one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "fairhearing.invalid"
    return f"<{notification.public_id}@{domain}>"


@task(queue_name="email")
def send_notification(notification_id: int) -> str:
    """Send one stored message. A conditional UPDATE claims it, so two workers never both send.

    The outcome is recorded only while the claim is still this worker's: a worker that stalled past
    CLAIM_TIMEOUT, whose message the tick put back and another worker then sent, must not mark
    that message queued or failed again when its own attempt ends."""
    claimed_at = clock.now()
    claimed = Notification.objects.filter(pk=notification_id, status=Notification.Status.QUEUED).update(
        status=Notification.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
    )
    if not claimed:
        return "already handled"
    mine = Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING, claimed_at=claimed_at)
    notification = Notification.objects.get(pk=notification_id)
    if not notification.recipient_email:
        mine.update(
            status=Notification.Status.SENT, sent_at=clock.now(), last_error="no address: kept on file only"
        )
        return "no address"
    try:
        EmailMessage(
            notification.subject,
            notification.body,
            to=[notification.recipient_email],
            headers={"Message-ID": message_id(notification)},
        ).send()
    except Exception as error:  # noqa: BLE001 - recorded and retried by the tick
        status = Notification.Status.FAILED if notification.attempts >= MAX_ATTEMPTS else Notification.Status.QUEUED
        mine.update(status=status, last_error=str(error)[:2000])
        log.warning("sending notification %s failed: %s", notification_id, error)
        return "failed"
    mine.update(status=Notification.Status.SENT, sent_at=clock.now())
    return "sent"


def requeue_stale() -> list[int]:
    """Put back messages whose worker died mid-send or whose send failed, and return the ids of
    queued messages not handed to a worker for CLAIM_TIMEOUT (``claimed_at`` doubles as "last
    handed over" while a row is queued), so a stopped worker does not make the queue grow."""
    now = clock.now()
    cutoff = now - CLAIM_TIMEOUT
    Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Notification.Status.QUEUED
    )
    stale = Notification.objects.filter(status=Notification.Status.QUEUED, attempts__lt=MAX_ATTEMPTS, created_at__lt=cutoff).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True)[:500])
    Notification.objects.filter(pk__in=ids, status=Notification.Status.QUEUED).update(claimed_at=now)
    return ids
