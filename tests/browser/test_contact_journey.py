"""The contact form and the legal pages in a real browser: a person writes, makes a mistake, follows
the error summary to the field, sends, and is thanked; the pages fit a 320 px phone."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from backoffice.roles import INTERNATIONAL_RELATIONS
from contact.models import ContactMessage
from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_writes_corrects_a_mistake_and_is_thanked(site, page, django_user_model):
    staff = django_user_model.objects.create_user("camille", "camille@irts.example.org", "x" * 16)
    staff.groups.add(Group.objects.get(name=INTERNATIONAL_RELATIONS))

    site.open("/fr/")
    page.get_by_role("contentinfo").get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    assert_no_axe_violations(page)

    page.get_by_label("Votre nom").fill("Léa Dupont")
    page.get_by_label("Votre adresse électronique").fill("lea.dupont@example")
    page.get_by_label("Objet").fill("Stage au Québec")
    page.get_by_label("Votre message").fill("Accueillez-vous des stagiaires en 2027 ?")
    page.get_by_role("button", name="Envoyer le message").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_label("Votre nom")).to_have_value("Léa Dupont")
    expect(page.get_by_label("Votre message")).to_have_value("Accueillez-vous des stagiaires en 2027 ?")
    assert_no_axe_violations(page)
    summary.get_by_role("link", name=re.compile("adresse électronique complète")).click()
    assert page.url.endswith("#id_email")
    # The field announces its error to screen readers.
    expect(page.get_by_label("Votre adresse électronique")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Votre adresse électronique").fill("lea.dupont@example.org")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    assert page.url.endswith("/fr/contact/message-envoye/")
    assert_no_axe_violations(page)

    message = ContactMessage.objects.get()
    assert message.email == "lea.dupont@example.org"
    assert [m.to for m in mail.outbox] == [["camille@irts.example.org"]]


def test_the_honeypot_is_out_of_reach_of_people_keyboards_and_screen_readers(site, page):
    site.open("/fr/contact/")
    # Not in the accessibility tree: screen readers never offer it.
    expect(page.get_by_role("textbox", name="Ne pas remplir ce champ")).to_have_count(0)
    # Off-screen for sighted people.
    box = page.locator("#id_website").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 0
    # Skipped by the keyboard: from the message, Tab goes to the next real stop.
    page.get_by_label("Votre message").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Vos données et vos droits")).to_be_focused()


@pytest.mark.parametrize(
    "path", ["/fr/accessibilite/", "/en/accessibility/", "/fr/contact/", "/fr/mentions-legales/"]
)
def test_legal_pages_fit_a_phone_and_pass_axe(site, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    site.open(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path} scrolls sideways at 320 px: {widths}"
    assert_no_axe_violations(page)


def test_the_international_relations_team_reads_a_message_and_marks_it_handled(site, page, django_user_model):
    password = "Un mot de passe assez long 42"
    staff = django_user_model.objects.create_user(
        "camille", "camille@irts.example.org", password, is_staff=True
    )
    staff.groups.add(Group.objects.get(name=INTERNATIONAL_RELATIONS))
    message = ContactMessage.objects.create(
        name="Léa Dupont",
        email="lea.dupont@example.org",
        subject="Stage au Québec",
        body="Accueillez-vous des stagiaires en 2027 ?",
        language="fr",
    )
    site.open("/gestion/login/")
    page.get_by_label("Nom d’utilisateur").fill("camille")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()

    site.open("/gestion/contact/contactmessage/?traite=non")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Stage au Québec").click()
    expect(page.get_by_text("Accueillez-vous des stagiaires en 2027 ?")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("traité").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    message.refresh_from_db()
    assert message.handled_by == staff
    site.open("/gestion/contact/contactmessage/?traite=non")
    expect(page.get_by_role("link", name="Stage au Québec")).to_have_count(0)
