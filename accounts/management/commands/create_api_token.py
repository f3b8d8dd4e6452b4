"""`manage.py create_api_token USERNAME`: print a new API token for a user, revoking the old one."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (sent as `Authorization: Token <key>`); the user's old token stops working."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}; create one with `manage.py createsuperuser` or in the admin")
        if not user.is_active:
            raise CommandError(f"the account {username!r} is inactive; its token would not be accepted")
        self.stdout.write(issue_token(user))
