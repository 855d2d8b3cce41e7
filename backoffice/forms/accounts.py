"""The staff's « mot de passe oublié » form."""

import unicodedata
from collections.abc import Iterable

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


def _same_address(first: str, second: str) -> bool:
    # As Django's own form compares them: the database's case-insensitive match is not Unicode-aware.
    return unicodedata.normalize("NFKC", first).casefold() == unicodedata.normalize("NFKC", second).casefold()


class StaffPasswordResetForm(PasswordResetForm):
    """Django's form, for the back office's people only: active staff accounts.

    Unlike Django's, it also serves an account that has no password yet: the link that
    `create_staff_account` prints is this same link, and expires; a new colleague whose link
    expired asks for another one here.
    """

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez l’adresse électronique de votre compte."),
            "invalid": _("Indiquez une adresse électronique valide, par exemple prenom.nom@example.org."),
        },
    )

    def get_users(self, email: str) -> Iterable[User]:
        users = get_user_model()
        email_field = users.get_email_field_name()
        staff = users._default_manager.filter(
            **{f"{email_field}__iexact": email}, is_active=True, is_staff=True
        )
        return (user for user in staff if _same_address(email, getattr(user, email_field)))
