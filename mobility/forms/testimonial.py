"""The testimonial form: the account of a finished mobility, its photo, the name shown and the
consent to publish it."""

import re
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobility.forms.errors import error_summary, link_errors_to_fields
from mobility.forms.fields import state_single_choices
from mobility.models import Testimonial
from mobility.models.testimonials import DISPLAY_NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TEXT_MIN_LENGTH
from mobility.testimonial_services import TestimonialContent
from partnerships.models import Institution
from uploads.checks import CheckedDocument, validate_image

# One word, which may hold hyphens or apostrophes (Zoé, Jean-Luc, N’Diaye), or up to three
# initials each followed by a full stop (C., C. D., C.D.).
_LETTER = r"[^\W\d_]"
DISPLAY_NAME_PATTERN = re.compile(rf"{_LETTER}+(?:[-'’]{_LETTER}+)*|{_LETTER}\.(?:\s?{_LETTER}\.){{0,2}}")
# The longest side of a published photo: sharp in the pages' column (20rem) on any screen,
# and light enough for a page of six testimonials.
PHOTO_MAX_SIDE = 1200
PAGE_ORDER = ("institution", "text", "display_name", "photo", "remove_photo", "photo_alt", "consent")


class TestimonialForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Où s’est déroulée votre mobilité ?"),
        queryset=Institution.objects.none(),
        empty_label=_("— Choisissez —"),
        error_messages={"required": _("Choisissez l’établissement où vous êtes allé ou allée.")},
    )
    text = forms.CharField(
        label=_("Votre témoignage"),
        min_length=TEXT_MIN_LENGTH,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Écrivez votre témoignage."),
            "min_length": _(
                "Écrivez au moins %(limit_value)d caractères (vous en avez écrit %(show_value)d)."
            ),
            "max_length": _(
                "Écrivez au plus %(limit_value)d caractères (vous en avez écrit %(show_value)d)."
            ),
        },
    )
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_(
            "Votre prénom seul (par exemple « Camille ») ou vos initiales (par exemple « C. D. »), "
            "30 caractères au plus : jamais votre nom de famille."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Indiquez votre prénom ou vos initiales.")},
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
        error_messages={"empty": _("Le fichier soumis est vide. Choisissez un autre fichier.")},
    )
    remove_photo = forms.BooleanField(label=_("Retirer la photo publiée avec ce témoignage"), required=False)
    photo_alt = forms.CharField(
        label=_("Description de la photo"),
        required=False,
        max_length=200,
        help_text=_(
            "Une phrase qui dit ce que montre la photo, pour les personnes qui ne la voient pas. "
            "Obligatoire avec une photo."
        ),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Pour envoyer votre témoignage, cochez la case qui accepte sa publication.")
        },
    )

    def __init__(
        self, *args: Any, institutions: list[Institution], testimonial: Testimonial | None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.testimonial = testimonial
        self.checked_photo: CheckedDocument | None = None
        institution = cast(forms.ModelChoiceField, self.fields["institution"])
        if institutions:
            institution.queryset = Institution.objects.filter(pk__in=[i.pk for i in institutions]).order_by(
                "name"
            )
            if testimonial is not None and testimonial.institution_id:
                institution.initial = testimonial.institution_id
        else:
            # An incoming mobility, or an application deleted since: the testimonial keeps its place.
            del self.fields["institution"]
        if testimonial is None or not testimonial.photo:
            del self.fields["remove_photo"]
        if testimonial is not None:
            # What the author wrote, in the language they wrote it in, whatever the page's language.
            for name in ("text", "photo_alt"):
                self.fields[name].widget.attrs["lang"] = testimonial.language
        limit = settings.PORTAL_MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields["photo"].help_text = gettext(
            "JPEG ou PNG, %(size)s Mo au plus. Elle est publiée sans ses métadonnées (lieu, appareil, date)."
        ) % {"size": limit}
        if testimonial is not None and testimonial.photo:
            self.fields["photo"].label = _("Remplacer la photo")
        self.fields["consent"].label = gettext(
            "J’accepte que l’IRTS Normandie-Caen publie ce témoignage, avec le nom affiché, la photo et sa "
            "description, la destination et l’année de ma mobilité, sur les pages publiques de son portail "
            "(page de l’établissement, de la destination et de la mobilité). Je peux retirer ce consentement "
            "à tout moment avec le même lien : le témoignage et sa photo sont alors supprimés."
        )
        state_single_choices(self.fields)
        self.helper = self._build_helper()

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.field_template = "crispy/field.html"
        items: list[Any] = [name for name in PAGE_ORDER if name in self.fields]
        if self.files:
            # Shown only after a failed submission that carried a photo: the browser forgot it.
            notice = gettext(
                "Choisissez à nouveau votre photo : celle de votre envoi précédent n’a pas été conservée."
            )
            items.insert(items.index("photo"), HTML(format_html('<p class="files-notice">{}</p>', notice)))
        helper.layout = Layout(*items)
        return helper

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not DISPLAY_NAME_PATTERN.fullmatch(name):
            raise forms.ValidationError(
                _(
                    "Indiquez seulement votre prénom, en un mot (par exemple « Camille » ou « Jean-Luc »), "
                    "ou vos initiales (par exemple « C. D. »)."
                )
            )
        return name

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                self.checked_photo = validate_image(photo, max_side=PHOTO_MAX_SIDE)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    gettext("%(problem)s Choisissez une autre photo.") % {"problem": " ".join(error.messages)}
                ) from error
        return photo

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        keeps_photo = bool(self.testimonial and self.testimonial.photo) and not data.get("remove_photo")
        has_photo = bool(data.get("photo")) or keeps_photo
        if has_photo and not (data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Décrivez la photo en une phrase, ou n’en joignez pas."))
        return data

    def content(self) -> TestimonialContent:
        data = self.cleaned_data
        return TestimonialContent(
            text=data["text"],
            display_name=data["display_name"],
            photo=self.checked_photo,
            photo_alt=data.get("photo_alt", "").strip(),
            remove_photo=bool(data.get("remove_photo")) and self.checked_photo is None,
            institution=data.get("institution"),
        )

    def link_errors_to_fields(self) -> None:
        link_errors_to_fields(self)

    def error_summary(self) -> list[tuple[str | None, str]]:
        return error_summary(self, page_order=[name for name in PAGE_ORDER if name in self.fields])
