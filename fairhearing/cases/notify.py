"""Queueing outgoing messages: stored first, then sent by a background task after commit.

Each message type has one template, ``templates/notifications/<kind>.txt``, whose first line is the
subject. A mail failure leaves the row queued; the tick re-queues it, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from fairhearing.cases.models import Case, Notification
from fairhearing.core import clock


def render_message(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_to_string(f"notifications/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def notification_queue(
    *,
    kind: str,
    dedupe_key: str,
    recipient_role: str,
    case: Case | None = None,
    recipient_email: str = "",
    recipient_user: Any = None,
    context: dict[str, Any] | None = None,
) -> Notification | None:
    """Store a message once per ``dedupe_key`` and send it after the transaction commits.

    Returns None when a message with this key already exists (it is never sent twice).
    """
    if not recipient_email and recipient_user is not None:
        recipient_email = recipient_user.email
    subject, body = render_message(kind, {"case": case, **(context or {})})
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "case": case,
            "kind": kind,
            "recipient_role": recipient_role,
            "recipient_email": recipient_email,
            "recipient_user": recipient_user,
            "subject": subject,
            "body": body,
            "created_at": clock.now(),
        },
    )
    if not created:
        return None
    notification_id = notification.pk
    transaction.on_commit(lambda: enqueue_send(notification_id))
    return notification


def enqueue_send(notification_id: int) -> None:
    from fairhearing.cases.tasks import send_notification

    try:
        send_notification.enqueue(notification_id)
    except Exception:
        import logging

        logging.getLogger("fairhearing.notify").exception("could not enqueue notification %s", notification_id)
