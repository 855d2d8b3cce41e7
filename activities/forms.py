from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityKind


class ActivityFilterForm(forms.Form):
    """The list's filters, sent by GET. A value that is not offered is reported and ignored."""

    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[
            ("", _("Tous les types")),
            *((kind, capfirst(label)) for kind, label in ActivityKind.choices),
        ],
    )
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes les années")), *((year, year) for year in years)]  # type: ignore[attr-defined]

    def filters(self) -> tuple[str | None, int | None]:
        """The kind and the year to filter by; a field with an invalid value filters nothing."""
        if not self.is_bound:
            return None, None
        self.is_valid()
        data = self.cleaned_data
        return data.get("kind") or None, data.get("year")
