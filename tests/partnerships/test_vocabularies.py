"""The agreements' controlled vocabularies: a term's recommended language is an ISO 639-1 code,
named in the page's language; its ISCED-F field one of the classification's detailed fields; its
EQF level one of the eight. Anything else is refused."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnerships.models import MobilityTerm
from partnerships.vocabularies import ISCED_F_FILE, isced_f_fields, iso_639_1_choices
from tests.factories import MobilityTermFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_every_iso_639_1_language_is_offered_and_named_in_the_pages_language():
    with translation.override("fr"):
        french = {code: str(name) for code, name in iso_639_1_choices()}
    with translation.override("en"):
        english = {code: str(name) for code, name in iso_639_1_choices()}
    assert len(french) == 184
    assert (french["ca"], english["ca"]) == ("catalan", "Catalan")
    assert (french["de"], english["de"]) == ("allemand", "German")
    assert (french["pt"], english["pt"]) == ("portugais", "Portuguese")


@pytest.mark.parametrize(
    ("code", "valid"), [("ca", True), ("gl", True), ("xx", False), ("fra", False), ("Italien", False)]
)
def test_a_term_takes_a_language_code_and_nothing_else(code, valid):
    term = MobilityTermFactory.create()
    term.language = code
    if valid:
        term.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            term.full_clean()
        assert "language" in refused.value.message_dict


def test_a_terms_language_is_named_in_the_active_language():
    term = MobilityTermFactory.create(language="ca", cefr_level="B1")
    with translation.override("fr"):
        assert MobilityTerm.objects.get(pk=term.pk).get_language_display() == "catalan"
    with translation.override("en"):
        assert MobilityTerm.objects.get(pk=term.pk).get_language_display() == "Catalan"


def test_the_isced_f_vocabulary_holds_every_detailed_field_with_its_source():
    fields = isced_f_fields()
    assert len(fields) == 149
    assert (fields["0923"], fields["0922"]) == (
        "Social work and counselling",
        "Child care and youth services",
    )
    assert all(len(code) == 4 and code.isdigit() for code in fields)
    assert "OECD:CL_EDUCATION_FIELD" in json.loads(ISCED_F_FILE.read_text())["source"]


@pytest.mark.parametrize(
    ("code", "valid"),
    [("0923", True), ("0922", True), ("0999", True), ("0924", False), ("9", False), ("abcd", False)],
)
def test_a_term_and_a_programme_take_an_isced_f_detailed_field_and_nothing_else(code, valid):
    term = MobilityTermFactory.create()
    programme = ProgrammeFactory.create()
    for row in (term, programme):
        row.isced_code = code
        if valid:
            row.full_clean()
        else:
            with pytest.raises(ValidationError) as refused:
                row.full_clean()
            assert "n’est pas un domaine détaillé ISCED-F 2013" in refused.value.message_dict["isced_code"][0]


@pytest.mark.parametrize(("level", "valid"), [(1, True), (6, True), (8, True), (0, False), (9, False)])
def test_a_terms_eqf_level_is_one_of_the_eight(level, valid):
    term = MobilityTermFactory.create()
    term.eqf_level = level
    if valid:
        term.full_clean()
        assert term.get_eqf_level_display().startswith(f"niveau {level}")
    else:
        with pytest.raises(ValidationError):
            term.full_clean()
