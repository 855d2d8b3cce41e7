from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backoffice.roles import ROLES
from backoffice.services.accounts import AccountRefused, password_set_link, staff_account_create


def _duration(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return f"{days} day{'s' if days > 1 else ''}"
    hours = seconds / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Create a staff account in one of the roles, without a password, and print a one-time link "
        "where the person sets it. Example: create_staff_account jdupont --email j.dupont@irtsnormandie.fr "
        f'--role "Évaluation". Roles: {", ".join(ROLES)}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(ROLES)}.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, role, first_name, last_name, **options):
        try:
            user = staff_account_create(
                username=username, email=email, role=role, first_name=first_name, last_name=last_name
            )
        except AccountRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS(f"Created the staff account {username!r} in the role {role!r}."))
        self.stdout.write(
            "Send this link to its owner to set their password. It works once and expires in "
            f"{_duration(settings.PASSWORD_RESET_TIMEOUT)}:\n{password_set_link(user)}"
        )
