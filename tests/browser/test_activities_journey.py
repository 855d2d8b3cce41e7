"""A visitor follows a network's life: from its page to its activities, filtered, then one of them."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.pages import activity_content, seed_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe assez long 42"


@pytest.fixture
def activities(site):
    seed_content()
    return activity_content()


@pytest.mark.parametrize("width", [320, 1280])
def test_visitor_goes_from_the_network_to_an_activity_in_french(site, page, activities, width):
    page.set_viewport_size({"width": width, "height": 800})
    site.open("/fr/partenaires/reseaux/france-quebec/")
    expect(page.get_by_role("heading", name="Dernières activités")).to_be_visible()
    page.get_by_role("link", name="Toutes les activités du réseau").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activités du réseau")
    expect(page.get_by_role("heading", name="3 activités")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Type").select_option(label="Journée d’étude")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="1 activité", exact=True)).to_be_visible()
    assert "kind=study_day" in page.url
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Journée d’étude en ligne sur l’intervention sociale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Journée d’étude en ligne sur l’intervention sociale"
    )
    expect(page.locator("dl.facts")).to_contain_text("En ligne")
    assert_no_axe_violations(page)

    page.go_back()
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_role("link", name="Session de formation conjointe à Québec").click()
    expect(page.get_by_role("link", name="Télécharger le document (PDF, ")).to_be_visible()
    partner = activities[0].institutions.order_by("pk").first()
    page.locator("dl.facts").get_by_role("link", name=partner.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(partner.name)


@pytest.mark.parametrize("width", [320, 1280])
def test_an_english_visitor_reads_the_activities_in_english(site, page, activities, width):
    page.set_viewport_size({"width": width, "height": 800})
    site.open("/en/partners/networks/france-quebec/activities/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activities of the")
    page.get_by_label("Type").select_option(label="Joint training session")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="1 activity", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Joint training session in Quebec City").click()
    assert page.url.endswith("/en/partners/networks/france-quebec/activities/joint-session-quebec/")
    expect(page.locator("dl.facts")).to_contain_text("Université Laval, Québec")
    assert_no_axe_violations(page)


def test_a_refused_filter_says_so_and_the_list_still_shows(site, page, activities):
    site.open("/fr/partenaires/reseaux/france-quebec/activites/?kind=concert&year=1850")
    expect(page.get_by_role("alert")).to_contain_text("Un filtre n’a pas été reconnu")
    expect(page.get_by_role("heading", name="3 activités")).to_be_visible()
    assert_no_axe_violations(page)


def test_staff_write_an_activity_that_then_shows_on_the_network_page(site, page):
    seed_content()
    staff = User.objects.create_user("ri", password=PASSWORD, is_staff=True, email="ri@example.org")
    staff.groups.add(Group.objects.get(name="Relations internationales"))
    site.open("/gestion/login/")
    page.get_by_label("Nom d’utilisateur").fill("ri")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    site.open("/gestion/activities/activity/add/")
    page.get_by_label("Réseau").select_option(label="Partenariat France–Québec en intervention sociale")
    page.get_by_label("Type").select_option(label="journée d’étude")
    page.get_by_label("Titre [fr]").fill("Journée d’étude sur la protection de l’enfance")
    page.locator("#id_start_date").fill("12/10/2027")
    page.get_by_label("Lieu [fr]").fill("IRTS Normandie-Caen")
    page.get_by_label("Texte [fr]").fill("Une journée d’étude avec nos partenaires québécois.")
    # The partner institutions: searched as one types, the search field named after its label.
    search = page.get_by_role("searchbox", name="Établissements partenaires")
    search.fill("Laval")
    page.get_by_role("option", name="Université Laval").click()
    expect(page.get_by_role("searchbox", name="Établissements partenaires")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Publié").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    # Anonymous again: the network's page shows it at once.
    page.context.clear_cookies()
    site.open("/fr/partenaires/reseaux/france-quebec/")
    page.get_by_role("link", name="Journée d’étude sur la protection de l’enfance").click()
    expect(page.locator("dl.facts")).to_contain_text("12 octobre 2027")
    expect(page.locator("dl.facts").get_by_role("link", name="Université Laval")).to_be_visible()
