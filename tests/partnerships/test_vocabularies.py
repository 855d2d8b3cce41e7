"""A mobility term's recommended language is an ISO 639-1 code, chosen from all of them and named
in the page's language; anything else is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnerships.models import MobilityTerm
from partnerships.vocabularies import iso_639_1_choices
from tests.factories import MobilityTermFactory

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
