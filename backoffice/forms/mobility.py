"""Forms of the mobility admin: calls and status changes.

The calls form repeats the database constraint on the call's dates on purpose: staff
read in French, on the field concerned, what to fix, instead of a generic constraint
message.
"""

from typing import TYPE_CHECKING

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mobility.models import Call, StatusChange
from partnerships.models import MobilityTerm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_mobility_types_field = Call._meta.get_field("mobility_types")


# No Meta: the admin's fieldsets decide the fields.
class CallAdminForm(forms.ModelForm):
    # A JSON list in the database; staff tick boxes instead of typing JSON.
    mobility_types = forms.MultipleChoiceField(
        label=capfirst(_mobility_types_field.verbose_name),
        help_text=_("Sans case cochée, l’appel propose tous les types."),
        choices=MobilityTerm.MobilityType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_mobility_types(self):
        chosen = set(self.cleaned_data.get("mobility_types") or [])
        # Always stored in the order of the choices, whatever order the boxes were posted in.
        return [value for value in MobilityTerm.MobilityType.values if value in chosen]

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        opens_at, closes_at = cleaned_data.get("opens_at"), cleaned_data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            # An error on the field also spares staff the constraint `call_closes_after_it_opens`,
            # which Django skips for fields that already failed.
            self.add_error(
                "closes_at",
                _("La clôture doit venir après l’ouverture : corrigez l’une des deux dates."),
            )
        return cleaned_data


def _visible_to_applicant(value: str) -> bool:
    return value == "yes"


def visible_to_applicant_field(label: "StrOrPromise") -> forms.TypedChoiceField:
    """Yes or no, with nothing chosen beforehand: whether the applicant reads the comment is
    asked every time, so that an internal note never reaches the applicant by default."""
    return forms.TypedChoiceField(
        label=label,
        choices=[
            (
                "yes",
                _("Oui : il figure dans l’e-mail envoyé à la personne candidate et sur sa page de suivi"),
            ),
            ("no", _("Non : il reste interne au service")),
        ],
        coerce=_visible_to_applicant,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez si la personne candidate verra ce commentaire : oui ou non."),
            "invalid_choice": _("Choisissez si la personne candidate verra ce commentaire : oui ou non."),
        },
    )


class TransitionForm(forms.Form):
    """The comment that goes with a status change, written by staff."""

    comment = forms.CharField(
        label=capfirst(StatusChange._meta.get_field("comment").verbose_name),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        max_length=2000,
        error_messages={"required": _("Expliquez ce changement de statut en quelques mots.")},
    )
    visible_to_applicant = visible_to_applicant_field(
        capfirst(StatusChange._meta.get_field("visible_to_applicant").verbose_name)
    )


class DecisionRevertForm(forms.Form):
    """Why a decision is taken back: required, and kept in the application's status history.

    The reason has a name of its own: a comment form for another status, posted after someone
    else decided in the meantime, cannot pass for a reversal.
    """

    reason = forms.CharField(
        label=_("Motif de l’annulation"),
        help_text=_("Gardé dans l’historique des statuts, avec votre nom et la date."),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        max_length=2000,
        error_messages={"required": _("Indiquez pourquoi la décision est annulée.")},
    )
    visible_to_applicant = visible_to_applicant_field(_("Motif visible par la personne candidate"))
