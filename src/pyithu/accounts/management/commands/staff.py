import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.accounts import services
from pyithu.accounts.models import Role, User


class Command(BaseCommand):
    help = "Manage staff: create an account, grant a role, issue or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a staff account (asks for a passphrase)")
        create.add_argument("handle")
        create.add_argument("--superuser", action="store_true")
        grant = sub.add_parser("grant", help="grant a role within a ministry")
        grant.add_argument("handle")
        grant.add_argument("role", choices=Role.values)
        grant.add_argument("--ministry", default="")
        grant.add_argument("--unit", default="")
        token = sub.add_parser("token", help="issue an API token (printed once)")
        token.add_argument("handle")
        token.add_argument("name")
        token.add_argument("--days", type=int, default=None)
        revoke = sub.add_parser("revoke-tokens", help="revoke API tokens (one account or --all)")
        revoke.add_argument("handle", nargs="?", default="")
        revoke.add_argument("--all", action="store_true", help="every account's tokens")

    def _user(self, handle: str) -> User:
        user = User.objects.filter(handle=handle.lower()).first()
        if user is None:
            raise CommandError(f"No account {handle!r}.")
        return user

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        try:
            if action == "create":
                passphrase = getpass.getpass("Passphrase: ")
                user = services.create_staff_account(opts["handle"], passphrase)
                if opts["superuser"]:
                    User.objects.filter(pk=user.pk).update(is_superuser=True)
                self.stdout.write(f"Created {user.handle}; two-factor is set up at first login.")
            elif action == "grant":
                grant = services.grant_role(
                    self._user(opts["handle"]), opts["role"], opts["ministry"], unit=opts["unit"]
                )
                self.stdout.write(f"Granted {grant}.")
            elif action == "revoke-tokens":
                if bool(opts["handle"]) == opts["all"]:
                    raise CommandError("Name one account, or give --all (not both).")
                user = self._user(opts["handle"]) if opts["handle"] else None
                count = services.revoke_api_tokens(user)
                self.stdout.write(f"Revoked {count} API token(s).")
            else:
                _token, raw = services.create_api_token(
                    self._user(opts["handle"]), opts["name"], days=opts["days"]
                )
                self.stdout.write(raw)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except services.AccountError as exc:
            raise CommandError(str(exc.message)) from exc
