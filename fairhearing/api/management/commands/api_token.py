from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.accounts.models import User
from fairhearing.api.models import ApiToken, Scope
from fairhearing.api.services import api_token_create, api_token_revoke
from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError

ACTOR = system_actor("api-token-command")


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. The token text is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user")
        create.add_argument("username")
        create.add_argument("--scopes", required=True, help=f"comma-separated: {', '.join(Scope.values)}")
        create.add_argument("--name", default="api", help="what the token is for")
        create.add_argument("--days", type=int, default=90, help="days until it expires (0: never)")
        sub.add_parser("list", help="list tokens (never their text)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user called {options['username']!r}.")
                scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
                token, text = api_token_create(actor=ACTOR, user=user, name=options["name"], scopes=scopes, days=options["days"] or None)
                self.stdout.write(text)
                self.stderr.write(f"Token {token.prefix} for {user.username}, scopes {', '.join(token.scopes)}, "
                                  f"expires {token.expires_at or 'never'}. Copy it now: it is not shown again.")
            elif action == "list":
                for token in ApiToken.objects.select_related("user"):
                    state = "revoked" if token.revoked_at else f"expires {token.expires_at or 'never'}"
                    self.stdout.write(f"{token.prefix}  {token.user.username}  {token.name}  {','.join(token.scopes)}  {state}")
            else:
                found = ApiToken.objects.filter(prefix=options["prefix"]).first()
                if found is None:
                    raise CommandError(f"No token with prefix {options['prefix']!r}; `fairhearing api-token list` shows them.")
                api_token_revoke(actor=ACTOR, token=found)
                self.stdout.write(f"Revoked {found.prefix}.")
        except DomainError as error:
            raise CommandError(error.message) from None
