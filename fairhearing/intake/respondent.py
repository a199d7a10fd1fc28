"""The respondent's side: an expiring link per notice, the allegations and evidence pack, the reply,
and the one request to move a hearing.

The link carries a random 256-bit token; only its SHA-256 is stored, so a copy of the database
cannot be used to open anyone's link. A newer link for the same party supersedes the older one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case, Party
from fairhearing.core import clock
from fairhearing.core.actors import SYSTEM, Actor, party_actor
from fairhearing.core.errors import DomainError, MissingInformation
from fairhearing.intake.files import MAX_FILES, check_file
from fairhearing.intake.models import Evidence, HearingMoveRequest, RespondentLink, RespondentReply

LINK_LIFETIME = timedelta(days=42)


class LinkRefused(DomainError):
    """The link cannot be used; the message says why and what to do."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def respondent_link_issue(*, case: Case, party: Party, actor: Actor = SYSTEM) -> str:
    """Issue a fresh link for a respondent party and return its absolute URL (for the notice).

    Earlier links for the same party stop working. The reply deadline is the process's reply
    window in working days from today; the link itself lasts ``LINK_LIFETIME``."""
    from fairhearing.workflow.config import get_calendar, get_process

    if party.case_id != case.pk or party.kind != Party.Kind.RESPONDENT:
        raise DomainError("A respondent link is only issued to a respondent of the same case.")
    now = clock.now()
    RespondentLink.objects.filter(party=party, superseded_at__isnull=True).update(superseded_at=now)
    token = secrets.token_urlsafe(32)
    link = RespondentLink.objects.create(
        case=case, party=party, token_hash=_digest(token), issued_at=now, expires_at=now + LINK_LIFETIME,
        reply_due_on=get_calendar().add_working_days(clock.today(), get_process().respondent_reply_days),
    )
    audit_append(actor=actor, action="respondent.link_issued", subject=f"case:{case.public_id}",
                 payload={"party": str(party.public_id), "link": str(link.public_id), "expires_at": link.expires_at.isoformat(),
                          "reply_due_on": link.reply_due_on.isoformat()})
    path = reverse("intake:respond", kwargs={"token": token})
    return f"{settings.FAIRHEARING_BASE_URL.rstrip('/')}{path}"


def respondent_link_resolve(token: str) -> RespondentLink:
    """The live link for a token, or LinkRefused saying why it cannot be used."""
    link = RespondentLink.objects.select_related("case", "party").filter(token_hash=_digest(token)).first()
    if link is None:
        raise LinkRefused("This link is not recognised. Check that you copied the whole link from the message, "
                          "or contact the complaints team for a new one.")
    if link.superseded_at is not None:
        raise LinkRefused("This link has been replaced by a newer one. Use the link in the most recent message you received.")
    if link.expires_at <= clock.now():
        raise LinkRefused("This link has expired. Contact the complaints team, quoting your case reference, for a new one.")
    return link


@transaction.atomic
def respondent_reply(*, link: RespondentLink, text: str, files: Sequence[Any] = ()) -> RespondentReply:
    """Store the respondent's reply with its files. A reply may be added to until the link expires."""
    link = respondent_link_resolve_by_id(link.pk)
    if not text.strip():
        raise MissingInformation("Write your reply before sending it.", field="text")
    if len(files) > MAX_FILES:
        raise MissingInformation(f"Attach at most {MAX_FILES} files.", field="files")
    for upload in files:
        try:
            check_file(upload)
        except ValueError as error:
            raise DomainError(str(error), field="files") from None
    from fairhearing.intake.services import _store_evidence

    now = clock.now()
    reply = RespondentReply.objects.create(link=link, case=link.case, party=link.party, text=text.strip(), created_at=now)
    items = _store_for_case(link.case, files, _store_evidence)
    audit_append(actor=party_actor("respondent", link.case.reference), action="respondent.replied",
                 subject=f"case:{link.case.public_id}",
                 payload={"party": str(link.party.public_id), "length": len(reply.text), "late": clock.today() > link.reply_due_on,
                          "evidence": [{"sha256": e.sha256, "size": e.size} for e in items]})
    return reply


def _store_for_case(case: Case, files: Sequence[Any], store: Any) -> list[Evidence]:
    if not files:
        return []
    complaint = case.complaints.order_by("received_at").first()
    return list(store(complaint, None, files, Evidence.From.RESPONDENT, case=case))


def respondent_link_resolve_by_id(pk: int) -> RespondentLink:
    link = RespondentLink.objects.select_related("case", "party").get(pk=pk)
    if link.superseded_at is not None or link.expires_at <= clock.now():
        raise LinkRefused("This link can no longer be used to reply.")
    return link


@transaction.atomic
def respondent_hearing_move(*, link: RespondentLink, reason: str) -> HearingMoveRequest:
    """The respondent's single request to move a hearing; a second request is refused."""
    link = respondent_link_resolve_by_id(link.pk)
    if len(reason.strip()) < 10:
        raise MissingInformation("Say why the hearing should move and when you can attend (at least 10 characters).", field="reason")
    if HearingMoveRequest.objects.filter(party=link.party).exists():
        raise DomainError("You have already asked once to move the hearing; a hearing can be moved only once.")
    request = HearingMoveRequest.objects.create(case=link.case, party=link.party, reason=reason.strip(), created_at=clock.now())
    audit_append(actor=party_actor("respondent", link.case.reference), action="respondent.hearing_move_requested",
                 subject=f"case:{link.case.public_id}", payload={"party": str(link.party.public_id)})
    return request


def respondent_notice_queue(*, case: Case, party: Party, dedupe_key: str, context: dict[str, Any] | None = None) -> Any:
    """Queue the respondent's notice with a fresh link in it, once per ``dedupe_key``.

    For the workflow's respondent notice: a notice already queued under this key is left alone and
    no new link is issued, because a new link would silently break the one already sent.
    Must run inside the caller's transaction. Returns the Notification, or None when it existed."""
    from fairhearing.cases.models import Notification
    from fairhearing.cases.notify import notification_queue

    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    url = respondent_link_issue(case=case, party=party)
    return notification_queue(
        kind="respondent_notice", dedupe_key=dedupe_key, recipient_role="respondent", case=case,
        recipient_email=party.email, context={**(context or {}), "party": party, "respondent_link": url},
    )
