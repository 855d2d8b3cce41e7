from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.directory import FacetOption, Facets, PartnerSearch
from partnerships.models import Destination, Institution, MobilityTerm, Programme
from partnerships.selectors import programmes_in_force


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

    # The first option of each filter, which leaves it off.
    EMPTY_LABELS = {
        "destination": _("Tous"),
        "kind": _("Tous"),
        "programme": _("Toutes"),
        "mobility": _("Toutes"),
    }

    def __init__(self, *args, destinations: list[Destination], **kwargs):
        super().__init__(*args, **kwargs)
        # The valid values; `offer` then shows only the useful ones, with their counts.
        destination_field = cast(forms.ModelChoiceField, self.fields["destination"])
        destination_field.queryset = Destination.objects.filter(pk__in=[d.pk for d in destinations])
        # The destinations are already loaded: check a chosen one without another query.
        destination_field.choices = [("", _("Tous")), *[(d.slug, d.label) for d in destinations]]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Tous")), *Institution.Kind.choices]
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes_in_force()
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

    def offer(self, facets: Facets) -> None:
        """Show each filter's options with how many partners they give, leaving out those that give
        none, except the one chosen, so that the form always shows what the list is filtered by."""
        for name, facet in (
            ("destination", facets.destination),
            ("kind", facets.kind),
            ("programme", facets.programme),
            ("mobility", facets.mobility),
        ):
            chosen = self.data.get(name, "") if self.is_bound else ""
            field = cast(forms.ChoiceField, self.fields[name])
            offered = [option for option in facet if option.count or option.value == chosen]
            field.choices = [("", self.EMPTY_LABELS[name]), *[(o.value, option_label(o)) for o in offered]]


def option_label(option: FacetOption) -> str:
    """ "Belgique (2)": the option and the number of partners it gives."""
    return f"{option.label} ({option.count})"
