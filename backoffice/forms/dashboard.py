"""The dashboard's year selector: a GET form, so that a filtered dashboard has an address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility.models import Call
from partnerships.academic_years import academic_year_label, academic_year_of, local_today

# The query-string name, in French as the whole back office is.
YEAR_PARAM = "annee"


def year_choices() -> list[tuple[int | str, str]]:
    """No year (the open calls), then the academic years that have a call and the current one,
    most recent first. Read each time a form is built: a new call adds its year."""
    years = {
        *Call.objects.values_list("academic_year", flat=True).distinct(),
        academic_year_of(local_today()),
    }
    return [
        ("", str(_("Appels ouverts"))),
        *((year, academic_year_label(year)) for year in sorted(years, reverse=True)),
    ]


class DashboardYearForm(forms.Form):
    annee = forms.TypedChoiceField(
        label=_("Année universitaire"),
        choices=year_choices,
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Sans année choisie, le tableau de bord montre les appels ouverts."),
    )

    def chosen_year(self) -> int | None:
        """The year asked for, or None for none or one that is not valid."""
        return self.cleaned_data[YEAR_PARAM] if self.is_valid() else None
