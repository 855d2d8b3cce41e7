"""The back office at an office screen's width (1280 px), seen through a real browser."""

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from mobility.models.applications import Status
from mobility.services import application_transition
from partnerships.models import Network
from tests.browser.axe import assert_no_axe_violations
from tests.factories import CallDestinationFactory, CallDocumentFactory, CallFactory, InstitutionFactory
from tests.mobility.helpers import submit_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe assez long 42"
SCREEN = {"width": 1280, "height": 800}
# The same screen less a desktop browser's vertical scroll bar, which headless Chromium hides.
SCREEN_WITH_SCROLL_BAR = {"width": 1264, "height": 800}
LONG_DESTINATIONS = [
    "Centre intégré universitaire de santé et de services sociaux de la Capitale-Nationale",
    "Haute École de la Province de Liège — Département social, catégorie sociale",
    "Universidade Católica Portuguesa — Faculdade de Ciências Humanas, Lisboa",
]

# What sticks out of its box: the page itself, and any element inside the list that scrolls sideways.
OVERFLOWS = """() => {
  const page = document.documentElement.scrollWidth;
  const boxes = [...document.querySelectorAll('#changelist, #changelist *')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
    .map((el) => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className);
  return {page, boxes};
}"""


# Each section of a form page: its height, and its right edge.
SECTIONS = """() => [...document.querySelectorAll('#content-main form fieldset.module, #content-main form .inline-group')]
  .filter((el) => !el.parentElement.closest('fieldset.module, .inline-group'))
  .map((el) => ({
    name: (el.querySelector('h2') || {textContent: ''}).textContent.trim(),
    height: el.getBoundingClientRect().height,
    right: el.getBoundingClientRect().right,
  }))"""


def log_in(site, page, username: str) -> None:
    site.open("/gestion/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(
        page.get_by_role("link", name="Déconnexion").or_(page.get_by_role("button", name="Déconnexion"))
    ).to_be_visible()


def right_edge(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("(el) => el.getBoundingClientRect().right")


@pytest.mark.parametrize("screen", [SCREEN, SCREEN_WITH_SCROLL_BAR], ids=["1280", "1280-scroll-bar"])
def test_applications_list_fits_a_1280_px_screen_with_its_filters(site, page, screen):
    call_command("load_seed", stdout=io.StringIO())
    User.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    call = CallFactory.create(
        title="Appel à candidatures 2027-2028 : stages et études en Belgique, au Portugal et au Québec"
    )
    for name in LONG_DESTINATIONS:
        CallDestinationFactory.create(call=call, institution=InstitutionFactory.create(name=name))
    CallDocumentFactory.create(call=call, kind="cv", is_required=True)
    applications = [
        submit_application(
            call, given_names="Marie-Charlotte Élisabeth", family_name="de La Rochefoucauld-Montmorency"
        )
        for _ in range(3)
    ]
    # The longest status label, in its badge that never wraps.
    application_transition(application=applications[1], to_status=Status.UNDER_REVIEW, comment="Examen.")
    application_transition(application=applications[1], to_status=Status.WAITLISTED, comment="Attente.")

    page.set_viewport_size(screen)
    log_in(site, page, "direction")
    site.open("/gestion/mobility/application/")

    table = page.locator("#result_list")
    headers = [text.strip().lower() for text in table.locator("thead th").all_inner_texts()]
    assert headers[1:] == ["référence", "personne candidate", "1er vœu", "statut", "déposée le"]
    first_row = table.get_by_role("row").filter(has_text=applications[0].reference)
    expect(first_row).to_contain_text(LONG_DESTINATIONS[0])
    expect(first_row).to_contain_text("déposée")
    expect(table.get_by_role("row").filter(has_text=applications[1].reference)).to_contain_text(
        "sur liste d’attente"
    )

    overflows = page.evaluate(OVERFLOWS)
    assert overflows["page"] <= screen["width"], overflows
    assert overflows["boxes"] == [], overflows
    # The whole table shows, left of the filters, which show in full too.
    filters = page.locator("#changelist-filter")
    expect(filters).to_be_visible()
    filters_left = filters.evaluate("(el) => el.getBoundingClientRect().left")
    assert right_edge(page, "#result_list") <= filters_left
    assert right_edge(page, "#changelist-filter") <= screen["width"]
    assert_no_axe_violations(page)


def test_officer_takes_a_refusal_back_with_a_reason(site, page):
    call_command("sync_roles", stdout=io.StringIO())
    officer = User.objects.create_user(
        "ri", "ri@example.org", PASSWORD, is_staff=True, first_name="Inès", last_name="Leroy"
    )
    officer.groups.add(Group.objects.get(name="Relations internationales"))
    application = submit_application()
    application_transition(application=application, to_status=Status.UNDER_REVIEW, comment="Examen.")
    application_transition(application=application, to_status=Status.REJECTED, comment="Refus.")

    page.set_viewport_size(SCREEN)
    log_in(site, page, "ri")
    site.open(f"/gestion/mobility/application/{application.pk}/change/")
    page.get_by_role("link", name="Annuler la décision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler la décision")
    expect(page.get_by_role("radio")).to_have_count(2)
    for radio in page.get_by_role("radio").all():
        expect(radio).not_to_be_checked()

    # Sent without a reason nor an answer: both are asked for, on their fields.
    page.get_by_role("button", name="Annuler la décision").click()
    expect(page.locator(".errornote")).to_have_text("Corrigez les erreurs ci-dessous.")
    reason = page.get_by_role("textbox", name="Motif de l’annulation")
    expect(reason).to_have_accessible_description(re.compile("Indiquez pourquoi la décision est annulée"))
    expect(
        page.get_by_role("group", name="Motif visible par la personne candidate")
    ).to_have_accessible_description(re.compile("Choisissez si la personne candidate verra ce commentaire"))
    assert_no_axe_violations(page)

    reason.fill("Refus saisi par erreur : le dossier était complet.")
    page.get_by_role("button", name="Annuler la décision").click()
    expect(page.get_by_role("textbox", name="Motif de l’annulation")).to_have_value(
        "Refus saisi par erreur : le dossier était complet."
    )
    page.get_by_role("radio", name=re.compile("^Non")).check()
    page.get_by_role("button", name="Annuler la décision").click()

    expect(page.locator(".messagelist")).to_contain_text("est annulée")
    expect(page.locator(".application-status-panel")).to_contain_text("en cours d’examen")
    last = page.locator(".mobility-table").last.get_by_role("row").last
    expect(last).to_contain_text("refusée")
    expect(last).to_contain_text("décision annulée")
    expect(last).to_contain_text("Inès Leroy")
    expect(last).to_contain_text("Refus saisi par erreur : le dossier était complet.")
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert_no_axe_violations(page)


def test_forgotten_password_from_the_login_page(site, page, mailoutbox):
    User.objects.create_user("cmartin", "c.martin@example.org", PASSWORD, is_staff=True)
    site.open("/gestion/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    address = page.get_by_role("textbox", name="Adresse électronique")
    address.fill("c.martin-example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(address).to_have_value("c.martin-example.org")
    expect(address).to_have_accessible_description(re.compile("Indiquez une adresse électronique valide"))
    assert_no_axe_violations(page)

    address.fill("c.martin@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    assert_no_axe_violations(page)
    assert [message.to for message in mailoutbox] == [["c.martin@example.org"]]

    found = re.search(r"https?://\S+", mailoutbox[0].body)
    assert found is not None, mailoutbox[0].body
    link = found.group()
    site.open(link[link.index("/gestion/") :])
    page.get_by_label(re.compile("^Nouveau mot de passe")).fill("Un mot de passe tout neuf 2027")
    page.get_by_label(re.compile("^Confirmation")).fill("Un mot de passe tout neuf 2027")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.get_by_role("link", name="Connexion")).to_be_visible()
    assert User.objects.get(username="cmartin").check_password("Un mot de passe tout neuf 2027")


def test_network_page_is_cut_into_sections_that_each_fit_the_screen(site, page):
    call_command("load_seed", stdout=io.StringIO())
    User.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    network = Network.objects.get(slug="france-quebec")
    assert network.memberships.count() > 10  # a long list of members, folded at first

    page.set_viewport_size(SCREEN)
    log_in(site, page, "direction")
    site.open(f"/gestion/partnerships/network/{network.pk}/change/")
    sections = page.evaluate(SECTIONS)
    assert [section["name"] for section in sections] == [
        "Identité",
        "Présentation",
        "Historique",
        "Membres du réseau",
        "Objectifs",
        "Liste des objectifs",
        "Périodes de financement",
        "Perspectives",
        "Adresse et place de la page",
    ]
    for section in sections:
        assert section["height"] <= SCREEN["height"], section
        assert section["right"] <= SCREEN["width"], section
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert_no_axe_violations(page)

    # The folded sections open on a click, and keep the page's width.
    members = page.get_by_role("group", name="Membres du réseau")
    expect(members.get_by_role("combobox").first).to_be_hidden()
    page.locator("summary").filter(has_text="Membres du réseau").click()
    expect(members.get_by_role("combobox").first).to_be_visible()
    page.locator("summary").filter(has_text="Adresse et place de la page").click()
    expect(page.get_by_role("textbox", name="Identifiant d’URL :", exact=True)).to_have_value("france-quebec")
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert_no_axe_violations(page)

    # Saved as it is, the page changes nothing and says so.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifié")
