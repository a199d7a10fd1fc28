"""Other apps' periodic work, run by the tick after its own (checkpoints, sanctions ending,
retention…). An app registers a function in its AppConfig.ready(); each hook must be idempotent
and safe with two ticks at once, like the tick itself."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("fairhearing.tick")
_HOOKS: dict[str, Callable[[], Any]] = {}


def register(name: str, function: Callable[[], Any]) -> None:
    _HOOKS[name] = function


def run_all() -> dict[str, Any]:
    """Run every hook; one failing hook is logged and reported without stopping the others."""
    results: dict[str, Any] = {}
    for name, function in sorted(_HOOKS.items()):
        try:
            results[name] = function()
        except Exception as error:
            log.exception("tick hook %s failed", name)
            results[name] = f"failed: {error}"
    return results
