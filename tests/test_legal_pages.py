"""The pages a French public site owes its visitors: the accessibility statement (RGAA 4.1), the
legal notice and the personal-data page, in both languages, and the footer's accessibility mention."""

import datetime
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.test_settings import run_django

pytestmark = pytest.mark.django_db

PAGES = [
    # (url name, French path, English path, French h1, English h1)
    (
        "accessibility",
        "/fr/accessibilite/",
        "/en/accessibility/",
        "Déclaration d’accessibilité",
        "Accessibility statement",
    ),
    ("legal_notice", "/fr/mentions-legales/", "/en/legal-notice/", "Mentions légales", "Legal notice"),
    (
        "privacy",
        "/fr/donnees-personnelles/",
        "/en/privacy/",
        "Protection des données personnelles",
        "Personal data protection",
    ),
    ("contact", "/fr/contact/", "/en/contact/", "Contact", "Contact"),
]


class _Page(HTMLParser):
    """The parts of a page these tests read: headings, links and the footer's links."""

    def __init__(self) -> None:
        super().__init__()
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.footer_links: list[tuple[str, str]] = []
        self.resources: list[str] = []
        self._in_h1 = False
        self._in_footer = False
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "footer":
            self._in_footer = True
        elif tag == "a":
            self._link = (attributes.get("href") or "", [])
        if tag in ("img", "script", "iframe", "source", "video", "audio") and attributes.get("src"):
            self.resources.append(attributes["src"] or "")
        if tag == "link" and attributes.get("rel") not in ("canonical", "alternate"):
            self.resources.append(attributes.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "footer":
            self._in_footer = False
        elif tag == "a" and self._link is not None:
            href, parts = self._link
            link = (href, " ".join("".join(parts).split()))
            self.links.append(link)
            if self._in_footer:
                self.footer_links.append(link)
            self._link = None

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data
        if self._link is not None:
            self._link[1].append(data)


def html_of(response) -> str:
    """The page's HTML with French narrow no-break spaces read as plain spaces, as in our sources."""
    return response.content.decode().replace("\u202f", " ")


def parse(response) -> _Page:
    assert response.status_code == 200, response
    page = _Page()
    page.feed(html_of(response))
    return page


def text_of(response) -> str:
    """The page's text with tags dropped and spaces collapsed, as a person reads it."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_of(response)).split())


# --- every legal page ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "fr_path", "en_path", "fr_h1", "en_h1"), PAGES)
def test_legal_pages_answer_in_both_languages_with_one_h1(client, name, fr_path, en_path, fr_h1, en_h1):
    for language, path, heading in (("fr", fr_path, fr_h1), ("en", en_path, en_h1)):
        with translation.override(language):
            assert reverse(name) == path
        response = client.get(path)
        page = parse(response)
        assert page.h1 == [heading], path
        html = html_of(response)
        assert f'<html lang="{language}">' in html
        for inline in ("<script", "style=", "<style"):
            assert inline not in html, (path, inline)


@pytest.mark.parametrize(("name", "fr_path", "en_path", "fr_h1", "en_h1"), PAGES)
def test_legal_pages_load_nothing_from_another_site(client, name, fr_path, en_path, fr_h1, en_h1):
    for path in (fr_path, en_path):
        page = parse(client.get(path))
        assert page.resources, path  # at least the stylesheet
        assert all(url.startswith("/") and not url.startswith("//") for url in page.resources), page.resources


def test_the_language_switcher_leads_from_the_statement_to_its_english_version(client):
    html = html_of(client.get("/fr/accessibilite/"))
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/accessibility/">' in html


def test_sitemap_lists_the_accessibility_statement_in_both_languages(client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/fr/accessibilite/</loc>" in xml
    assert "<loc>http://testserver/en/accessibility/</loc>" in xml


# --- the footer's mention (RGAA: on every page, linked to the statement) ------------------------
@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/fr/", 200, "Accessibilité : non conforme"),
        ("/fr/partenaires/", 200, "Accessibilité : non conforme"),
        ("/fr/mobilite/", 200, "Accessibilité : non conforme"),
        ("/fr/contact/", 200, "Accessibilité : non conforme"),
        ("/en/", 200, "Accessibility: not compliant"),
        ("/en/privacy/", 200, "Accessibility: not compliant"),
        ("/fr/cette-page-n-existe-pas/", 404, "Accessibilité : non conforme"),
    ],
)
def test_every_page_footer_states_the_compliance_and_links_to_the_statement(client, path, status, expected):
    response = client.get(path)
    assert response.status_code == status
    page = _Page()
    page.feed(html_of(response))
    statement = "/en/accessibility/" if path.startswith("/en/") else "/fr/accessibilite/"
    assert (statement, expected) in page.footer_links


@pytest.mark.parametrize(
    ("status", "fr_label", "en_label"),
    [
        ("non", "non conforme", "not compliant"),
        ("partiel", "partiellement conforme", "partially compliant"),
        ("total", "totalement conforme", "fully compliant"),
    ],
)
def test_the_compliance_status_is_one_setting_read_by_footer_statement_and_legal_notice(
    client, settings, status, fr_label, en_label
):
    settings.PORTAL_ACCESSIBILITY_STATUS = status
    statement = client.get("/fr/accessibilite/")
    assert ("/fr/accessibilite/", f"Accessibilité : {fr_label}") in parse(statement).footer_links
    assert f"est <strong>{fr_label}</strong> avec le référentiel général" in html_of(statement)
    # The list of failures is announced unless the site is fully compliant.
    announced = "Les non-conformités connues sont énumérées ci-dessous." in html_of(statement)
    assert announced is (status != "total")
    assert f"Ce site est {fr_label} avec le référentiel" in text_of(client.get("/fr/mentions-legales/"))
    english = client.get("/en/accessibility/")
    assert ("/en/accessibility/", f"Accessibility: {en_label}") in parse(english).footer_links
    assert f"is <strong>{en_label}</strong> with the French accessibility standard" in html_of(english)


def test_an_unknown_compliance_status_stops_the_site_at_start_up():
    result = run_django(["manage.py", "check"], DJANGO_DEBUG="1", PORTAL_ACCESSIBILITY_STATUS="conforme")
    assert result.returncode != 0
    assert "PORTAL_ACCESSIBILITY_STATUS" in result.stderr


def test_a_malformed_statement_date_stops_the_site_at_start_up():
    result = run_django(
        ["manage.py", "check"], DJANGO_DEBUG="1", PORTAL_ACCESSIBILITY_STATEMENT_DATE="28/11/2026"
    )
    assert result.returncode != 0
    assert "PORTAL_ACCESSIBILITY_STATEMENT_DATE" in result.stderr


# --- the accessibility statement ------------------------------------------------------------------
def test_statement_says_who_makes_it_for_which_site_and_that_the_assessment_is_internal(client, settings):
    settings.PORTAL_BASE_URL = "https://mobilite.example.org"
    text = text_of(client.get("/fr/accessibilite/"))
    assert "L’Institut régional du travail social (IRTS) Normandie-Caen s’engage" in text
    assert (
        "portail des partenariats et des mobilités de l’IRTS Normandie-Caen, publié à l’adresse https://mobilite.example.org"
        in text
    )
    # Without an audit that measured the RGAA criteria, the referential asks for "non conforme".
    assert (
        "est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1"
        in text
    )
    assert "tant qu’aucun audit n’a mesuré le respect de ses critères" in text
    settings.PORTAL_ACCESSIBILITY_STATUS = "partiel"
    text = text_of(client.get("/fr/accessibilite/"))
    assert "évaluation interne" in text
    assert "n’a pas encore fait l’objet d’un audit de conformité par un organisme extérieur" in text


def test_statement_lists_the_tests_run_and_the_technologies(client):
    text = text_of(client.get("/fr/accessibilite/"))
    assert "axe-core" in text
    assert "Chromium" in text
    assert "320, 390 et 1 280 pixels" in text
    assert "validateur du W3C" in text
    assert "navigation au clavier" in text
    assert "relecture manuelle" in text
    assert "HTML CSS Aucune fonctionnalité du site ne nécessite JavaScript." in text


def test_statement_names_the_known_failures(client):
    text = text_of(client.get("/fr/accessibilite/"))
    assert "Faute d’audit extérieur" in text
    assert (
        "documents PDF déposés par les partenaires ou par le personnel, comme les conventions signées" in text
    )
    assert "interface d’administration de Django" in text
    assert "ne sont disponibles qu’en français" in text
    english = text_of(client.get("/en/accessibility/"))
    assert (
        "PDF documents uploaded by partners or staff, such as signed agreements, may not be accessible"
        in english
    )
    assert "available in French only" in english


def test_statement_date_is_the_setting_written_in_the_reader_language(client, settings):
    assert "Cette déclaration a été établie le 28 novembre 2026." in text_of(client.get("/fr/accessibilite/"))
    assert "This statement was made on Nov. 28, 2026." in text_of(client.get("/en/accessibility/"))
    settings.PORTAL_ACCESSIBILITY_STATEMENT_DATE = datetime.date(2027, 3, 5)
    assert "Cette déclaration a été établie le 5 mars 2027." in text_of(client.get("/fr/accessibilite/"))


def test_statement_leads_to_the_contact_form_to_report_a_problem(client, settings):
    settings.PORTAL_CONTACT_EMAIL = "ri@example.org"
    page = parse(client.get("/fr/accessibilite/"))
    assert (
        "/fr/contact/",
        "Écrire au service des relations internationales avec le formulaire de contact",
    ) in page.links
    assert ("mailto:ri@example.org", "ri@example.org") in page.links
    english = parse(client.get("/en/accessibility/"))
    assert (
        "/en/contact/",
        "Write to the international relations office with the contact form",
    ) in english.links


def test_statement_gives_the_recourse_to_the_defenseur_des_droits(client):
    response = client.get("/fr/accessibilite/")
    page = parse(response)
    text = text_of(response)
    assert "vous pouvez saisir le Défenseur des droits" in text
    # Links written out in full, leading away; nothing of that site is loaded here.
    assert (
        "https://formulaire.defenseurdesdroits.fr/",
        "https://formulaire.defenseurdesdroits.fr/",
    ) in page.links
    assert (
        "https://www.defenseurdesdroits.fr/carte-des-delegues",
        "https://www.defenseurdesdroits.fr/carte-des-delegues",
    ) in page.links
    assert "délégué du Défenseur des droits de votre région" in text
    assert (
        "par courrier, gratuit et sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"
        in text
    )
    english = text_of(client.get("/en/accessibility/"))
    assert (
        "by post, free of charge and without a stamp: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"
        in english
    )


def test_statement_headings_follow_in_order(client):
    html = html_of(client.get("/fr/accessibilite/"))
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), levels


# --- the legal notice -------------------------------------------------------------------------------
def test_legal_notice_names_the_publisher_and_its_address(client):
    text = text_of(client.get("/fr/mentions-legales/"))
    assert "Ce site est édité par l’Institut régional du travail social (IRTS) Normandie-Caen" in text
    assert "2 rue du Campus, 14200 Hérouville-Saint-Clair, France" in text


def test_legal_notice_names_the_general_management_as_publication_director_by_default(client):
    french = text_of(client.get("/fr/mentions-legales/"))
    assert "Direction de la publication La direction générale de l’IRTS Normandie-Caen" in french
    english = text_of(client.get("/en/legal-notice/"))
    assert "Publication director The general management of IRTS Normandie-Caen" in english


def test_legal_notice_names_the_configured_publication_director(client, settings):
    settings.PORTAL_PUBLICATION_DIRECTOR = "Claire Lemoine, directrice générale"
    for path in ("/fr/mentions-legales/", "/en/legal-notice/"):
        assert "Claire Lemoine, directrice générale" in text_of(client.get(path))


def test_legal_notice_names_the_configured_host_and_its_address(client, settings):
    settings.PORTAL_HOSTING_PROVIDER = "Hébergeur Normand SAS — 02 31 00 00 00"
    settings.PORTAL_HOSTING_ADDRESS = "1 quai de la Gare, 14000 Caen, France"
    html = html_of(client.get("/fr/mentions-legales/"))
    assert "<p>Hébergeur Normand SAS — 02 31 00 00 00</p>" in html
    assert "<address>1 quai de la Gare, 14000 Caen, France</address>" in html
    assert "ne sont pas encore publiés" not in html


def test_legal_notice_says_plainly_when_the_host_is_not_configured(client, settings):
    settings.PORTAL_HOSTING_PROVIDER = ""
    settings.PORTAL_HOSTING_ADDRESS = "ignored without a name"
    response = client.get("/fr/mentions-legales/")
    html = html_of(response)
    text = text_of(response)
    assert "Le nom et l’adresse de l’hébergeur du site ne sont pas encore publiés sur cette page." in text
    assert "ignored without a name" not in html
    # No empty paragraph nor placeholder in the host's place.
    assert "<p></p>" not in html
    assert not re.search(r"\[.*?\]|PORTAL_|XXX|à compléter", text, re.IGNORECASE)
    english = text_of(client.get("/en/legal-notice/"))
    assert "The name and address of the site's host are not yet published on this page." in english


def test_legal_notice_links_to_the_accessibility_statement(client):
    page = parse(client.get("/fr/mentions-legales/"))
    assert ("/fr/accessibilite/", "Lire la déclaration d’accessibilité") in page.links


# --- the personal-data page ---------------------------------------------------------------------------
def test_privacy_page_lists_every_right_and_how_to_exercise_it(client, settings):
    settings.PORTAL_CONTACT_EMAIL = "ri@example.org"
    response = client.get("/fr/donnees-personnelles/")
    text = text_of(response)
    for right in (
        "d’accéder à vos données",
        "rectifier",
        "effacer",
        "d’en limiter le traitement",
        "de vous opposer à leur traitement",
        "(portabilité)",
    ):
        assert right in text, right
    page = parse(response)
    assert ("/fr/contact/", "avec le formulaire de contact") in page.links
    assert ("mailto:ri@example.org", "ri@example.org") in page.links
    assert (
        "par courrier : IRTS Normandie-Caen, Service des relations internationales, 2 rue du Campus, "
        "14200 Hérouville-Saint-Clair, France"
    ) in text
    assert "dans un délai d’un mois à compter de la réception de votre demande" in text


def test_privacy_page_points_to_the_cnil_without_loading_anything_from_it(client):
    response = client.get("/fr/donnees-personnelles/")
    assert ("https://www.cnil.fr/", "www.cnil.fr") in parse(response).links
    assert "réclamation à la Commission nationale de l’informatique et des libertés (CNIL)" in text_of(
        response
    )
    english = client.get("/en/privacy/")
    assert ("https://www.cnil.fr/", "www.cnil.fr") in parse(english).links
    assert "lodge a complaint with the French data protection authority" in text_of(english)


def test_privacy_page_explains_the_contact_form_data_and_its_retention(client, settings):
    settings.PORTAL_RETENTION_MONTHS = 18
    text = text_of(client.get("/fr/donnees-personnelles/"))
    assert "Lorsque vous nous écrivez avec le formulaire de contact, nous enregistrons votre nom" in text
    assert "servent uniquement à vous répondre" in text
    assert "Il est supprimé 18 mois après le traitement de votre demande." in text
    assert "comptée pendant une heure, puis oubliée" in text
    english = text_of(client.get("/en/privacy/"))
    assert "It is deleted 18 months after your request has been dealt with." in english
    settings.PORTAL_RETENTION_MONTHS = 1
    assert "It is deleted 1 month after your request" in text_of(client.get("/en/privacy/"))


def test_the_contact_form_links_to_the_contact_form_section_of_the_privacy_page(client):
    page = parse(client.get("/fr/contact/"))
    assert ("/fr/donnees-personnelles/#formulaire-de-contact", "Vos données et vos droits") in page.links
    assert 'id="formulaire-de-contact"' in html_of(client.get("/fr/donnees-personnelles/"))
