"""Named conditions a transition may require (the ``guard`` key of a process file).

Each guard answers ``None`` when the transition may proceed, or a plain-language reason why not.
Other apps add guards with :func:`register`; the process validator knows the names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fairhearing.core import clock

if TYPE_CHECKING:
    from fairhearing.cases.models import Case
    from fairhearing.workflow.process import Process


@dataclass(frozen=True)
class GuardContext:
    case: Case
    process: Process
    outcome: str


Guard = Callable[[GuardContext], "str | None"]
_GUARDS: dict[str, Guard] = {}


def register(name: str) -> Callable[[Guard], Guard]:
    def decorate(function: Guard) -> Guard:
        _GUARDS[name] = function
        return function

    return decorate


def check(name: str | None, context: GuardContext) -> str | None:
    if name is None:
        return None
    guard = _GUARDS.get(name)
    if guard is None:
        return f"The process names a condition {name!r} that this installation does not know."
    return guard(context)


@register("review_required")
def _review_required(ctx: GuardContext) -> str | None:
    if ctx.case.category in ctx.process.review_categories:
        return None
    return "Independent review is only for the categories the process lists; use the direct determination instead."


@register("review_not_required")
def _review_not_required(ctx: GuardContext) -> str | None:
    if ctx.case.category not in ctx.process.review_categories:
        return None
    return "Decisions in this category must go to independent review before they are issued."


@register("expulsion_referral")
def _expulsion(ctx: GuardContext) -> str | None:
    return None


@register("not_expulsion_referral")
def _not_expulsion(ctx: GuardContext) -> str | None:
    if ctx.outcome == "referral_for_expulsion":
        return "A referral for expulsion goes to a hearing; use 'refer to hearing'."
    return None


@register("appeal_window_open")
def _appeal_window_open(ctx: GuardContext) -> str | None:
    if ctx.case.due_on is None or clock.today() <= ctx.case.due_on:
        return None
    return f"The appeal window closed on {ctx.case.due_on:%d %B %Y}."


@register("file_complete")
def _file_complete(ctx: GuardContext) -> str | None:
    from fairhearing.workflow.completeness import missing_items

    missing = missing_items(ctx.case)
    if not missing:
        return None
    return "The file is not complete: " + "; ".join(missing) + "."
