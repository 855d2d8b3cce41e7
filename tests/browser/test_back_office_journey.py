"""Staff at work in the admin, seen through a real browser, and the public pages that follow."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from mobility.models.applications import Status
from mobility.services import application_transition
from partnerships.models import Agreement, MobilityTerm
from tests.browser.axe import assert_no_axe_violations
from tests.mobility.helpers import open_call_with_destinations, submit_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe assez long 42"


def staff_member(username: str, role: str) -> User:
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(site, page, username: str) -> None:
    site.open("/gestion/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(
        page.get_by_role("link", name="Déconnexion").or_(page.get_by_role("button", name="Déconnexion"))
    ).to_be_visible()


def test_relations_internationales_changes_places_then_evaluation_accepts(site, page, admin_user):
    call_command("load_seed", stdout=io.StringIO())
    call_command("sync_roles", stdout=io.StringIO())
    agreement = Agreement.objects.get(slug="erasmus-parme")
    term = MobilityTerm.objects.create(
        agreement=agreement,
        mobility_type="student_studies",
        direction="outgoing",
        places_per_year=2,
        duration_months=5,
        language="it",
        cefr_level="B1",
    )
    staff_member("ri", "Relations internationales")
    staff_member("eval", "Évaluation")
    call, _destinations = open_call_with_destinations()
    application = submit_application(call)
    application_transition(application=application, to_status=Status.UNDER_REVIEW, actor=admin_user)

    # Relations internationales: 2 places become 3 in the agreement's mobility terms.
    log_in(site, page, "ri")
    site.open(f"/gestion/partnerships/agreement/{agreement.pk}/change/")
    places = page.locator("#id_mobility_terms-0-places_per_year")
    expect(places).to_have_value("2")
    places.fill("3")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifié")
    term.refresh_from_db()
    assert term.places_per_year == 3

    site.open("/fr/partenaires/etablissements/universite-de-parme/")
    row = page.get_by_role("row", name="Études (étudiants)")
    expect(row.get_by_role("cell").nth(1)).to_have_text("3")
    assert_no_axe_violations(page)

    site.open(f"/gestion/partnerships/agreement/{agreement.pk}/history/")
    expect(page.get_by_text("Places par an : 2 → 3")).to_be_visible()

    # Évaluation: the application moves to "acceptée" with a comment for the applicant.
    page.context.clear_cookies()
    log_in(site, page, "eval")
    site.open(f"/gestion/mobility/application/{application.pk}/change/")
    page.get_by_role("link", name="Accepter", exact=True).click()
    page.get_by_role("textbox", name="Commentaire").fill("Félicitations : départ à Parme en septembre.")
    page.get_by_role("radio", name="Oui", exact=False).check()
    page.get_by_role("button", name="Accepter").click()
    expect(page.locator(".messagelist")).to_contain_text("cceptée")

    page.context.clear_cookies()
    site.open(application.get_follow_up_url())
    expect(page.get_by_text("Statut : Acceptée")).to_be_visible()
    expect(page.get_by_text("Félicitations : départ à Parme en septembre.")).to_be_visible()
    assert_no_axe_violations(page)
