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

    page.get_by_label("Pays ou région").select_option(label="Italie (1)")
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
    # The funded periods read as a sentence, not as a row of outlined badges.
    funding = page.locator("#financement + p")
    expect(funding).to_contain_text("2009–2011 (période), 2011–2012 (biennum) et 2012–2013.")
    assert funding.evaluate("p => getComputedStyle(p).borderTopStyle") == "none"
    expect(page.locator("#financement ~ ol, #financement ~ ul")).to_have_count(0)
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


def test_filters_show_counts_and_work_without_javascript(seeded_site, browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(seeded_site.url + "/fr/partenaires/")
        country = page.get_by_label("Pays ou région")
        expect(country.locator("option")).to_have_text(
            ["Tous", "Québec (7)", "France (5)", "Belgique (2)", "Allemagne (1)", "Italie (1)"]
        )
        country.select_option(label="Belgique (2)")
        page.get_by_role("button", name="Afficher les partenaires").click()
        expect(page).to_have_url(re.compile(r"[?&]destination=belgique"))
        expect(page.get_by_role("heading", name="2 partenaires", exact=True)).to_be_visible()
        # Within Belgium, only the options that still give a partner are offered.
        expect(page.get_by_label("Type d’établissement").locator("option")).to_have_text(
            ["Tous", "Haute école (2)"]
        )
        expect(page.get_by_label("Type de mobilité").locator("option")).to_have_text(["Toutes"])

        page.get_by_role("combobox", name="Formation").select_option(
            label="Diplôme d’État d’éducateur spécialisé (1)"
        )
        page.get_by_role("button", name="Afficher les partenaires").click()
        expect(page.get_by_role("heading", name="1 partenaire", exact=True)).to_be_visible()
        to_confirm = page.get_by_role("heading", name="Formations couvertes à confirmer (1 partenaire)")
        expect(to_confirm).to_be_visible()
        expect(page.get_by_role("link", name="Haute École Louvain en Hainaut")).to_be_visible()
        expect(page.get_by_text("Vérifiez l’orthographe")).to_have_count(0)
    finally:
        context.close()


def test_cards_and_to_confirm_sections_are_accessible(seeded_site, page):
    seeded_site.open("/fr/partenaires/?programme=DEES")
    expect(
        page.get_by_role("heading", name="Formations couvertes à confirmer (13 partenaires)")
    ).to_be_visible()
    laval = page.locator("li.partner", has=page.get_by_role("link", name="Université Laval"))
    expect(laval).to_contain_text("France–Québec : partenaire universitaire")
    expect(laval.locator(".monogram")).to_have_attribute("aria-hidden", "true")
    assert_no_axe_violations(page)
    for path in (
        "/fr/partenaires/destinations/portugal/",
        "/fr/partenaires/etablissements/universite-laval/",
        "/fr/partenaires/etablissements/centre-jeunesse-de-montreal/",
        "/fr/partenaires/reseaux/erasmus/",
    ):
        seeded_site.open(path)
        assert_no_axe_violations(page)


def partner_page_paths() -> list[str]:
    from partnerships.models import Destination, Institution, Network

    paths = [
        "/fr/partenaires/",
        "/fr/partenaires/?programme=DEES",
        "/en/partners/",
        "/fr/partenaires/?q=zanzibar",
    ]
    paths += [d.get_absolute_url() for d in Destination.objects.all()]
    paths += [n.get_absolute_url() for n in Network.objects.all()]
    paths += [i.get_absolute_url() for i in Institution.objects.filter(is_public=True)]
    return paths


def test_no_partner_page_scrolls_sideways_on_a_320_px_phone(seeded_site, page):
    from partnerships.models import Programme
    from tests.factories import AgreementFactory, InstitutionFactory, MobilityTermFactory

    # The hardest case: a long single word in a name, an agreement with every column of the table.
    long_name = "Fachhochschulefürsozialarbeitundsozialpädagogik Berlin-Brandenburg"
    partner = InstitutionFactory.create(name=long_name, slug="fh-berlin", country="DE", city="Berlin")
    agreement = AgreementFactory.create(partners=[partner], title="Accord " + long_name)
    agreement.programmes.add(Programme.objects.get(code="DEES"))
    MobilityTermFactory.create(agreement=agreement, isced_code="0923", eqf_level=6)
    MobilityTermFactory.create(
        agreement=agreement, mobility_type="staff_teaching", duration_months=None, duration_days=5
    )

    page.set_viewport_size({"width": 320, "height": 720})
    too_wide = {}
    for path in partner_page_paths():
        seeded_site.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert not too_wide
    # The table keeps its columns and scrolls inside its own, keyboard-reachable region.
    seeded_site.open(partner.get_absolute_url())
    region = page.get_by_role("region", name="Mobilités prévues par l’accord")
    expect(region).to_have_attribute("tabindex", "0")
    assert_no_axe_violations(page)
