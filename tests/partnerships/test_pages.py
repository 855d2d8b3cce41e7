import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement, AgreementParty, Institution, MobilityTerm, Programme
from partnerships.selectors import PARTNERS_PER_PAGE
from tests.factories import AgreementFactory, DestinationFactory, InstitutionFactory, OwnInstitutionFactory


def partner_names(response) -> list[str]:
    return [institution.name for group in response.context["groups"] for institution in group.institutions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("monteregie", ["Centre jeunesse de la Montérégie"]),
        ("MONTÉRÉGIE", ["Centre jeunesse de la Montérégie"]),
        ("wurzburg", ["Université Würzburg"]),
        ("parme", ["Université de Parme"]),
        ("allemagne", ["Université Würzburg"]),
        ("germany", ["Université Würzburg"]),
        ("l'estrie", ["Centre jeunesse de l’Estrie"]),
        ("hainaut", ["Haute École Louvain en Hainaut"]),
    ],
)
def test_search_ignores_case_and_accents(client, seeded, query, expected):
    response = client.get("/fr/partenaires/", {"q": query})
    assert response.status_code == 200
    assert partner_names(response) == expected
    assert "1 partenaire" in response.content.decode()


def test_filters_combine_and_live_in_the_url(client, seeded):
    response = client.get("/fr/partenaires/", {"destination": "quebec", "kind": "child_protection"})
    names = partner_names(response)
    assert len(names) == 6
    assert all(name.startswith("Centre jeunesse") for name in names)
    html = response.content.decode()
    assert '<option value="quebec" selected>' in html
    assert "6 partenaires" in html


def test_country_filter_keeps_quebec_apart_from_the_rest(client, seeded):
    belgium = partner_names(client.get("/fr/partenaires/", {"destination": "belgique"}))
    # In the order a reader expects ("de Bruxelles" before "Louvain"), whatever the case of the words.
    assert belgium == ["Haute École de Bruxelles – Institut Defré", "Haute École Louvain en Hainaut"]
    quebec = partner_names(client.get("/fr/partenaires/", {"destination": "quebec"}))
    assert "Université Laval" in quebec
    assert len(quebec) == 7


def test_programme_filter_finds_the_partners_whose_agreement_covers_it(client, seeded):
    names = partner_names(client.get("/fr/partenaires/", {"programme": "DEES"}))
    assert names == ["Haute École de Bruxelles – Institut Defré", "Université de Parme"]
    names = partner_names(client.get("/fr/partenaires/", {"programme": "DEASS"}))
    assert names == ["Université Würzburg", "Université de Parme"]


def test_mobility_filter_finds_the_partners_offering_it(client, seeded):
    names = partner_names(client.get("/fr/partenaires/", {"mobility": "student_traineeship"}))
    assert "Centre jeunesse de Montréal – Institut universitaire" in names
    assert "Université de Parme" not in names


def test_no_result_shows_a_helpful_empty_state(client, seeded):
    html = client.get("/fr/partenaires/", {"q": "zanzibar"}).content.decode()
    assert "Aucun partenaire ne correspond à votre recherche." in html
    assert "Voir tous les partenaires" in html


def test_a_wrong_filter_value_is_reported_and_the_others_still_apply(client, seeded):
    response = client.get("/fr/partenaires/", {"destination": "atlantide", "q": "parme"})
    assert response.status_code == 200
    assert partner_names(response) == ["Université de Parme"]
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_institution_page_shows_identity_agreements_and_networks(client, seeded):
    html = client.get("/fr/partenaires/etablissements/centre-jeunesse-de-montreal/").content.decode()
    assert "<h1>Centre jeunesse de Montréal – Institut universitaire</h1>" in html
    assert "CIUSSS du Centre-Sud-de-l’Île-de-Montréal" in html
    assert "Convention partenariale France–Québec" in html
    assert "Stage (étudiants)" in html
    assert "Partenariat France–Québec en intervention sociale" in html


def test_institution_page_shows_mobility_terms(client, db):
    partner = InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE")
    agreement = AgreementFactory.create(partners=[partner], title="Accord Gent")
    agreement.programmes.add(
        Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    )
    MobilityTerm.objects.create(
        agreement=agreement,
        mobility_type="student_studies",
        direction="outgoing",
        places_per_year=3,
        duration_months=4.5,
        language="nl",
        cefr_level="B1",
        isced_code="0923",
        eqf_level=6,
    )
    html = client.get("/fr/partenaires/etablissements/hogent/").content.decode()
    assert "Accord Gent" in html
    assert "<td>3</td>" in html
    assert "4,5 mois" in html
    assert "Néerlandais (niveau B1)" in html
    assert "ISCED-F 0923, CEC 6" in html
    assert 'rel="external noopener"' not in html  # no website given


def test_private_institution_is_not_public(client, db):
    InstitutionFactory.create(slug="cachee", is_public=False)
    assert client.get("/fr/partenaires/etablissements/cachee/").status_code == 404


def test_network_page_reads_like_the_original(client, seeded):
    html = client.get("/fr/partenaires/reseaux/france-quebec/").content.decode()
    for heading in ["Historique", "Objectif général", "Les 5 objectifs", "Financement", "Perspectives"]:
        assert heading in html
    assert "Côté France" in html
    assert "Côté Québec" in html
    assert html.index("2009–2011") < html.index("2011–2012") < html.index("2012–2013")


def test_each_partner_page_has_one_h1_a_title_and_a_canonical_link(client, seeded):
    for institution in Institution.objects.filter(is_public=True):
        html = client.get(institution.get_absolute_url()).content.decode()
        assert html.count("<h1") == 1
        assert f"<title>{institution.name} — IRTS Normandie-Caen</title>" in html
        assert f'rel="canonical" href="http://testserver{institution.get_absolute_url()}"' in html


def test_sitemap_lists_partner_pages(client, seeded):
    xml = "".join(
        client.get(f"/sitemap-{section}.xml").content.decode()
        for section in ("networks", "destinations", "institutions")
    )
    assert "/fr/partenaires/reseaux/france-quebec/" in xml
    assert "/fr/partenaires/destinations/quebec/" in xml
    assert "/fr/partenaires/etablissements/universite-de-parme/" in xml
    # The English page of an institution with an English name has an English address.
    assert "/en/partners/institutions/university-of-parma/" in xml
    assert "/en/partners/institutions/universite-laval/" in xml


def make_partners(count: int) -> None:
    """`count` Belgian partners, each with an agreement in force covering a programme and a mobility."""
    own = OwnInstitutionFactory.create()
    DestinationFactory.create(name="Belgique", slug="belgique", country="BE")
    programme, _ = Programme.objects.get_or_create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    start = Institution.objects.count()
    partners = [
        Institution(name=f"Haute école {start + n}", slug=f"he-{start + n}", kind="haute_ecole", country="BE")
        for n in range(count)
    ]
    for partner in partners:  # bulk_create skips save(), which fills the search text
        partner.search_text = partner.build_search_text()
    Institution.objects.bulk_create(partners)
    agreements = Agreement.objects.bulk_create(
        Agreement(title=f"Accord {p.slug}", slug=f"accord-{p.slug}", kind="erasmus_iia") for p in partners
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, institution=i)
        for a, p in zip(agreements, partners, strict=True)
        for i in (own, p)
    )
    Agreement.programmes.through.objects.bulk_create(
        Agreement.programmes.through(agreement=a, programme=programme) for a in agreements
    )
    MobilityTerm.objects.bulk_create(
        MobilityTerm(agreement=a, mobility_type="student_studies", direction="outgoing") for a in agreements
    )


def forget_cached_pages() -> None:
    """The next request builds its page as its first visitor gets it (rows written with
    bulk_create, as here, tell no cache that a page changed). Called outside the counted block:
    emptying a cache held in the database is a query of its own."""
    for cache in caches.all():
        cache.clear()


def count_queries(client, path: str, **params) -> tuple[int, object]:
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_partners_index_query_count_does_not_grow_with_partners(client, django_assert_num_queries):
    make_partners(5)
    small, response = count_queries(client, "/fr/partenaires/")
    assert len(partner_names(response)) == 5
    make_partners(995)
    forget_cached_pages()
    with django_assert_num_queries(small):
        response = client.get("/fr/partenaires/")
    assert response.context["directory"].count == 1000
    assert len(partner_names(response)) == PARTNERS_PER_PAGE
    # Filtering adds a fixed number of queries too.
    filtered, _ = count_queries(
        client, "/fr/partenaires/", programme="DEES", mobility="student_studies", q="haute"
    )
    make_partners(10)
    forget_cached_pages()
    with django_assert_num_queries(filtered):
        client.get("/fr/partenaires/", {"programme": "DEES", "mobility": "student_studies", "q": "haute"})


@pytest.mark.django_db
def test_institution_page_query_count_does_not_grow_with_co_signatories(client, django_assert_num_queries):
    make_partners(5)
    convention = Agreement.objects.create(
        title="Convention", slug="convention", kind="partnership_convention"
    )
    page_owner = Institution.objects.get(slug="he-1")
    convention.parties.add(*Institution.objects.all())
    small, _ = count_queries(client, page_owner.get_absolute_url())
    make_partners(195)
    convention.parties.add(*Institution.objects.exclude(pk__in=convention.parties.all()))
    assert convention.parties.count() == 201
    forget_cached_pages()
    with django_assert_num_queries(small):
        client.get(page_owner.get_absolute_url())


def test_country_destinations_are_named_in_the_visitors_language(client, seeded):
    english = client.get("/en/partners/").content.decode()
    assert ">Germany</a>" in english
    assert ">Italy</a>" in english
    assert ">Quebec</a>" in english  # a region is named as staff wrote it, in English here
    french = client.get("/fr/partenaires/").content.decode()
    assert ">Allemagne</a>" in french
