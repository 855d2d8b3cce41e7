"""Forms of the EWP IIA import: the partner's file, then what an unknown partner is."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from partnerships.ewp.iia_import import IIAImportRefused, ImportedIIA, read_iia_file
from partnerships.models import Institution


class IIAFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier XML du partenaire"),
        help_text=_(
            "Une réponse IIA v7 (iias-get-response) : le fichier que le système du partenaire ou le "
            "tableau de bord EWP exporte. %(size)s au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def __init__(self, *args, own_schac_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.own_schac_code = own_schac_code
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES)
        }
        self.iias: list[ImportedIIA] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Judged on its size before a byte of it is parsed.
        if upload.size > settings.PORTAL_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Ce fichier pèse %(size)s ; %(limit)s au plus."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES),
                },
                code="too_large",
            )
        try:
            self.iias = read_iia_file(upload.read(), self.own_schac_code)
        except IIAImportRefused as refused:
            raise ValidationError(str(refused), code="refused") from refused
        return upload


class NewPartnerForm(forms.ModelForm):
    """The institution to create for a partner that no SCHAC code of ours names yet: the file
    gives its SCHAC code only."""

    class Meta:
        model = Institution
        fields = ["name", "country", "kind"]
        help_texts = {"name": _("Il sera créé non publié : complétez sa fiche avant de le publier.")}
