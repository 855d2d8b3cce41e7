"""Fields and widgets of the public forms: one empty choice for every list, single answers stated."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from mobility.models import CallDestination
from partnerships.content_language import falls_back
from partnerships.models import MobilityTerm, Programme

# Every list opens on the same invitation, so that no answer is ever chosen for the person.
EMPTY_LABEL = _("— Choisissez —")
# What a browser without a date picker sends is what the person typed, in the format the help
# text asks for whatever the page's language; date pickers send ISO dates.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
# An e-mail address, on every public form: what is missing or malformed, and how to fix it.
EMAIL_ERROR_MESSAGES = {
    "required": _("Indiquez votre adresse électronique."),
    "invalid": _("Indiquez une adresse électronique complète, de la forme nom@exemple.fr."),
}
DATE_HELP = _("Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier.")


def with_empty_choice(choices: Any) -> list[tuple[Any, Any]]:
    return [("", EMPTY_LABEL), *choices]


class FixedChoice(forms.Widget):
    """The one possible answer to a choice, stated as text instead of asked.

    Its field is disabled, so the value comes from the field's `initial`, never from the request.
    """

    is_fixed_choice = True

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return format_html('<span class="fixed-choice__value">{}</span>', self.text)


class DestinationSelect(forms.Select):
    """A list of destinations whose French names, on an English page, are marked lang="fr"."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        destination = getattr(value, "instance", None)
        if destination is not None and falls_back(destination.institution, "name"):
            option["attrs"]["lang"] = settings.LANGUAGE_CODE
        return option


class DestinationChoiceField(forms.ModelChoiceField):
    widget = DestinationSelect

    def label_from_instance(self, destination: CallDestination) -> str:
        institution = destination.institution
        place = ", ".join(part for part in (institution.city, str(institution.country.name)) if part)
        return f"{institution.name} ({place})"


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme: Programme) -> str:
        # The code first: typing "DE" in the closed list reaches the programme.
        return f"{programme.code} — {programme.name}"


def destination_field(label: Any, *, required: bool = False) -> DestinationChoiceField:
    return DestinationChoiceField(
        label=label,
        queryset=CallDestination.objects.none(),
        required=required,
        empty_label=EMPTY_LABEL,
        error_messages={
            "required": _("Choisissez une première destination."),
            "invalid_choice": _("Choisissez une destination dans la liste."),
        },
    )


def date_field(label: Any, *, required: Any, invalid: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=DATE_HELP,
        error_messages={"required": required, "invalid": invalid},
    )


def language_field(label: Any, *, required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=with_empty_choice(settings.PORTAL_MOBILITY_LANGUAGES),
        required=required,
        error_messages={
            "required": _("Indiquez une langue que vous pratiquez."),
            "invalid_choice": _("Choisissez une langue dans la liste."),
        },
    )


def level_field(label: Any, *, required: bool, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=with_empty_choice(MobilityTerm.CefrLevel.choices),
        required=required,
        help_text=help_text,
        error_messages={
            "required": _("Indiquez votre niveau dans cette langue."),
            "invalid_choice": _("Choisissez un niveau de A1 à C2."),
        },
    )


def state_single_choices(fields: dict[str, forms.Field]) -> None:
    """Turn each required choice with one possible answer into a statement of that answer.

    The field is disabled, so its value is that answer whatever the request says. An optional
    choice with one answer stays a choice: the person may leave it empty.
    """
    for field in fields.values():
        if not isinstance(field, forms.ChoiceField) or not field.required:
            continue
        options: list[tuple[Any, Any]]
        if isinstance(field, forms.ModelChoiceField):
            objects = list(field.queryset[:2]) if field.queryset is not None else []
            options = [(obj.pk, field.label_from_instance(obj)) for obj in objects]
        else:
            # Choice fields keep their choices as a list of (value, label) pairs once set.
            choices = cast(list[tuple[Any, Any]], field.choices)
            options = [(value, label) for value, label in choices if value not in ("", None)]
        if len(options) == 1:
            value, text = options[0]
            field.disabled = True
            field.initial = value
            field.widget = FixedChoice(str(text))
