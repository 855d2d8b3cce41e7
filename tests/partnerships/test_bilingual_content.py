"""Content in French and English: English texts and URLs on /en/, French where no English is
written (marked lang="fr"), the switcher landing on the same page, and load_seed filling English
texts without overwriting staff's."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Destination, Institution, Network
from tests.admin_helpers import form_data

pytestmark = pytest.mark.django_db


def test_english_pages_show_the_english_texts_at_english_addresses(client, seeded):
    response = client.get("/en/partners/destinations/germany/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1>.*Germany</h1>", html, re.S)
    assert "France–Quebec partnership in social work" in client.get("/en/").content.decode()
    parma = client.get("/en/partners/institutions/university-of-parma/").content.decode()
    assert "<h1>University of Parma</h1>" in parma
    assert "Parma, Italy" in parma


def test_a_page_reached_by_its_other_language_slug_moves_to_its_own_address(client, seeded):
    english = client.get("/en/partners/destinations/allemagne/")
    assert english.status_code == 301
    assert english["Location"] == "/en/partners/destinations/germany/"
    french = client.get("/fr/partenaires/destinations/germany/")
    assert french.status_code == 301
    assert french["Location"] == "/fr/partenaires/destinations/allemagne/"
    assert client.get("/en/mobility/calls/appel-de-demonstration/").status_code in (301, 404)


def test_the_language_switcher_lands_on_the_same_object_in_the_other_language(client, seeded):
    page = client.get("/fr/partenaires/etablissements/universite-de-parme/").content.decode()
    switcher = re.search(r'<a class="language-switcher" href="([^"]+)"', page)
    assert switcher is not None
    assert switcher.group(1) == "/en/partners/institutions/university-of-parma/"
    assert client.get(switcher.group(1)).status_code == 200
    assert (
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/partenaires/etablissements/universite-de-parme/">'
        in page
    )
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/partners/institutions/university-of-parma/">'
        in page
    )


def test_the_sitemap_lists_each_object_at_its_address_in_each_language(client, seeded):
    xml = client.get("/sitemap-destinations.xml").content.decode()
    assert "<loc>http://testserver/en/partners/destinations/germany/</loc>" in xml
    assert "<loc>http://testserver/fr/partenaires/destinations/allemagne/</loc>" in xml
    assert "/en/partners/destinations/allemagne/" not in xml


def test_french_that_shows_through_on_an_english_page_is_marked(client, seeded):
    laval = Institution.objects.get(slug="universite-laval")
    laval.description_en = None
    laval.save()
    html = client.get(
        laval.get_absolute_url().replace("/fr/partenaires/etablissements/", "/en/partners/institutions/")
    ).content.decode()
    assert f'<span lang="fr">{laval.description_fr}</span>' in html.replace("&#x27;", "'")
    # Its name has no English version either: a proper name, read with a French voice.
    assert '<h1><span lang="fr">Université Laval</span></h1>' in html
    # On the French page nothing needs marking.
    french = client.get("/fr/partenaires/etablissements/universite-laval/").content.decode()
    assert '<span lang="fr">' not in french.split("<main", 1)[1].split("</main>")[0]


def test_search_finds_a_partner_by_its_name_in_either_language(client, seeded):
    for path in ("/en/partners/?q=parma", "/en/partners/?q=parme", "/fr/partenaires/?q=parma"):
        assert (
            "/university-of-parma/" in client.get(path).content.decode()
            or "/universite-de-parme/" in client.get(path).content.decode()
        ), path


def test_the_admin_edits_both_languages_and_requires_the_french(admin_client, seeded):
    network = Network.objects.get(slug="erasmus")
    url = reverse("admin:partnerships_network_change", args=[network.pk])
    page = admin_client.get(url)
    assert {"name_fr", "name_en", "history_fr", "history_en", "slug_en"} <= set(
        page.context["adminform"].form.fields
    )
    data = form_data(page)
    data["summary_en"] = "ERASMUS partnerships in four European countries."
    response = admin_client.post(url, data)
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.summary_en == "ERASMUS partnerships in four European countries."
    data["name_fr"] = ""
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "name_fr" in response.context["adminform"].form.errors


def fixtures_without_english(folder: Path) -> None:
    for source in sorted(Path(settings.PORTAL_SEED_FIXTURES_DIR).glob("*.json")):
        objects = json.loads(source.read_text(encoding="utf-8"))
        for obj in objects:
            obj["fields"] = {key: value for key, value in obj["fields"].items() if not key.endswith("_en")}
        (folder / source.name).write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")


def test_load_seed_fills_missing_english_texts_and_keeps_staff_ones(tmp_path, settings):
    # A site seeded before the English texts existed…
    fixtures_without_english(tmp_path)
    settings.PORTAL_SEED_FIXTURES_DIR = tmp_path
    call_command("load_seed", stdout=io.StringIO())
    assert Destination.objects.get(slug="belgique").name_en is None
    # …where staff already wrote one English name themselves.
    germany = Destination.objects.get(slug="allemagne")
    germany.name_en = "Germany (Bavaria)"
    germany.save()

    settings.PORTAL_SEED_FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"
    output = io.StringIO()
    call_command("load_seed", stdout=output)
    assert Destination.objects.get(slug="belgique").name_en == "Belgium"
    assert Destination.objects.get(slug="belgique").slug_en == "belgium"
    assert Destination.objects.get(slug="allemagne").name_en == "Germany (Bavaria)"
    assert Network.objects.get(slug="france-quebec").history_en
    assert re.search(r"[1-9]\d* given their English texts", output.getvalue())
    # French texts are never touched.
    assert Destination.objects.get(slug="belgique").name_fr == "Belgique"


def test_the_admin_and_its_exports_stay_french_for_an_english_browser(admin_client, seeded):
    page = admin_client.get("/gestion/partnerships/destination/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in page
    assert ">Allemagne<" in page
    export = (
        admin_client.get(reverse("admin:partnerships_agreement_export"), HTTP_ACCEPT_LANGUAGE="en")
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "Convention partenariale France–Québec" in export
