"""Showing the free text that audit events cite (decision 0017), checked against the chain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from fairhearing.audit.models import AuditEvent
from fairhearing.audit.reasons import ShownReason, shown_reasons

register = template.Library()


@register.simple_tag
def with_stated_reasons(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, list[ShownReason]]]:
    """Pair each event with the texts it cites, fetched in one query:
    ``{% with_stated_reasons timeline as rows %}{% for event, reasons in rows %}``."""
    events = list(events)
    found = shown_reasons(events)
    return [(event, found.get(event.seq, [])) for event in events]


@register.inclusion_tag("audit/_stated_reasons.html")
def stated_reasons_list(reasons: list[ShownReason]) -> dict[str, Any]:
    return {"reasons": reasons}
