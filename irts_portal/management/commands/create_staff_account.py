from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mobility.roles import ROLES


def password_set_link(user) -> str:
    """The one-time link where `user` chooses a password (Django's password-reset confirmation)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.PORTAL_BASE_URL}{path}"


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
        users = get_user_model()
        if role not in ROLES:
            raise CommandError(f"Unknown role {role!r}. Valid roles: {', '.join(repr(r) for r in ROLES)}.")
        try:
            users.username_validator(username)
            validate_email(email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # Case-insensitive: "JDupont" next to "jdupont" would be two people's confusion.
        if users.objects.filter(**{f"{users.USERNAME_FIELD}__iexact": username}).exists():
            raise CommandError(f"The username {username!r} is already taken; choose another one.")
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The group {role!r} does not exist yet: run `manage.py migrate` or `manage.py sync_roles`."
            ) from error

        with transaction.atomic():
            # No password: the account cannot log in until its owner sets one through the link.
            user = users.objects.create_user(
                username=username,
                email=email,
                password=None,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
            user.groups.add(group)

        link = password_set_link(user)
        self.stdout.write(self.style.SUCCESS(f"Created the staff account {username!r} in the role {role!r}."))
        self.stdout.write(
            "Send this link to its owner to set their password. It works once and expires in "
            f"{_duration(settings.PASSWORD_RESET_TIMEOUT)}:\n{link}"
        )
