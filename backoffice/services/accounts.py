"""Staff accounts: created in a role without a password, which their owner sets through a link."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backoffice.roles import ROLES


class AccountRefused(Exception):
    """The account cannot be created; the message says why, for the person at the terminal."""


def password_set_link(user: AbstractBaseUser) -> str:
    """The one-time link where `user` chooses a password (Django's password-reset confirmation)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.PORTAL_BASE_URL}{path}"


def staff_account_create(
    *, username: str, email: str, role: str, first_name: str = "", last_name: str = ""
) -> AbstractBaseUser:
    """A staff account in `role`, with no usable password until its owner sets one."""
    users = get_user_model()
    if role not in ROLES:
        raise AccountRefused(f"Unknown role {role!r}. Valid roles: {', '.join(repr(r) for r in ROLES)}.")
    try:
        users.username_validator(username)
        validate_email(email)
    except ValidationError as error:
        raise AccountRefused(" ".join(error.messages)) from error
    # Case-insensitive: "JDupont" next to "jdupont" would be two people's confusion.
    if users.objects.filter(**{f"{users.USERNAME_FIELD}__iexact": username}).exists():
        raise AccountRefused(f"The username {username!r} is already taken; choose another one.")
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise AccountRefused(
            f"The group {role!r} does not exist yet: run `manage.py migrate` or `manage.py sync_roles`."
        )
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
    return user


def superuser_ensure(*, username: str, email: str) -> str | None:
    """Create the superuser `username` with a random password, only when no superuser exists.

    Returns the password, which is stored nowhere else, or None when nothing was created.
    """
    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(15)
    users.objects.create_superuser(username=username, email=email, password=password)
    return password
