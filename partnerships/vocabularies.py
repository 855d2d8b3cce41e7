"""The controlled vocabularies of the agreements' terms, as data with their source named.

- Languages: ISO 639-1, the two-letter codes that EWP's `recommended-language-skill` takes, with
  their French and English names from the Debian iso-codes data that pycountry ships (ISO 639-3
  names and their translations).
- ISCED-F 2013 fields: the 149 four-digit detailed fields, from the OECD's copy of the UNESCO
  classification (data/isced_f_2013.json, written by data/build_isced_f.py, which names the
  source). Their names are in English only: no French source (CITE-F 2013) could be obtained.
- CEFR levels (A1 to C2): MobilityTerm's own choices (Council of Europe, Common European
  Framework of Reference for Languages, 2001).
- EQF levels (1 to 8): `EQF_LEVELS`, from the Council Recommendation of 22 May 2017 on the
  European Qualifications Framework (2017/C 189/03), with the French diplomas the portal's
  programmes lead to at each level (France Compétences, Répertoire national des certifications
  professionnelles) as a reminder where there is one.
"""

import gettext
import json
from functools import cache
from pathlib import Path

import pycountry
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

EQF_LEVELS = [
    (1, _("niveau 1")),
    (2, _("niveau 2")),
    (3, _("niveau 3 (p. ex. DEAES)")),
    (4, _("niveau 4 (p. ex. DEME, DETISF)")),
    (5, _("niveau 5 (bac + 2)")),
    (6, _("niveau 6 (licence, p. ex. DEASS, DEES, DEEJE)")),
    (7, _("niveau 7 (master, p. ex. CAFDES)")),
    (8, _("niveau 8 (doctorat)")),
]

LANGUAGES_SOURCE = "ISO 639-1, names from the iso-codes data (Debian) shipped by pycountry"


@cache
def _languages() -> list[tuple[str, str]]:
    """(code, English name) of every ISO 639-1 language, by code."""
    return sorted(
        (language.alpha_2, language.name) for language in pycountry.languages if hasattr(language, "alpha_2")
    )


@cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def language_name(code: str, english_name: str) -> str:
    """The language's name in the active language: French as French writes it in a sentence."""
    if (get_language() or "fr").startswith("en"):
        return english_name
    name = _french().gettext(english_name)
    return name[:1].lower() + name[1:]


_language_label = lazy(language_name, str)


def iso_639_1_choices() -> list[tuple[str, str]]:
    """Every ISO 639-1 language as a choice, labelled in the language of the page that shows it,
    in the alphabetical order of the language active when the choices are read."""
    languages = sorted(_languages(), key=lambda language: language_name(*language).casefold())
    return [(code, _language_label(code, name)) for code, name in languages]


ISCED_F_FILE = Path(__file__).parent / "data" / "isced_f_2013.json"


@cache
def isced_f_fields() -> dict[str, str]:
    """Every ISCED-F 2013 detailed field: its 4-digit code and English name."""
    return json.loads(ISCED_F_FILE.read_text(encoding="utf-8"))["fields"]


@deconstructible
class IscedFieldValidator:
    """A code of ISCED-F 2013's detailed fields: four digits, and one the classification has."""

    def __call__(self, value: str) -> None:
        if value not in isced_f_fields():
            raise ValidationError(
                _(
                    "« %(value)s » n’est pas un domaine détaillé ISCED-F 2013 : saisissez un code à 4 chiffres "
                    "de la classification, par exemple 0923 (travail social et conseil) ou 0922 (garde "
                    "d’enfants et services à la jeunesse)."
                ),
                code="isced_f",
                params={"value": value},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IscedFieldValidator)

    def __hash__(self) -> int:
        return hash(type(self))
