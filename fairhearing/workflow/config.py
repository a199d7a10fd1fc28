"""The configured process and calendar, loaded once per process file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from fairhearing.core.calendar import WorkingCalendar, parse_calendar_setting
from fairhearing.workflow.process import Process, load_process


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> Process:
    return load_process(path)


def get_process() -> Process:
    path = Path(settings.FAIRHEARING_PROCESS)
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _calendar(value: str) -> WorkingCalendar:
    return parse_calendar_setting(value)


def get_calendar() -> WorkingCalendar:
    return _calendar(settings.FAIRHEARING_CALENDAR)
