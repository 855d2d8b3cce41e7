import datetime
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobility.models import Call, CallDestination
from mobility.models.applications import Category
from mobility.services import Applicant, UploadedDocument, applicant_errors
from partnerships.models import MobilityTerm, Programme
from uploads.checks import validate_document

MOTIVATION_MIN, MOTIVATION_MAX = 300, 4000
STUDENT = Category.STUDENT


def _motivation_help() -> str:
    # Translated, then formatted, each time a form is shown: a lazy string formatted when this
    # module is imported would stay in the language active then.
    return gettext(
        "Entre %(min)s et %(max)s caractères : votre projet, ce que vous en attendez, ce que vous y apporterez."
    ) % {"min": MOTIVATION_MIN, "max": MOTIVATION_MAX}


class DestinationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, destination: CallDestination) -> str:
        institution = destination.institution
        place = ", ".join(part for part in (institution.city, str(institution.country.name)) if part)
        return f"{institution.name} ({place})"


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme: Programme) -> str:
        return f"{programme.name} ({programme.code})"


class ApplicationForm(forms.Form):
    """The application to one call: only that call's destinations, documents and categories."""

    given_names = forms.CharField(
        label=_("Prénom(s)"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    family_name = forms.CharField(
        label=_("Nom de famille"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Votre lien personnel de suivi vous sera envoyé à cette adresse."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    category = forms.ChoiceField(label=_("Vous êtes"), widget=forms.RadioSelect)
    programme = ProgrammeChoiceField(
        label=_("Formation suivie"),
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label="—",
        help_text=_("Pour les étudiants et étudiantes."),
    )
    year_of_study = forms.TypedChoiceField(
        label=_("Année de formation"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "—"),
            (1, _("1re année")),
            (2, _("2e année")),
            (3, _("3e année")),
            (4, _("4e année ou plus")),
        ],
        help_text=_("Pour les étudiants et étudiantes."),
    )
    home_institution = forms.CharField(
        label=_("Établissement d’origine"),
        max_length=200,
        required=False,
        help_text=_("L’établissement où vous étudiez ou travaillez aujourd’hui."),
    )
    mobility_type = forms.ChoiceField(label=_("Type de mobilité"))
    choice_1 = DestinationChoiceField(label=_("Premier choix"), queryset=CallDestination.objects.none())
    choice_2 = DestinationChoiceField(
        label=_("Deuxième choix (facultatif)"), queryset=CallDestination.objects.none(), required=False
    )
    choice_3 = DestinationChoiceField(
        label=_("Troisième choix (facultatif)"), queryset=CallDestination.objects.none(), required=False
    )
    wished_start = forms.DateField(
        label=_("Début souhaité"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier."),
    )
    wished_end = forms.DateField(
        label=_("Fin souhaitée"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au format jj/mm/aaaa si votre navigateur ne propose pas de calendrier."),
    )
    motivation = forms.CharField(
        label=_("Votre motivation"),
        min_length=MOTIVATION_MIN,
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=lazy(_motivation_help, str)(),
    )
    language_1 = forms.ChoiceField(
        label=_("Langue"), choices=[("", "—"), *settings.PORTAL_MOBILITY_LANGUAGES]
    )
    level_1 = forms.ChoiceField(
        label=_("Votre niveau"),
        choices=[("", "—"), *MobilityTerm.CefrLevel.choices],
        help_text=_("Niveau du cadre européen (CECRL), de A1 à C2, selon votre propre estimation."),
    )
    language_2 = forms.ChoiceField(
        label=_("Autre langue (facultatif)"),
        choices=[("", "—"), *settings.PORTAL_MOBILITY_LANGUAGES],
        required=False,
    )
    level_2 = forms.ChoiceField(
        label=_("Votre niveau"), choices=[("", "—"), *MobilityTerm.CefrLevel.choices], required=False
    )
    consent = forms.BooleanField(label=_("J’accepte"), required=True)
    # A field people never see: only robots fill it in.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.destination_fields = [] if call.is_incoming else ["choice_1", "choice_2", "choice_3"]
        self.document_fields: dict[str, str] = {}
        self.document_types: dict[str, str] = {}
        self._configure_for_call()
        self.helper = self._build_helper()

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def _model_choice_field(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])

    def _configure_for_call(self) -> None:
        call = self.call
        categories = [
            c
            for c in Category.choices
            if (c[0] == STUDENT and call.accepts_students) or (c[0] != STUDENT and call.accepts_staff)
        ]
        self._choice_field("category").choices = categories
        if len(categories) == 1:
            self.fields["category"].initial = categories[0][0]
        types = [
            (value, label)
            for value, label in MobilityTerm.MobilityType.choices
            if value in call.mobility_types
        ]
        self._choice_field("mobility_type").choices = types or MobilityTerm.MobilityType.choices
        if len(types) == 1:
            self.fields["mobility_type"].initial = types[0][0]
        if call.is_incoming:
            for name in ("choice_1", "choice_2", "choice_3"):
                del self.fields[name]
            self.fields["home_institution"].required = True
        else:
            destinations = call.destinations.select_related("institution").order_by(
                "position", "institution__name"
            )
            for name in ("choice_1", "choice_2", "choice_3"):
                self._model_choice_field(name).queryset = destinations
        for document in call.documents.all():
            name = f"document_{document.kind}"
            self.document_fields[name] = document.kind
            limit = settings.PORTAL_MAX_UPLOAD_BYTES // (1024 * 1024)
            self.fields[name] = forms.FileField(
                label=document.get_kind_display().capitalize()
                + ("" if document.is_required else str(_(" (facultatif)"))),
                required=document.is_required,
                help_text=" ".join(
                    part
                    for part in (
                        document.help_text,
                        str(_("PDF, JPEG ou PNG, %(size)s Mo au plus.") % {"size": limit}),
                    )
                    if part
                ),
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
                ),
            )
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>.',
            _(
                "J’accepte que l’IRTS Normandie-Caen traite les données de ce formulaire pour instruire ma candidature, comme l’explique la"
            ),
            reverse("privacy"),
            _("politique de protection des données personnelles"),
        )
        if not call.accepts_students:
            del self.fields["programme"], self.fields["year_of_study"]
        if not call.is_incoming:
            del self.fields["home_institution"]
        website = self.fields["website"].widget
        website.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        you = [Div("given_names", "family_name", css_class="field-pair"), "email", "phone", "category"]
        studies = [name for name in ("programme", "year_of_study", "home_institution") if name in self.fields]
        project = [
            "mobility_type",
            *self.destination_fields,
            Div("wished_start", "wished_end", css_class="field-pair"),
            "motivation",
        ]
        languages = [
            Div("language_1", "level_1", css_class="field-pair"),
            Div("language_2", "level_2", css_class="field-pair"),
        ]
        documents = [
            HTML(
                format_html(
                    '<p class="files-notice">{}</p>',
                    _(
                        "Si le formulaire signale une erreur, les fichiers choisis ne sont pas conservés : choisissez-les à nouveau avant d’envoyer."
                    ),
                )
            ),
            *self.document_fields,
        ]
        helper.layout = Layout(
            "submission_key",
            Fieldset(_("Vous"), *you),
            Fieldset(_("Votre formation ou votre établissement"), *studies) if studies else HTML(""),
            Fieldset(_("Votre projet de mobilité"), *project),
            Fieldset(_("Langues"), *languages),
            Fieldset(_("Pièces à joindre"), *documents) if self.document_fields else HTML(""),
            Fieldset(_("Vos données personnelles"), "consent"),
            Div("website", css_class="honeypot", aria_hidden="true"),
        )
        return helper

    # --- validation -------------------------------------------------------------------------
    def clean_wished_start(self) -> datetime.date:
        start = self.cleaned_data["wished_start"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("La date de début ne peut pas être passée."))
        return start

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("website"):
            raise forms.ValidationError(_("Votre envoi n’a pas pu être traité. Réessayez."), code="honeypot")
        is_student = data.get("category") == STUDENT
        rule_errors = applicant_errors(
            category=data.get("category"),
            # What a non-student left in the study fields is dropped, not held against them.
            programme=data.get("programme") if is_student else None,
            year_of_study=data.get("year_of_study") if is_student else None,
            wished_start=data.get("wished_start"),
            wished_end=data.get("wished_end"),
        )
        for name, message in rule_errors.items():
            self.add_error(name if name in self.fields else None, message)
        self._clean_choices(data)
        if data.get("language_2") and not data.get("level_2"):
            self.add_error("level_2", _("Indiquez votre niveau dans cette langue."))
        if data.get("language_2") and data.get("language_2") == data.get("language_1"):
            self.add_error("language_2", _("Vous avez déjà indiqué cette langue."))
        return data

    def _clean_choices(self, data: dict) -> None:
        seen = set()
        for name in self.destination_fields:
            destination = data.get(name)
            if destination is None:
                continue
            if destination.pk in seen:
                self.add_error(
                    name,
                    _("Vous avez déjà choisi cette destination : choisissez-en une autre ou laissez vide."),
                )
            seen.add(destination.pk)
        if data.get("choice_3") and not data.get("choice_2"):
            self.add_error("choice_2", _("Indiquez votre deuxième choix avant le troisième."))

    def documents(self) -> list[UploadedDocument]:
        documents = []
        for name, kind in self.document_fields.items():
            upload = self.cleaned_data.get(name)
            if upload:
                documents.append(
                    UploadedDocument(kind=kind, file=upload, content_type=self.document_types[name])
                )
        return documents

    def _post_clean(self) -> None:
        # Documents are checked by content here, after each field's own cleaning.
        for name in self.document_fields:
            upload = self.cleaned_data.get(name)
            if not upload:
                continue
            try:
                self.document_types[name] = validate_document(upload)
            except forms.ValidationError as error:
                self.add_error(name, error)

    # --- results for the service ------------------------------------------------------------
    def applicant(self) -> Applicant:
        data = self.cleaned_data
        is_student = data["category"] == STUDENT
        return Applicant(
            given_names=data["given_names"].strip(),
            family_name=data["family_name"].strip(),
            email=data["email"],
            phone=data["phone"].strip(),
            category=data["category"],
            programme=data.get("programme") if is_student else None,
            year_of_study=data.get("year_of_study") if is_student else None,
            home_institution=data.get("home_institution", "").strip(),
            mobility_type=data["mobility_type"],
            wished_start=data["wished_start"],
            wished_end=data["wished_end"],
            motivation=data["motivation"].strip(),
        )

    def chosen_destinations(self) -> list[CallDestination]:
        return [self.cleaned_data[name] for name in self.destination_fields if self.cleaned_data.get(name)]

    def languages(self) -> list[tuple[str, str]]:
        pairs = [
            (self.cleaned_data.get(f"language_{n}"), self.cleaned_data.get(f"level_{n}")) for n in (1, 2)
        ]
        return [(language, level) for language, level in pairs if language and level]

    def link_errors_to_fields(self) -> None:
        """Tie each field's error message to its input for screen readers (WCAG 3.3.1)."""
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described_by = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update(
                {"aria-describedby": " ".join(described_by), "aria-invalid": "true"}
            )


def error_summary(form: ApplicationForm) -> list[tuple[str, Any, Any]]:
    """(anchor, field label, message) for the summary at the top of the form."""
    items = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        anchor = form[name].auto_id
        if isinstance(form.fields[name].widget, forms.RadioSelect):
            anchor = f"{anchor}_0"
        items.append((anchor, form.fields[name].label, errors[0]))
    return items
