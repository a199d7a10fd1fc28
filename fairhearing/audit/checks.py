"""System checks of the audit app's configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def check_signing_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn (not fail) when the checkpoint signing key is missing or unreadable.

    The log still works without it, but nothing signs checkpoints, so a rewritten log could not
    be told from the real one.
    """
    from fairhearing.audit.signing import AuditKeyError, load_private_key

    path = Path(settings.FAIRHEARING_AUDIT_KEY)
    try:
        load_private_key(path)
    except AuditKeyError as error:
        return [Warning(
            f"FAIRHEARING_AUDIT_KEY: {error}",
            hint="Run `fairhearing audit keygen` to create the key (keep it outside the database and back it up); until then no checkpoint is signed.",
            id="fairhearing.W101",
        )]
    return []
