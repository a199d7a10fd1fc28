"""Fixed-window rate limits counted in the database, so every server process shares one count."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from fairhearing.api.models import RateCounter
from fairhearing.core import clock

# (requests, window seconds) per bucket; override with FAIRHEARING_API_RATE_LIMITS.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "submit": (10, 3600),
    "lookup": (30, 60),
    "token": (120, 60),
    "anonymous": (60, 60),
}


@dataclass(frozen=True)
class Limited(Exception):
    bucket: str
    limit: int
    window: int
    retry_after: int


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "FAIRHEARING_API_RATE_LIMITS", {})}


def hit(bucket: str, key: str) -> int:
    """Count one request for ``key`` in ``bucket``; raise Limited once the window's limit is passed."""
    limit, window = limits()[bucket]
    now = int(clock.now().timestamp())
    number = now // window
    full_key = f"{bucket}:{key}"[:120]
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=full_key, window=number).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=full_key, window=number, count=1)
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(key=full_key, window=number).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=full_key, window=number).values_list("count", flat=True).get()
    if count > limit:
        raise Limited(bucket=bucket, limit=limit, window=window, retry_after=(number + 1) * window - now)
    return count


def counters_prune() -> int:
    """Tick hook: drop windows that ended more than a day ago."""
    now = int(clock.now().timestamp())
    deleted = 0
    for bucket, (_, window) in limits().items():
        deleted += RateCounter.objects.filter(key__startswith=f"{bucket}:", window__lt=(now - 86400) // window).delete()[0]
    return deleted
