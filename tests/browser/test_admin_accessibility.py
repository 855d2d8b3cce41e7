"""The back office passes axe-core too: the login page and the admin pages staff use every day."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Agreement, Institution, MobilityTerm, Network
from tests.browser.axe import assert_no_axe_violations
from tests.mobility.helpers import open_call_with_destinations, submit_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe assez long 42"


def test_admin_pages_have_no_axe_violations(site, page):
    call_command("load_seed", stdout=io.StringIO())
    User.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    call, _destinations = open_call_with_destinations()
    application = submit_application(call)
    agreement = Agreement.objects.get(slug="erasmus-parme")
    MobilityTerm.objects.create(
        agreement=agreement, mobility_type="student_studies", direction="outgoing", places_per_year=2
    )
    institution = Institution.objects.get(slug="universite-de-parme")
    network = Network.objects.get(slug="france-quebec")

    failures = []

    def check(path: str) -> None:
        try:
            assert_no_axe_violations(page)
        except AssertionError as error:
            failures.append(f"{path}\n{error}")

    site.open("/gestion/login/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check("/gestion/login/")
    page.get_by_label("Nom d’utilisateur").fill("direction")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(
        page.get_by_role("link", name="Déconnexion").or_(page.get_by_role("button", name="Déconnexion"))
    ).to_be_visible()

    paths = [
        "/gestion/",
        # The dashboard filtered by academic year: that year's calls and mobilities.
        f"/gestion/?annee={call.academic_year}",
        "/gestion/mobility/application/",
        f"/gestion/mobility/application/{application.pk}/change/",
        "/gestion/partnerships/agreement/",
        f"/gestion/partnerships/agreement/{agreement.pk}/change/",
        f"/gestion/partnerships/agreement/{agreement.pk}/history/",
        "/gestion/partnerships/institution/",
        f"/gestion/partnerships/institution/{institution.pk}/change/",
        f"/gestion/mobility/call/{call.pk}/change/",
        f"/gestion/partnerships/network/{network.pk}/change/",
        "/gestion/backoffice/auditevent/",
    ]
    call_page = f"/gestion/mobility/call/{call.pk}/change/"
    for path in paths:
        response = site.open(path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        if path == call_page:
            # Set up by script once the page is ready: the autocomplete box named after its column,
            # the split date and time inputs after their field.
            expect(page.get_by_role("combobox", name="Accord").first).to_be_visible()
            expect(page.get_by_role("textbox", name="Ouverture, Date")).to_be_visible()
        check(path)
    assert not failures, "\n\n".join(failures)
