"""A broken retention schedule is caught at start, with the line to fix."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from fairhearing.privacy.schedule import ScheduleError


@register()
def check_retention_schedule(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from fairhearing.privacy.retention import get_schedule

    try:
        get_schedule()
    except (ScheduleError, OSError) as error:
        return [Error(f"The retention schedule cannot be used: {error}",
                      hint="Fix the file named by FAIRHEARING_RETENTION_FILE (see docs/privacy.md).", id="fairhearing.privacy.E001")]
    return []
