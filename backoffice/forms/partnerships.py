"""Forms and widgets of the partnerships admin.

Each check here repeats a database constraint or a model rule on purpose: the
form catches the mistake first, so staff read in French what to fix on the
field concerned instead of a generic constraint message or a server error.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.images import logo_without_metadata
from partnerships.models import Institution, MobilityTerm


@dataclass(frozen=True)
class _DownloadLink:
    """Stands in for the current file in the admin's file-input template, which
    only reads `value.url` and `value`."""

    url: str
    text: str

    def __str__(self) -> str:
        return str(self.text)


class PrivateFileInput(AdminFileWidget):
    """The admin's file input, for a file on the private storage.

    That storage refuses to give a URL (files must never be public), which the
    stock widget asks for as soon as a file exists. Here the current file links
    to a permission-checked download view instead.
    """

    def __init__(self, url_name: str, link_text, attrs=None):
        self.url_name = url_name
        self.link_text = link_text
        super().__init__(attrs)

    def is_initial(self, value) -> bool:
        # An upload waiting on a form error is not a stored file: nothing to link to yet.
        return isinstance(value, FieldFile) and bool(value) and value.instance.pk is not None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            url = reverse(self.url_name, args=[quote(value.instance.pk)])
            context["widget"]["value"] = _DownloadLink(url, self.link_text)
        return context


def _check_year_order(form: forms.BaseForm, first: str, last: str, message) -> None:
    first_year, last_year = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if first_year is not None and last_year is not None and last_year < first_year:
        form.add_error(last, message)


# No Meta on these forms: the admin's fieldsets decide the fields.
class InstitutionAdminForm(forms.ModelForm):
    def _other_institution(self, **lookup) -> Institution | None:
        return Institution.objects.filter(**lookup).exclude(pk=self.instance.pk).first()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # Only a new upload is re-encoded; False means "clear", a FieldFile is the stored logo.
        if isinstance(logo, UploadedFile):
            logo = logo_without_metadata(logo)
        return logo

    def clean_is_own(self):
        is_own = self.cleaned_data.get("is_own")
        if is_own and (other := self._other_institution(is_own=True)):
            raise ValidationError(
                _(
                    "« %(name)s » est déjà marqué comme notre établissement, et un seul peut l’être : "
                    "décochez d’abord la case sur sa fiche."
                ),
                params={"name": other.name},
            )
        return is_own

    def clean_erasmus_code(self):
        code = self.cleaned_data.get("erasmus_code")
        if code and (other := self._other_institution(erasmus_code=code)):
            raise ValidationError(
                _("Ce code Erasmus est déjà celui de « %(name)s » : vérifiez-le."),
                params={"name": other.name},
            )
        return code


class AgreementAdminForm(forms.ModelForm):
    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        _check_year_order(
            self,
            "first_academic_year",
            "last_academic_year",
            _("La dernière année universitaire précède la première : corrigez l’une des deux."),
        )
        return cleaned_data


class FundingPeriodForm(forms.ModelForm):
    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        _check_year_order(
            self,
            "first_year",
            "last_year",
            _("La dernière année précède la première : corrigez l’une des deux."),
        )
        return cleaned_data


class MobilityTermForm(forms.ModelForm):
    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        mobility_type = cleaned_data.get("mobility_type")
        if mobility_type in MobilityTerm.STUDENT_TYPES and cleaned_data.get("duration_days") is not None:
            self.add_error(
                "duration_days",
                _(
                    "La mobilité d’un étudiant se compte en mois : videz « durée (jours) » "
                    "et indiquez la durée en mois."
                ),
            )
        if mobility_type in MobilityTerm.STAFF_TYPES and cleaned_data.get("duration_months") is not None:
            self.add_error(
                "duration_months",
                _(
                    "La mobilité d’un personnel se compte en jours : videz « durée (mois) » "
                    "et indiquez la durée en jours."
                ),
            )
        return cleaned_data


class AgreementPartyFormSet(BaseInlineFormSet):
    """An agreement binds at least two institutions: the school and one partner or more."""

    def clean(self):
        super().clean()
        institutions = {
            form.cleaned_data["institution"]
            for form in self.forms
            if form.cleaned_data.get("institution") and not form.cleaned_data.get("DELETE", False)
        }
        if len(institutions) < 2:
            raise ValidationError(
                _(
                    "Un accord doit avoir au moins deux signataires : ajoutez l’établissement partenaire "
                    "(et l’IRTS Normandie-Caen s’il n’y figure pas)."
                ),
                code="too_few_parties",
            )
