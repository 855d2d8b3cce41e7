import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from contact.models import APPLICATION_REFERENCE_PATTERN, ContactMessage
from mobility.forms.errors import error_summary, link_errors_to_fields
from mobility.forms.fields import EMAIL_ERROR_MESSAGES

MESSAGE_MAX = 5000
# The fields in the order the page shows them, which the error summary follows.
PAGE_ORDER = ("name", "email", "application_reference", "subject", "message")


def _single_line(value: str) -> str:
    """Runs of spaces, tabs and line breaks become one space: these values go into mail headers."""
    return " ".join(value.split())


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Votre nom"),
        max_length=ContactMessage._meta.get_field("name").max_length,
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=ContactMessage._meta.get_field("email").max_length,
        error_messages=EMAIL_ERROR_MESSAGES,
        help_text=_("Nous vous répondrons à cette adresse."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    application_reference = forms.CharField(
        label=_("Référence de votre candidature"),
        required=False,
        max_length=ContactMessage._meta.get_field("application_reference").max_length,
        help_text=_("Si votre message concerne une candidature : par exemple MOB-2026-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    subject = forms.CharField(
        label=_("Objet"),
        max_length=ContactMessage._meta.get_field("subject").max_length,
        error_messages={"required": _("Indiquez l’objet de votre message.")},
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX,
        error_messages={"required": _("Écrivez votre message.")},
        help_text=_("5 000 caractères au plus."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *PAGE_ORDER,
            Div("website", css_class="honeypot", aria_hidden="true"),
        )

    def clean_name(self) -> str:
        return _single_line(self.cleaned_data["name"])

    def clean_subject(self) -> str:
        return _single_line(self.cleaned_data["subject"])

    def clean_application_reference(self) -> str:
        reference = self.cleaned_data["application_reference"].strip().upper()
        if reference and not re.fullmatch(APPLICATION_REFERENCE_PATTERN, reference):
            raise forms.ValidationError(
                _(
                    "Cette référence n’a pas la forme attendue, par exemple MOB-2026-00042. "
                    "Corrigez-la ou laissez ce champ vide."
                )
            )
        return reference

    def is_robot(self) -> bool:
        """The hidden field is filled in: a robot, to be thanked and ignored."""
        return bool(self.data.get("website"))

    def link_errors_to_fields(self) -> None:
        link_errors_to_fields(self)

    def error_summary(self) -> list[tuple[str | None, str]]:
        return error_summary(self, page_order=list(PAGE_ORDER))
