"""Registered audit action names.

Each app lists the actions it may write in an ``audit_actions.py`` module holding a mapping
``ACTIONS = {"case.opened": "A case was opened from a complaint", ...}``. The audit app collects
them at start; appending an unregistered name is refused, so a typo cannot create an event that
reports, statistics or the overseer's filters would never see.
"""

from __future__ import annotations

from collections.abc import Mapping

_ACTIONS: dict[str, str] = {}


class UnregisteredAction(ValueError):
    pass


def register(actions: Mapping[str, str], *, origin: str) -> None:
    for name, description in actions.items():
        if not name or name != name.strip() or "." not in name:
            raise ValueError(f"{origin}: audit action {name!r} must look like 'thing.verb'")
        existing = _ACTIONS.get(name)
        if existing is not None and existing != description:
            raise ValueError(f"{origin}: audit action {name!r} is registered twice with different descriptions")
        _ACTIONS[name] = description


def is_registered(name: str) -> bool:
    return name in _ACTIONS


def require_registered(name: str) -> None:
    if name not in _ACTIONS:
        raise UnregisteredAction(
            f"audit action {name!r} is not registered; add it to the ACTIONS mapping in the app's audit_actions.py"
        )


def registered_actions() -> dict[str, str]:
    return dict(sorted(_ACTIONS.items()))
