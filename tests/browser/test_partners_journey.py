import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_site(site):
    call_command("load_seed", stdout=io.StringIO())
    return site


def test_visitor_browses_from_home_to_an_institution_and_the_network(seeded_site, page):
    seeded_site.open("/fr/")
    expect(page.get_by_text("16", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Découvrir les partenaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos partenaires")
    expect(page.get_by_role("heading", name="16 partenaires")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Pays ou région").select_option(label="Italie")
    page.get_by_role("button", name="Afficher les partenaires").click()
    expect(page.get_by_role("heading", name="1 partenaire", exact=True)).to_be_visible()
    assert "destination=italie" in page.url
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Université de Parme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Université de Parme")
    expect(page.get_by_text("Università degli Studi di Parma")).to_be_visible()
    expect(page.get_by_text("I PARMA01")).to_be_visible()
    assert_no_axe_violations(page)

    page.go_back()
    expect(page.get_by_role("heading", name="1 partenaire", exact=True)).to_be_visible()

    seeded_site.open("/fr/partenaires/etablissements/centre-jeunesse-de-quebec/")
    page.get_by_role("link", name="Partenariat France–Québec en intervention sociale").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Partenariat France–Québec en intervention sociale"
    )
    expect(page.get_by_role("heading", name="Les 5 objectifs")).to_be_visible()
    expect(page.locator("ol.timeline li")).to_have_count(3)
    assert_no_axe_violations(page)


def test_search_without_accents_finds_the_montérégie(seeded_site, page):
    seeded_site.open("/fr/partenaires/")
    page.get_by_role("textbox", name="Rechercher").fill("monteregie")
    page.keyboard.press("Enter")
    # The link is on the unfiltered list too: wait for the search's own page before looking.
    expect(page).to_have_url(re.compile(r"[?&]q=monteregie"))
    expect(page.get_by_role("link", name="Centre jeunesse de la Montérégie")).to_be_visible()
    assert_no_axe_violations(page)


def test_destination_and_empty_search_pages_are_accessible(seeded_site, page):
    seeded_site.open("/fr/partenaires/destinations/quebec/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Québec")
    assert_no_axe_violations(page)
    seeded_site.open("/fr/partenaires/?q=zanzibar")
    expect(page.get_by_text("Aucun partenaire ne correspond à votre recherche.")).to_be_visible()
    assert_no_axe_violations(page)
