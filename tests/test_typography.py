"""French typography: narrow no-break spaces, « 1er », French plurals; English pages untouched."""

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from irts_portal.typography import NARROW_NBSP, typeset_french, typeset_french_html
from mobility.models import Call
from tests.pages import seed_content


def test_narrow_no_break_space_before_double_punctuation_and_inside_quotes():
    assert typeset_french("Date limite : demain ; vite ! Prêt ?") == (
        f"Date limite{NARROW_NBSP}: demain{NARROW_NBSP}; vite{NARROW_NBSP}! Prêt{NARROW_NBSP}?"
    )
    assert typeset_french("l’appel « Stages 2027 »") == f"l’appel «{NARROW_NBSP}Stages 2027{NARROW_NBSP}»"


def test_the_first_of_a_month_is_an_ordinal_and_other_days_are_not():
    assert (
        typeset_french("du 1 septembre 2027 au 31 janvier 2028") == "du 1er septembre 2027 au 31 janvier 2028"
    )
    assert typeset_french("le 21 mars et le 11 mai") == "le 21 mars et le 11 mai"


def test_urls_and_times_without_spaces_are_left_alone():
    assert typeset_french("https://example.org/?a=1 à 10:30") == "https://example.org/?a=1 à 10:30"


def test_html_attributes_and_typed_text_are_never_changed():
    html = '<p title="Note : x">Statut : déposée</p><textarea name="m">Mon projet : partir</textarea><p>Fin !</p>'
    assert typeset_french_html(html) == (
        f'<p title="Note : x">Statut{NARROW_NBSP}: déposée</p>'
        '<textarea name="m">Mon projet : partir</textarea>'
        f"<p>Fin{NARROW_NBSP}!</p>"
    )


@pytest.mark.django_db
def test_french_pages_are_set_and_english_pages_are_not(client):
    french = client.get("/fr/mobilite/").content.decode()
    english = client.get("/en/mobility/").content.decode()
    assert f"{NARROW_NBSP}:" in french
    assert " :" not in french.split("<body", 1)[1].replace("<textarea", "")
    assert NARROW_NBSP not in english


@pytest.mark.django_db
def test_a_refused_form_gives_back_the_motivation_exactly_as_typed(client):
    seed_content()
    call = Call.objects.get()
    typed = "Mon projet : découvrir « autrement » le travail social !"
    response = client.post(call.get_absolute_url() + "candidater/", {"motivation": typed})
    assert response.status_code == 200
    assert f">\n{typed}</textarea>" in response.content.decode()


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 établissement partenaire"),
        (1, "1 établissement partenaire"),
        (2, "2 établissements partenaires"),
    ],
)
def test_french_plurals_follow_french_rules(count, expected):
    # French counts 0 as singular; without a French catalogue gettext would say "0 établissements".
    singular, plural = "%(counter)s établissement partenaire", "%(counter)s établissements partenaires"
    with translation.override("fr"):
        assert ngettext(singular, plural, count) % {"counter": count} == expected


@pytest.mark.django_db
def test_the_french_catalogue_leaves_django_s_own_french_to_the_admin(admin_client):
    # Our French catalogue holds only our plural texts: Django's French stays in the admin.
    page = admin_client.get("/gestion/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Modifier" in page
    assert ">Change<" not in page.replace("\n", "").replace(" ", "")
    assert (
        "Voir sur le site"
        in admin_client.get(
            f"/gestion/partnerships/network/{seeded_network_pk()}/change/", HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    )


def seeded_network_pk() -> int:
    from partnerships.models import Network

    seed_content()
    network = Network.objects.order_by("pk").first()
    assert network is not None
    return network.pk
