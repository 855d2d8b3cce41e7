"""The sitemap is an index of sections, each paged: no file grows with the catalogue."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.sitemaps import InstitutionSitemap
from tests.factories import ActivityFactory, NetworkFactory
from tests.partnerships.test_pages import make_partners

pytestmark = pytest.mark.django_db

SECTIONS = ["pages", "networks", "destinations", "institutions", "activities"]


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_robots_txt_names_the_sitemap_index(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_the_index_lists_each_section(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<sitemapindex" in xml
    assert locations(xml) == [f"http://testserver/sitemap-{section}.xml" for section in SECTIONS]


def test_a_section_lists_its_addresses_in_each_language_with_their_alternates(client):
    make_partners(2)
    xml = client.get("/sitemap-institutions.xml").content.decode()
    assert "<urlset" in xml
    assert locations(xml) == [
        "http://testserver/fr/partenaires/etablissements/he-1/",
        "http://testserver/en/partners/institutions/he-1/",
        "http://testserver/fr/partenaires/etablissements/he-2/",
        "http://testserver/en/partners/institutions/he-2/",
        # Our own school has a page of its own, listed too.
        "http://testserver/fr/partenaires/etablissements/irts-normandie-caen/",
        "http://testserver/en/partners/institutions/irts-normandie-caen/",
    ]
    assert (
        '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/partners/institutions/he-1/"/>'
        in xml
    )


def test_published_activities_are_listed_in_each_language_and_drafts_are_not(client):
    network = NetworkFactory.create(
        name="Réseau France–Québec", slug="france-quebec", slug_en="france-quebec"
    )
    ActivityFactory.create(network=network, slug="journee-placement", slug_en="foster-care-day")
    ActivityFactory.create(network=network, slug="brouillon", is_published=False)
    xml = client.get("/sitemap-activities.xml").content.decode()
    assert locations(xml) == [
        "http://testserver/fr/partenaires/reseaux/france-quebec/activites/journee-placement/",
        "http://testserver/en/partners/networks/france-quebec/activities/foster-care-day/",
    ]
    assert "<lastmod>" in xml


def test_a_long_section_is_split_into_pages_that_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(InstitutionSitemap, "limit", 4)
    make_partners(8)  # and our own school: 9 institutions, 18 addresses
    index = locations(client.get("/sitemap.xml").content.decode())
    pages = [
        f"http://testserver/sitemap-institutions.xml{suffix}"
        for suffix in ("", "?p=2", "?p=3", "?p=4", "?p=5")
    ]
    assert [url for url in index if "institutions" in url] == pages
    listed: list[str] = []
    for page in ("1", "2", "3", "4", "5"):
        with CaptureQueriesContext(connection) as queries:
            xml = client.get("/sitemap-institutions.xml", {"p": page}).content.decode()
        # A count and the page's own institutions, never the whole table.
        assert len(queries) == 2
        assert len(locations(xml)) == (2 if page == "5" else 4)
        listed += locations(xml)
    assert len(listed) == len(set(listed)) == 18
    assert client.get("/sitemap-institutions.xml", {"p": "6"}).status_code == 404


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
