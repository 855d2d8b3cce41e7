"""The partner pages' long lists come a page at a time: whatever the number of partners, a page
runs the same queries and stays small, and its page links are plain, accessible GET links."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement, Institution, Network, NetworkMembership
from partnerships.selectors import AGREEMENTS_PER_PAGE, MEMBERS_PER_PAGE, PARTNERS_PER_PAGE
from tests.partnerships.test_pages import forget_cached_pages, make_partners

# Many more rows than a page shows, and a bound that no page may pass.
MANY = 300
MAX_HTML_BYTES = 100 * 1024

OWN_PAGE = "/fr/partenaires/etablissements/irts-normandie-caen/"


def get_page(client, path: str, **params) -> tuple[int, str]:
    """The page as its first visitor gets it, and the number of queries it took."""
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def card_names(html: str) -> list[str]:
    return [
        unescape(name) for name in re.findall(r'<h3 class="partner__name"><a href="[^"]+">([^<]+)</a>', html)
    ]


def pagination(html: str, label: str) -> str:
    navs = re.findall(rf'<nav class="pagination" aria-label="{label}">.*?</nav>', html, re.S)
    assert len(navs) <= 1, f"{len(navs)} navs named {label!r}"
    return navs[0] if navs else ""


def every_page(client, path: str, items, label: str) -> list[str]:
    """What `items` reads from each page of a list, following the « Page suivante » link of its
    page links (the nav named `label`)."""
    found: list[str] = []
    query: dict[str, str] = {}
    for _page in range(100):
        _queries, html = get_page(client, path, **query)
        found += items(html)
        following = re.search(r'href="\?([^"#]*)[^"]*" rel="next">Page suivante', pagination(html, label))
        if not following:
            return found
        query = dict(pair.split("=", 1) for pair in unescape(following.group(1)).split("&"))
    raise AssertionError("the « Page suivante » links never end")


def bulk_members(network: Network, institutions) -> None:
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, institution=institution) for institution in institutions
    )


@pytest.mark.django_db
def test_partners_index_keeps_its_queries_and_size_with_many_partners(client):
    make_partners(3)
    few_queries, few = get_page(client, "/fr/partenaires/")
    assert 'class="pagination"' not in few
    make_partners(MANY - 3)
    queries, html = get_page(client, "/fr/partenaires/")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert "300 partenaires" in html.replace("\u202f", " ")
    assert len(card_names(html)) == PARTNERS_PER_PAGE
    # A later page costs the same.
    queries, html = get_page(client, "/fr/partenaires/", page="4")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES


@pytest.mark.django_db
def test_partners_index_with_filters_keeps_its_queries_with_many_partners(client):
    filters = {"q": "haute", "programme": "DEES", "mobility": "student_studies", "destination": "belgique"}
    make_partners(3)
    few_queries, _ = get_page(client, "/fr/partenaires/", **filters)
    make_partners(MANY - 3)
    queries, html = get_page(client, "/fr/partenaires/", **filters, page="2")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert len(card_names(html)) == PARTNERS_PER_PAGE


@pytest.mark.django_db
def test_the_pages_of_the_index_list_each_partner_once_in_reading_order(client):
    make_partners(MANY)
    names = every_page(client, "/fr/partenaires/", card_names, "Pages de la liste des partenaires")
    assert len(names) == MANY
    assert set(names) == set(Institution.objects.public_partners().values_list("name", flat=True))


@pytest.mark.django_db
def test_page_links_keep_the_search_and_mark_the_current_page(client):
    make_partners(MANY)
    _queries, html = get_page(client, "/fr/partenaires/", q="haute", page="2")
    nav = pagination(html, "Pages de la liste des partenaires")
    assert '<p class="pagination__status">Page 2 sur 6</p>' in nav
    # The first page has the list's own address; the others add their number, the search kept.
    assert '<a class="pagination__step" href="?q=haute#resultats" rel="prev">' in nav
    assert "Page précédente</a>" in nav
    assert '<a class="pagination__step" href="?q=haute&amp;page=3#resultats" rel="next">Page suivante' in nav
    current = re.findall(r'<a href="([^"]+)" aria-current="page">(.*?)</a>', nav)
    assert current == [("?q=haute&amp;page=2#resultats", '<span class="visually-hidden">Page </span>2')]
    assert nav.count('<span class="visually-hidden">Page </span>') == 6


@pytest.mark.django_db
def test_a_group_that_goes_on_from_the_previous_page_says_so(client):
    make_partners(MANY)
    _queries, first = get_page(client, "/fr/partenaires/")
    _queries, second = get_page(client, "/fr/partenaires/", page="2")
    assert "(suite)" not in first
    assert '<span class="destination-group__continued">(suite)</span>' in second


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "deux", "9999", "1" * 50])
def test_a_page_number_out_of_range_or_mistyped_still_answers_a_page(client, page):
    make_partners(PARTNERS_PER_PAGE + 1)
    _queries, html = get_page(client, "/fr/partenaires/", page=page)
    assert card_names(html)


@pytest.mark.django_db
def test_destination_page_keeps_its_queries_and_size_with_many_partners(client):
    make_partners(3)
    few_queries, few = get_page(client, "/fr/partenaires/destinations/belgique/")
    assert 'class="pagination"' not in few
    make_partners(MANY - 3)
    queries, html = get_page(client, "/fr/partenaires/destinations/belgique/", page="3")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert "300 établissements partenaires" in html.replace("\u202f", " ")
    assert len(card_names(html)) == PARTNERS_PER_PAGE
    nav = pagination(html, "Pages de la liste des établissements")
    assert 'href="?page=2#etablissements" rel="prev"' in nav
    names = every_page(
        client, "/fr/partenaires/destinations/belgique/", card_names, "Pages de la liste des établissements"
    )
    assert len(names) == len(set(names)) == MANY


def agreement_titles(html: str) -> list[str]:
    return re.findall(r'<h3 id="accord-\d+">([^<]+)</h3>', html)


@pytest.mark.django_db
def test_our_own_institution_page_pages_its_agreements(client):
    make_partners(3)  # our school is party to every agreement
    few_queries, few = get_page(client, OWN_PAGE)
    assert len(agreement_titles(few)) == 3
    assert 'class="pagination"' not in few
    make_partners(MANY - 3)
    queries, html = get_page(client, OWN_PAGE, page="2")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert len(agreement_titles(html)) == AGREEMENTS_PER_PAGE
    assert "300 accords en vigueur, par ordre alphabétique." in html.replace("\u202f", " ")
    assert pagination(html, "Pages de la liste des accords")
    titles = every_page(client, OWN_PAGE, agreement_titles, "Pages de la liste des accords")
    assert len(titles) == len(set(titles)) == Agreement.objects.count() == MANY


def member_names(html: str) -> list[str]:
    members = html.split('id="membres"')[1].split('class="pagination"')[0]
    return re.findall(r'<li><a href="/fr/partenaires/etablissements/[^"]+/">([^<]+)</a>', members)


@pytest.mark.django_db
def test_network_page_pages_its_members_and_its_agreements(client):
    network = Network.objects.create(name="Réseau Erasmus", slug="erasmus", summary="…")
    make_partners(3)
    bulk_members(network, Institution.objects.public_partners())
    Agreement.objects.update(network=network)
    few_queries, few = get_page(client, "/fr/partenaires/reseaux/erasmus/")
    assert 'class="pagination"' not in few
    make_partners(MANY - 3)
    bulk_members(network, Institution.objects.public_partners().exclude(memberships__network=network))
    Agreement.objects.update(network=network)
    queries, html = get_page(client, "/fr/partenaires/reseaux/erasmus/")
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert "Les 300 membres" in html
    assert len(member_names(html)) == MEMBERS_PER_PAGE
    members_nav = pagination(html, "Pages de la liste des membres")
    assert 'href="?page=2#membres" rel="next"' in members_nav
    agreements_nav = pagination(html, "Pages de la liste des accords")
    assert 'href="?agreements_page=2#accords" rel="next"' in agreements_nav
    # Each list turns its own pages and keeps the other's.
    queries, html = get_page(client, "/fr/partenaires/reseaux/erasmus/", page="3", agreements_page="2")
    assert queries == few_queries
    assert 'href="?page=3&amp;agreements_page=3#accords" rel="next"' in html
    names = every_page(
        client, "/fr/partenaires/reseaux/erasmus/", member_names, "Pages de la liste des membres"
    )
    assert len(names) == len(set(names)) == MANY


@pytest.mark.django_db
def test_a_list_of_one_page_shows_no_page_links(client, seeded):
    for path in [
        "/fr/partenaires/",
        "/fr/partenaires/destinations/quebec/",
        "/fr/partenaires/reseaux/france-quebec/",
        "/fr/partenaires/etablissements/irts-normandie-caen/",
        "/fr/mobilite/",
    ]:
        _queries, html = get_page(client, path)
        assert 'class="pagination"' not in html, path
