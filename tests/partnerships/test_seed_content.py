"""The seed page's content reaches the public site, whole and without inventions."""

import io
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from partnerships.models import Agreement, Destination, Institution, Network, SeedRecord
from partnerships.text import search_normalize

SEED_FOLDER = Path(__file__).resolve().parents[3] / "shared" / "seed"

# Every proper noun, year and objective of the school's partnerships page, as written there.
SEED_FACTS = [
    "La formation aux métiers de l'intervention sociale",
    "14 diplômes d'état et 8 qualifications professionnelles",
    "Québec",
    "Histoire partagée et langue commune",
    "IRTS Normandie-Caen",
    "Université Laval",
    "Centre Jeunesse de Québec",
    "partir en stage au Québec",
    "Bretagne",
    "Poitou-Charentes",
    "Lorraine",
    "La Réunion",
    "Rhône Alpes",
    "2008",
    "partenaire officiel",
    "convention partenariale en 2010",
    "centres jeunesse sont maintenant associés au projet",
    "Montréal",
    "Montérégie",
    "Gaspésie",
    "Les Iles",
    "Estrie",
    "Saguenay Lac Saint Jean",
    "protection de l'enfance",
    "Centre jeunesse de Québec-Institut universitaire",
    "Centre jeunesse de Montréal - Institut universitaire",
    "structurer un réseau franco-québécois pour la mobilité dans le secteur de l'intervention sociale",
    "codiplomations",
    "mobilité des Hommes et des idées",
    "cinq objectifs",
    "Contribuer à la mobilité des acteurs",
    "demande d'immigration au Québec",
    "Former conjointement",
    "relève professionnelle",
    "Contribuer à la reconnaissance des qualifications professionnelles",
    "évaluer les écarts entre les référentiels de formation",
    "Conduire une recherche comparative et en valoriser les apports",
    "sécurisation des pratiques et de gestion du risque",
    "Modéliser et communiquer notre expérience",
    "communication écrite",
    "Fonds Franco-Québecois pour la coopération décentralisée",
    "2009-2011",
    "biennum",
    "2011-2012",
    "2012-2013",
    "axe fort de développement des activités internationales",
    "collaborations déjà très fructueuses",
    "ERASMUS",
    "Belgique",
    "Haute Ecole de Bruxelles",
    "Defré",
    "éducateurs spécialisés",
    "Haute Ecole Louvain en Hainaut",
    "Portugal",
    "Allemagne",
    "Université Würzburg",
    "assistants de service social",
    "Italie",
    "Université de Parme",
]


def normalise(text: str) -> str:
    """Accents, case, typographic apostrophes, dashes and spacing do not count."""
    flat = search_normalize(text).replace("-", " ").replace("/", " ")
    return " ".join(flat.split())


def crawl(client, start: str = "/fr/") -> dict[str, str]:
    """Every page reachable from `start` through the site's own links: {path: response text}."""
    pages, queue = {}, [start]
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        html = response.content.decode()
        pages[path] = html
        for href in re.findall(r'href="([^"#]+)', html):
            url = urlsplit(urljoin(path, unescape(href)))
            if url.netloc or url.scheme or url.path.startswith(("/static/", "/gestion/", "/i18n/")):
                continue
            if url.path.startswith("/fr/"):
                queue.append(url.path)
    return pages


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.skipif(not SEED_FOLDER.is_dir(), reason="the seed page is not beside this checkout")
def test_each_checked_fact_is_really_on_the_seed_page():
    seed = normalise(" ".join(path.read_text(encoding="utf-8") for path in SEED_FOLDER.glob("*.txt")))
    missing = [fact for fact in SEED_FACTS if normalise(fact) not in seed]
    assert not missing


def test_every_fact_of_the_seed_page_is_on_the_public_site(client, seeded):
    pages = crawl(client)
    site_text = normalise(" ".join(visible_text(html) for html in pages.values()))
    missing = [fact for fact in SEED_FACTS if normalise(fact) not in site_text]
    assert not missing, f"not found on the {len(pages)} public pages: {missing}"


def test_crawl_from_home_finds_every_institution_within_two_clicks_and_no_broken_link(client, seeded):
    home = client.get("/fr/").content.decode()
    partners_page = client.get("/fr/partenaires/").content.decode()
    assert 'href="/fr/partenaires/"' in home
    for institution in Institution.objects.public_partners():
        assert f'href="{institution.get_absolute_url()}"' in partners_page, institution.name
    pages = crawl(client)
    assert len(pages) > 25


def test_public_pages_never_show_signed_documents_or_staff_notes(client, seeded, settings, tmp_path):
    agreement = Agreement.objects.get(slug="erasmus-parme")
    agreement.staff_notes = "NOTE-INTERNE-7f3a renouvellement à négocier"
    agreement.save()
    pages = crawl(client)
    for path, html in pages.items():
        assert "NOTE-INTERNE-7f3a" not in html, path
        assert "/agreements/" not in html, path
        assert "private" not in html, path


def test_load_seed_twice_leaves_the_same_rows_and_keeps_staff_edits(db, settings):
    call_command("load_seed", stdout=io.StringIO())
    counts = {model: model.objects.count() for model in (Institution, Agreement, Network, Destination)}
    agreement = Agreement.objects.get(slug="erasmus-wurzburg")
    agreement.title = "Accord ERASMUS avec la THWS (renouvelé)"
    agreement.first_academic_year, agreement.last_academic_year = 2025, 2030
    agreement.save()

    out = io.StringIO()
    call_command("load_seed", stdout=out)

    assert "0 added" in out.getvalue()
    assert {model: model.objects.count() for model in counts} == counts
    agreement.refresh_from_db()
    assert agreement.title == "Accord ERASMUS avec la THWS (renouvelé)"
    assert (agreement.first_academic_year, agreement.last_academic_year) == (2025, 2030)
    fixture_objects = sum(
        len(json.loads(path.read_text(encoding="utf-8")))
        for path in settings.PORTAL_SEED_FIXTURES_DIR.glob("*.json")
    )
    assert SeedRecord.objects.count() == fixture_objects


def test_seed_holds_the_partnerships_of_the_page(seeded):
    assert Institution.objects.get(is_own=True).name == "IRTS Normandie-Caen"
    assert Institution.objects.filter(kind="child_protection", region="Québec").count() == 6
    french_partners = Institution.objects.filter(country="FR", is_own=False, kind="social_work_institute")
    assert french_partners.count() == 5
    network = Network.objects.get(slug="france-quebec")
    assert network.objectives.count() == 5
    assert [(p.first_year, p.last_year) for p in network.funding_periods.all()] == [
        (2009, 2011),
        (2011, 2012),
        (2012, 2013),
    ]
    parma = Agreement.objects.get(slug="erasmus-parme")
    assert sorted(parma.programmes.values_list("code", flat=True)) == ["DEASS", "DEES"]


def test_portugal_invents_no_partner(client, seeded):
    assert not Institution.objects.filter(country="PT").exists()
    html = client.get("/fr/partenaires/destinations/portugal/").content.decode().replace("\u202f", " ")
    assert "L’établissement partenaire n’est pas encore nommé publiquement." in html
    assert 'class="partner-list"' not in html
    index = client.get("/fr/partenaires/").content.decode().replace("\u202f", " ")
    portugal = index.split(">Portugal</a>")[1].split("</section>")[0]
    assert (
        "Un partenariat ERASMUS est en place ; l’établissement partenaire n’est pas encore nommé" in portugal
    )


def test_unconfirmed_identities_are_never_shown_as_certain(client, seeded):
    html = client.get("/fr/partenaires/etablissements/universite-wurzburg/").content.decode()
    assert "Identité actuelle probable" in html
    assert "(information à confirmer)" in html
    confirmed = client.get("/fr/partenaires/etablissements/universite-de-parme/").content.decode()
    assert "Università degli Studi di Parma" in confirmed
    assert "à confirmer" not in confirmed
