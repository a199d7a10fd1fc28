from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts import selectors
from fairhearing.accounts.models import User
from fairhearing.accounts.services import ResetCause, two_factor_reset
from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError

ACTOR = system_actor("two-factor-command")
STATES = {"set_up": "set up", "waiting": "started, not finished", "none": "not set up"}


class Command(BaseCommand):
    help = ("List staff two-factor sign-in, or reset a user's devices (for when no other administrator can, "
            "for example the only administrator lost their phone). Each reset is audited.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="each active user and the state of their two-factor sign-in")
        reset = sub.add_parser("reset", help="remove a user's two-factor devices; they set up a new one at their next sign-in")
        reset.add_argument("username")
        reset.add_argument("--cause", required=True, choices=ResetCause.values, help="why the reset is needed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for row in selectors.staff_two_factor():
                self.stdout.write(f"{row.user.username:<16} {row.user.get_role_display():<22} {STATES[row.state]}")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}; `fairhearing two-factor list` shows them.")
        try:
            count = two_factor_reset(actor=ACTOR, user=user, cause=options["cause"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Removed {count} two-factor device(s) of {user.username}. They set up a new one the next time they sign in.")
