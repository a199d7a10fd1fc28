"""The one clock. Code asks ``now()``/``today()``; tests and the demo freeze it with ``frozen()``."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("fairhearing_clock", default=None)


def now() -> datetime:
    """The current aware datetime (UTC), or the frozen one."""
    value = _frozen.get()
    return value if value is not None else timezone.now()


def today() -> date:
    """Today's date in the configured TIME_ZONE, which is where working days are counted."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Freeze the clock at an aware datetime for the duration of the block."""
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    token = _frozen.set(at)
    try:
        yield at
    finally:
        _frozen.reset(token)
