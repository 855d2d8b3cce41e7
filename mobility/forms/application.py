"""The application to a call, as the public form asks it."""

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
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mobility.forms.errors import error_summary, link_errors_to_fields
from mobility.forms.fields import (
    EMAIL_ERROR_MESSAGES,
    EMPTY_LABEL,
    ProgrammeChoiceField,
    date_field,
    destination_field,
    language_field,
    level_field,
    state_single_choices,
    with_empty_choice,
)
from mobility.models import Call, CallDestination, CallDocument
from mobility.models.applications import Category
from mobility.services import Applicant, UploadedDocument, applicant_errors
from partnerships.models import MobilityTerm, Programme
from uploads.checks import CheckedDocument, validate_document

MOTIVATION_MIN, MOTIVATION_MAX = 300, 4000
STUDENT = Category.STUDENT
DESTINATION_FIELDS = ("choice_1", "choice_2", "choice_3")
# What to do about a document that the content checks refused (their message says what is wrong).
DOCUMENT_FIXES = {
    "too_large": _("Réduisez-le ou choisissez un fichier plus léger."),
    "empty": _("Choisissez un autre fichier."),
    "bomb": _("Choisissez un autre fichier."),
    "bad_image": _("Choisissez un autre fichier."),
}


def _motivation_help() -> str:
    # Translated, then formatted, each time a form is shown: a lazy string formatted when this
    # module is imported would stay in the language active then.
    return gettext(
        "Entre %(min)s et %(max)s caractères : votre projet, ce que vous en attendez, ce que vous y apporterez."
    ) % {"min": MOTIVATION_MIN, "max": MOTIVATION_MAX}


class ApplicationForm(forms.Form):
    """The application to one call: only that call's destinations, documents and categories.

    Every error message says what to do; `error_summary` lists them in the order of the page.
    """

    given_names = forms.CharField(
        label=_("Prénom(s)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Indiquez votre ou vos prénoms.")},
    )
    family_name = forms.CharField(
        label=_("Nom de famille"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Indiquez votre nom de famille.")},
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Votre lien personnel de suivi vous sera envoyé à cette adresse."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages=EMAIL_ERROR_MESSAGES,
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    category = forms.ChoiceField(
        label=_("Vous êtes"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce qui vous décrit."),
            "invalid_choice": _("Choisissez l’une des réponses proposées."),
        },
    )
    programme = ProgrammeChoiceField(
        label=_("Formation suivie"),
        queryset=Programme.objects.order_by("code"),
        required=False,
        empty_label=EMPTY_LABEL,
        help_text=_("Obligatoire pour les étudiants et étudiantes."),
        error_messages={
            "required": _("Indiquez la formation que vous suivez."),
            "invalid_choice": _("Choisissez votre formation dans la liste."),
        },
    )
    year_of_study = forms.TypedChoiceField(
        label=_("Année de formation"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=with_empty_choice(
            [(1, _("1re année")), (2, _("2e année")), (3, _("3e année")), (4, _("4e année ou plus"))]
        ),
        help_text=_("Obligatoire pour les étudiants et étudiantes."),
        error_messages={
            "required": _("Indiquez votre année de formation."),
            "invalid_choice": _("Choisissez votre année de formation dans la liste."),
        },
    )
    home_institution = forms.CharField(
        label=_("Établissement d’origine"),
        max_length=200,
        required=False,
        help_text=_("L’établissement où vous étudiez ou travaillez aujourd’hui."),
        error_messages={"required": _("Indiquez l’établissement où vous étudiez ou travaillez.")},
    )
    mobility_type = forms.ChoiceField(
        label=_("Type de mobilité"),
        error_messages={
            "required": _("Choisissez un type de mobilité."),
            "invalid_choice": _("Choisissez un type de mobilité dans la liste."),
        },
    )
    choice_1 = destination_field(_("Premier choix"), required=True)
    choice_2 = destination_field(_("Deuxième choix"))
    choice_3 = destination_field(_("Troisième choix"))
    wished_start = date_field(
        _("Début souhaité"),
        required=_("Indiquez la date de début souhaitée."),
        invalid=_("Indiquez la date de début au format jj/mm/aaaa, par exemple 15/09/2027."),
    )
    wished_end = date_field(
        _("Fin souhaitée"),
        required=_("Indiquez la date de fin souhaitée."),
        invalid=_("Indiquez la date de fin au format jj/mm/aaaa, par exemple 15/12/2027."),
    )
    motivation = forms.CharField(
        label=_("Votre motivation"),
        min_length=MOTIVATION_MIN,
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=lazy(_motivation_help, str)(),
        error_messages={
            "required": _("Expliquez votre motivation."),
            "min_length": _(
                "Votre motivation compte %(show_value)d caractères : développez-la jusqu’à au moins %(limit_value)d caractères."
            ),
            "max_length": _(
                "Votre motivation compte %(show_value)d caractères : raccourcissez-la à au plus %(limit_value)d caractères."
            ),
        },
    )
    language_1 = language_field(_("Langue"), required=True)
    level_1 = level_field(
        _("Votre niveau dans cette langue"),
        required=True,
        help_text=_("Niveau du cadre européen (CECRL), de A1 à C2, selon votre propre estimation."),
    )
    language_2 = language_field(_("Autre langue"), required=False)
    level_2 = level_field(_("Votre niveau dans l’autre langue"), required=False)
    consent = forms.BooleanField(
        label=_("J’accepte"),
        required=True,
        error_messages={
            "required": _(
                "Pour envoyer votre candidature, cochez la case qui accepte le traitement de vos données personnelles."
            )
        },
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)
    submission_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("Votre envoi n’a pas pu être traité. Réessayez.")},
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.destination_fields: list[str] = []
        self.document_fields: dict[str, str] = {}
        self.checked_documents: dict[str, CheckedDocument] = {}
        self._configure_for_call()
        state_single_choices(self.fields)
        self.page_order: list[str] = []
        self.helper = self._build_helper()

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def _model_choice_field(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])

    def _configure_for_call(self) -> None:
        call = self.call
        self._choice_field("category").choices = [
            c
            for c in Category.choices
            if (c[0] == STUDENT and call.accepts_students) or (c[0] != STUDENT and call.accepts_staff)
        ]
        types = [
            (value, label)
            for value, label in MobilityTerm.MobilityType.choices
            if value in call.mobility_types
        ]
        self._choice_field("mobility_type").choices = with_empty_choice(
            types or MobilityTerm.MobilityType.choices
        )
        if call.is_incoming:
            for name in DESTINATION_FIELDS:
                del self.fields[name]
            self.fields["home_institution"].required = True
        else:
            self._configure_destinations()
        for document in call.documents.all():
            self._add_document_field(document)
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
        elif not call.accepts_staff:
            # Everyone who applies is a student: the programme and the year are plainly required.
            for name in ("programme", "year_of_study"):
                self.fields[name].required = True
                self.fields[name].help_text = ""
        if not call.is_incoming:
            del self.fields["home_institution"]
        website = self.fields["website"].widget
        website.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def _configure_destinations(self) -> None:
        destinations = self.call.destinations.select_related("institution").order_by(
            "position", "institution__name"
        )
        # The page's call comes with its destinations (selectors.call_for_page): count those.
        count = len(self.call.destinations.all())
        if count == 1:
            # Stated rather than asked (see state_single_choices): not a "first" choice then.
            self.fields["choice_1"].label = _("Destination")
        for position, name in enumerate(DESTINATION_FIELDS, start=1):
            # A second or third choice needs as many destinations to choose from.
            if position > 1 and position > count:
                del self.fields[name]
                continue
            self._model_choice_field(name).queryset = destinations
            self.destination_fields.append(name)

    def _add_document_field(self, document: CallDocument) -> None:
        name = f"document_{document.kind}"
        self.document_fields[name] = document.kind
        limit = settings.PORTAL_MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields[name] = forms.FileField(
            label=capfirst(document.get_kind_display()),
            required=document.is_required,
            help_text=" ".join(
                part
                for part in (
                    document.help_text,
                    gettext("PDF, JPEG ou PNG, %(size)s Mo au plus.") % {"size": limit},
                )
                if part
            ),
            widget=forms.ClearableFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
            error_messages={
                "required": _("Joignez ce fichier."),
                "empty": _("Le fichier soumis est vide. Choisissez un autre fichier."),
            },
        )

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        # Our field template: one way of marking required fields, single choices as statements.
        helper.field_template = "crispy/field.html"
        documents: list[Any] = list(self.document_fields)
        if documents and self.files:
            # Shown only after a failed submission that carried files: the browser forgot them.
            notice = gettext(
                "Choisissez à nouveau vos fichiers : ceux de votre envoi précédent n’ont pas été conservés."
            )
            documents.insert(0, HTML(format_html('<p class="files-notice">{}</p>', notice)))
        sections: list[tuple[Any, list[Any]]] = [
            (_("Vous"), [("given_names", "family_name"), "email", "phone", "category"]),
            (_("Votre formation ou votre établissement"), ["programme", "year_of_study", "home_institution"]),
            (
                _("Votre projet de mobilité"),
                ["mobility_type", *DESTINATION_FIELDS, ("wished_start", "wished_end"), "motivation"],
            ),
            (_("Langues"), [("language_1", "level_1"), ("language_2", "level_2")]),
            (_("Pièces à joindre"), documents),
            (_("Vos données personnelles"), ["consent"]),
        ]
        fieldsets = [
            Fieldset(legend, *items) for legend, entries in sections if (items := self._lay_out(entries))
        ]
        helper.layout = Layout(
            "submission_key", *fieldsets, Div("website", css_class="honeypot", aria_hidden="true")
        )
        return helper

    def _lay_out(self, entries: list[Any]) -> list[Any]:
        """The fields of `entries` that this call has, pairs side by side; records the page order."""
        items: list[Any] = []
        for entry in entries:
            if isinstance(entry, HTML):
                items.append(entry)
                continue
            names = [
                name for name in (entry if isinstance(entry, tuple) else (entry,)) if name in self.fields
            ]
            self.page_order.extend(names)
            if isinstance(entry, tuple) and names:
                items.append(Div(*names, css_class="field-pair"))
            else:
                items.extend(names)
        # A section whose only item is a notice has no field left to show.
        return items if any(not isinstance(item, HTML) for item in items) else []

    # --- validation -------------------------------------------------------------------------
    def clean_wished_start(self) -> datetime.date:
        start = self.cleaned_data["wished_start"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("La date de début est passée : indiquez une date à venir."))
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
            if name not in self.errors:  # one message per field: the required one says it already
                self.add_error(name if name in self.fields else None, message)
        self._clean_choices(data)
        self._clean_languages(data)
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

    def _clean_languages(self, data: dict) -> None:
        if data.get("language_2") and not data.get("level_2") and "level_2" not in self.errors:
            self.add_error("level_2", _("Indiquez votre niveau dans cette langue."))
        if data.get("level_2") and not data.get("language_2") and "language_2" not in self.errors:
            self.add_error("language_2", _("Indiquez l’autre langue, ou laissez son niveau vide."))
        if data.get("language_2") and data.get("language_2") == data.get("language_1"):
            self.add_error(
                "language_2",
                _("Vous avez déjà indiqué cette langue : choisissez-en une autre ou laissez vide."),
            )

    def documents(self) -> list[UploadedDocument]:
        documents = []
        for name, kind in self.document_fields.items():
            upload = self.cleaned_data.get(name)
            if upload:
                documents.append(
                    UploadedDocument(
                        kind=kind, original_name=upload.name or "", checked=self.checked_documents[name]
                    )
                )
        return documents

    def _post_clean(self) -> None:
        # Documents are checked by content here, after each field's own cleaning.
        for name in self.document_fields:
            upload = self.cleaned_data.get(name)
            if not upload:
                continue
            try:
                self.checked_documents[name] = validate_document(upload)
            except forms.ValidationError as error:
                fix = DOCUMENT_FIXES.get(error.code or "")
                message = error.messages[0]
                self.add_error(name, f"{message} {fix}" if fix else message)

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

    # --- errors for the page ----------------------------------------------------------------
    def link_errors_to_fields(self) -> None:
        link_errors_to_fields(self)

    def error_summary(self) -> list[tuple[str | None, str]]:
        """(anchor, message) for the summary at the top of the form, in the order of the page."""
        return error_summary(self, page_order=self.page_order, named=frozenset(self.document_fields))
