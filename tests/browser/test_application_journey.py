import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from mobility.models import Application
from mobility.models.applications import Status
from partnerships.models import Programme
from tests.browser.axe import assert_no_axe_violations
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def call_with_destinations():
    Programme.objects.create(code="DEASS", name="Diplôme d’État d’assistant de service social")
    call, destinations = open_call_with_destinations(title="Stages ERASMUS 2027-2028")
    return call, destinations


def test_student_applies_with_files_follows_the_link_and_withdraws(
    site, page, call_with_destinations, tmp_path
):
    call, _destinations = call_with_destinations
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(MINIMAL_PDF)
    letter = tmp_path / "lettre.pdf"
    letter.write_bytes(MINIMAL_PDF)

    site.open(call.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Stages ERASMUS 2027-2028")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Candidater").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Candidater")

    # First attempt with mistakes: the form comes back with errors, what was typed kept.
    page.get_by_label("Prénom(s)").fill("Léa")
    page.get_by_label("Nom de famille").fill("Dupont")
    page.get_by_label("Adresse électronique").fill("lea.dupont@example")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Adresse électronique"))).to_be_visible()
    expect(page.get_by_label("Prénom(s)")).to_have_value("Léa")
    expect(page.get_by_text("Les fichiers choisis n’ont pas été conservés")).to_be_visible()
    assert_no_axe_violations(page)
    summary.get_by_role("link", name=re.compile("Adresse électronique")).click()
    assert page.url.endswith("#id_email")

    start = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Adresse électronique").fill("lea.dupont@example.org")
    page.get_by_label("Formation suivie").select_option(
        label="Diplôme d’État d’assistant de service social (DEASS)"
    )
    page.get_by_label("Année de formation").select_option(label="2e année")
    page.get_by_label("Type de mobilité").select_option(label="stage (étudiants)")
    page.get_by_label("Premier choix").select_option(index=1)
    page.get_by_label("Deuxième choix (facultatif)").select_option(index=2)
    page.get_by_label("Début souhaité").fill(start.isoformat())
    page.get_by_label("Fin souhaitée").fill((start + datetime.timedelta(days=90)).isoformat())
    page.get_by_label("Votre motivation").fill(
        "Je souhaite découvrir le travail social dans un autre pays. " * 8
    )
    page.locator("#id_language_1").select_option(value="fr")
    page.locator("#id_level_1").select_option(value="C2")
    page.get_by_label("Curriculum vitae").set_input_files(str(cv))
    page.get_by_label("Lettre de motivation").set_input_files(str(letter))
    page.get_by_label(re.compile("J’accepte que l’IRTS Normandie-Caen")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Candidature envoyée")
    application = Application.objects.get()
    expect(page.get_by_text(application.reference)).to_be_visible()
    assert_no_axe_violations(page)

    match = re.search(r"(/fr/mobilite/suivi/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match is not None
    link = match.group(1)
    site.open(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Candidature {application.reference}")
    expect(page.get_by_text("Statut : Déposée")).to_be_visible()
    expect(page.get_by_text("cv.pdf")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Retirer ma candidature…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer ma candidature")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Oui, retirer ma candidature").click()
    expect(page.get_by_text("Votre candidature a été retirée.")).to_be_visible()
    expect(page.get_by_text("Statut : Retirée")).to_be_visible()
    assert Application.objects.get().status == Status.WITHDRAWN


def test_mobility_pages_are_accessible(site, page, call_with_destinations):
    site.open("/fr/mobilite/")
    expect(page.get_by_role("heading", name="Appels ouverts")).to_be_visible()
    assert_no_axe_violations(page)
