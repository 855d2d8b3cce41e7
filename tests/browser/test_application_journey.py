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
from tests.factories import CallDestinationFactory, CallDocumentFactory, CallFactory, InstitutionFactory
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations, submit_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def call_with_destinations():
    Programme.objects.create(code="DEASS", name="Diplôme d’État d’assistant de service social")
    Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
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
    # The way to apply is offered right under the title, and again at the end of the page.
    apply_links = page.get_by_role("link", name="Candidater", exact=True)
    expect(apply_links).to_have_count(2)
    apply_links.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Candidater")

    # First attempt with mistakes: the form comes back with errors, what was typed kept.
    page.get_by_label("Prénom(s)").fill("Léa")
    page.get_by_label("Nom de famille").fill("Dupont")
    page.get_by_label("Adresse électronique").fill("lea.dupont@example")
    page.get_by_label("Curriculum vitae").set_input_files(str(cv))
    page.get_by_role("button", name="Envoyer ma candidature").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    email_error = summary.get_by_role("link", name=re.compile("Indiquez une adresse électronique complète"))
    expect(email_error).to_be_visible()
    expect(page.get_by_label("Prénom(s)")).to_have_value("Léa")
    # A file had been chosen: the person is told to choose it again, in the summary and at the files.
    expect(summary.get_by_text("Les fichiers choisis n’ont pas été conservés")).to_be_visible()
    expect(page.get_by_text("Choisissez à nouveau vos fichiers")).to_be_visible()
    assert_no_axe_violations(page)
    email_error.click()
    assert page.url.endswith("#id_email")

    start = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Adresse électronique").fill("lea.dupont@example.org")
    page.get_by_label("Formation suivie").select_option(
        label="DEASS — Diplôme d’État d’assistant de service social"
    )
    page.get_by_label("Année de formation").select_option(label="2e année")
    page.get_by_label("Type de mobilité").select_option(label="stage (étudiants)")
    page.get_by_label("Premier choix").select_option(index=1)
    page.get_by_label("Deuxième choix").select_option(index=2)
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


PHONE_WIDTHS = [320, 390]
LONG_NAMES = [
    ("Centre intégré universitaire de santé et de services sociaux du Saguenay–Lac-Saint-Jean", "CA"),
    ("Hogeschool voor Sociaal Werk en Maatschappelijke Dienstverlening Antwerpen-Mechelen", "BE"),
]


def assert_fits(page) -> None:
    """Nothing wider than the window: no horizontal scrolling, nothing cut off at the right."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll("main *")]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .map((el) => el.tagName + "#" + el.id)""",
        width,
    )
    assert wider == []


@pytest.fixture
def call_with_long_names():
    call = CallFactory.create(title="Mobilités sortantes 2027-2028")
    for name, country in LONG_NAMES:
        institution = InstitutionFactory.create(name=name, country=country, city="Saguenay–Lac-Saint-Jean")
        CallDestinationFactory.create(call=call, institution=institution, places=None)
    CallDocumentFactory.create(call=call, kind="cv", is_required=True)
    Programme.objects.create(
        code="CAFERUIS",
        name="Certificat d’aptitude aux fonctions d’encadrement et de responsable d’unité d’intervention sociale",
    )
    Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    return call


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_call_page_and_form_fit_a_phone(site, page, call_with_long_names, width):
    page.set_viewport_size({"width": width, "height": 800})
    call = call_with_long_names
    site.open(call.get_absolute_url())
    expect(page.get_by_role("list").filter(has_text=LONG_NAMES[0][0])).to_be_visible()
    expect(page.get_by_text("non précisé").first).to_be_visible()
    assert_fits(page)

    site.open(f"/fr/mobilite/appels/{call.slug}/candidater/")
    for field in ("family_name", "wished_end", "choice_1", "programme"):
        box = page.locator(f"#id_{field}").bounding_box()
        assert box is not None
        assert box["x"] >= 0, field
        assert box["x"] + box["width"] <= width, field
    assert_fits(page)

    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_fits(page)
    assert_no_axe_violations(page)


def test_a_single_possible_answer_is_stated_and_the_rest_fits_a_phone(site, page, tmp_path):
    """A call with one type of mobility and one destination, filled in on a 320 px phone, up to
    the withdrawal: every page fits and has one main heading."""
    page.set_viewport_size({"width": 320, "height": 800})
    call = CallFactory.create(title="Stages au Québec 2027-2028", mobility_types=["student_traineeship"])
    destination = CallDestinationFactory.create(
        call=call, institution=InstitutionFactory.create(name=LONG_NAMES[0][0], country="CA")
    )
    Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    Programme.objects.create(code="DEME", name="Diplôme d’État de moniteur éducateur")

    site.open(f"/fr/mobilite/appels/{call.slug}/candidater/")
    stated = page.locator(".fixed-choice")
    expect(stated.filter(has_text=re.compile(r"^Type de mobilité\s:"))).to_contain_text("Stage (étudiants)")
    expect(stated.filter(has_text=re.compile(r"^Vous êtes\s:"))).to_contain_text("Étudiant ou étudiante")
    expect(stated.filter(has_text=re.compile(r"^Destination\s:"))).to_contain_text(LONG_NAMES[0][0])
    expect(page.get_by_label("Type de mobilité")).to_have_count(0)
    expect(page.get_by_label("Deuxième choix")).to_have_count(0)
    assert_fits(page)
    assert_no_axe_violations(page)

    start = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Prénom(s)").fill("Maëlys-Éléonore")
    page.get_by_label("Nom de famille").fill("Quillardet-Vasseur de la Montagne")
    page.get_by_label("Adresse électronique").fill(
        "maelys-eleonore.quillardet-vasseur@universite-exemple.example.org"
    )
    page.get_by_label("Formation suivie").select_option(label="DEME — Diplôme d’État de moniteur éducateur")
    page.get_by_label("Année de formation").select_option(label="1re année")
    page.get_by_label("Début souhaité").fill(start.isoformat())
    page.get_by_label("Fin souhaitée").fill((start + datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Votre motivation").fill(
        "Je souhaite découvrir la protection de la jeunesse au Québec. " * 8
    )
    page.locator("#id_language_1").select_option(value="fr")
    page.locator("#id_level_1").select_option(value="C2")
    page.get_by_label(re.compile("J’accepte que l’IRTS Normandie-Caen")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Candidature envoyée")
    expect(page.locator("h1")).to_have_count(1)
    assert_fits(page)
    application = Application.objects.get()
    assert application.mobility_type == "student_traineeship"
    assert [choice.destination for choice in application.choices.all()] == [destination]

    site.open(application.get_follow_up_url())
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_text(application.email)).to_be_visible()
    assert_fits(page)
    page.get_by_role("link", name="Retirer ma candidature…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer ma candidature")
    expect(page.locator("h1")).to_have_count(1)
    assert_fits(page)
    assert_no_axe_violations(page)


def test_follow_up_page_with_long_file_names_fits_a_phone(site, page):
    page.set_viewport_size({"width": 320, "height": 800})
    application = submit_application(
        email="une.adresse.vraiment.tres.longue.pour.un.telephone@exemple.example.org"
    )
    application.documents.update(
        original_name="curriculum-vitae-version-definitive-relue-et-corrigee-2027.pdf"
    )
    site.open(application.get_follow_up_url())
    expect(page.locator("h1")).to_have_count(1)
    assert_fits(page)
