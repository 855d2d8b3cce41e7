from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Destination, Institution, MobilityTerm, Programme
from partnerships.selectors import PartnerSearch, programmes_in_force


class ProgrammeNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return obj.name


class PartnerSearchForm(forms.Form):
    """The partners index's search and filters, read from the query string."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Nom, ville ou pays ; les accents et les majuscules sont ignorés."),
    )
    destination = forms.ModelChoiceField(
        label=_("Pays ou région"),
        queryset=Destination.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous"),
    )
    kind = forms.ChoiceField(label=_("Type d’établissement"), required=False)
    programme = ProgrammeNameChoiceField(
        label=_("Formation"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes"),
    )
    mobility = forms.ChoiceField(label=_("Type de mobilité"), required=False)

    def __init__(self, *args, destinations: list[Destination], **kwargs):
        super().__init__(*args, **kwargs)
        destination_field = cast(forms.ModelChoiceField, self.fields["destination"])
        destination_field.queryset = Destination.objects.filter(pk__in=[d.pk for d in destinations])
        # The destinations are already loaded: offer them without another query.
        destination_field.choices = [("", _("Tous")), *[(d.slug, d.label) for d in destinations]]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Tous")), *Institution.Kind.choices]
        programme_field = cast(forms.ModelChoiceField, self.fields["programme"])
        programme_field.queryset = programmes_in_force()
        cast(forms.ChoiceField, self.fields["mobility"]).choices = [
            ("", _("Toutes")),
            *MobilityTerm.MobilityType.choices,
        ]

    def search(self) -> PartnerSearch:
        """The valid part of the query: a wrong value in one filter leaves the others working."""
        if not self.is_bound:
            return PartnerSearch()
        self.is_valid()  # fills cleaned_data with the fields that are valid, and only those
        data = self.cleaned_data
        return PartnerSearch(
            text=(data.get("q") or "").strip(),
            destination=data.get("destination"),
            kind=data.get("kind") or "",
            programme=data.get("programme"),
            mobility_type=data.get("mobility") or "",
        )
