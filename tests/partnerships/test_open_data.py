"""The partners page's list as open data: a CSV that a French spreadsheet opens as columns with
French headers, and a JSON naming its licence; both with the page's search and filters, public
partners only, and linked from the page with the same query string."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.management import call_command

from partnerships.models import Institution

pytestmark = pytest.mark.django_db

PAGE = "/fr/partenaires/"
CSV_FR, JSON_FR = "/fr/partenaires/liste.csv", "/fr/partenaires/liste.json"
JSON_EN = "/en/partners/list.json"


@pytest.fixture
def seeded():
    call_command("load_seed", stdout=io.StringIO())


def csv_rows(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheets look for
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_lists_every_public_partner_with_french_headers(client, seeded):
    hidden = Institution.objects.filter(is_own=False).order_by("pk").first()
    assert hidden is not None
    hidden.is_public = False
    hidden.save()
    response = client.get(CSV_FR)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="partenaires-irts-normandie-caen.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "nom",
        "nom_anglais",
        "type",
        "pays_code",
        "pays",
        "region",
        "ville",
        "site_web",
        "reseaux",
        "page",
    ]
    public = Institution.objects.public_partners()
    assert sorted(row["nom"] for row in rows) == sorted(public.values_list("name_fr", flat=True))
    assert hidden.name not in {row["nom"] for row in rows}
    parma = next(row for row in rows if "Parme" in row["nom"])
    assert (parma["pays_code"], parma["pays"]) == ("IT", "Italie")
    assert parma["page"] == "http://testserver/fr/partenaires/etablissements/universite-de-parme/"
    members = Institution.objects.public_partners().filter(memberships__isnull=False).distinct()
    assert members.exists()
    for partner in members:
        row = next(row for row in rows if row["nom"] == partner.name)
        networks = partner.memberships.order_by("network__position").values_list(
            "network__name_fr", flat=True
        )
        assert row["reseaux"] == " ; ".join(networks)


def test_the_json_keeps_the_filters_and_names_its_licence(client, seeded):
    everything = client.get(JSON_FR).json()
    italy = client.get(JSON_EN, {"destination": "italie"}).json()
    assert italy["licence"] == "Licence Ouverte / Open Licence version 2.0 (Etalab)"
    assert italy["licence_url"].startswith("https://www.etalab.gouv.fr/")
    assert italy["filtres"] == {"destination": "italie"}
    assert italy["partenaires"]
    assert {partner["pays_code"] for partner in italy["partenaires"]} == {"IT"}
    assert len(italy["partenaires"]) < len(everything["partenaires"])


def test_the_page_links_to_the_data_with_its_own_search(client, seeded):
    page = client.get(PAGE, {"destination": "italie", "page": "1"}).content.decode()
    links = [
        unescape(link)
        for link in re.findall(r'<p class="open-data">.*?</p>', page, re.S)[0].split('href="')[1:]
    ]
    assert links[0].startswith(f'{CSV_FR}?destination=italie"')
    assert links[1].startswith(f'{JSON_FR}?destination=italie"')
    assert "Licence Ouverte / Open Licence 2.0 (Etalab)" in page
