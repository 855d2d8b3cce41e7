"""The controlled vocabularies of the agreements' terms, as data with their source named.

- Languages: ISO 639-1, the two-letter codes that EWP's `recommended-language-skill` takes, with
  their French and English names from the Debian iso-codes data that pycountry ships (ISO 639-3
  names and their translations).
- CEFR levels (A1 to C2) and EQF levels (1 to 8): MobilityTerm's own choices and validators.
"""

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language

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
