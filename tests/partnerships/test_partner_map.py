"""The partners' map: a marker for every public institution that has a position, the same links
listed after it, its size, and the geometry that places the markers."""

import gzip
import math
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import html

from partnerships.maps.frames import EUROPE, QUEBEC
from partnerships.maps.geometry import clip_ring, path_data, simplify
from partnerships.maps.markers import MARKER_SPACING, Marker, label_position, spread
from partnerships.models import Institution
from tests.factories import DestinationFactory, InstitutionFactory
from tests.partnerships.test_pages import forget_cached_pages

SVG_LINKS = "//svg[contains(@class, 'partner-map__drawing')]//a[contains(@class, 'map-marker')]"
LIST_LINKS = "//ul[contains(@class, 'map-links')]/li[not(contains(@class, 'destination'))]//a"
# The most one view may weigh once compressed, as sent by the server.
MAX_VIEW_BYTES = 25_000


def marker_links(page) -> list[str]:
    return [link.get("href") for link in page.xpath(SVG_LINKS)]


def parsed(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


@pytest.mark.parametrize(("path", "language"), [("/fr/partenaires/", "fr"), ("/en/partners/", "en")])
def test_every_public_partner_with_a_city_has_a_marker_and_a_listed_link(client, seeded, path, language):
    page = parsed(client.get(path))
    # Every seeded institution with a city or territory, our own included (IRTS Rhône-Alpes has none).
    with_city = Institution.objects.filter(is_public=True).exclude(city_fr="")
    assert with_city.count() == 16
    with translation.override(language):
        expected = {institution.get_absolute_url() for institution in with_city}
    markers = marker_links(page)
    assert len(markers) == 16
    assert set(markers) == expected
    # The list after the maps holds the same links, so that the map is never the only way.
    assert sorted(link.get("href") for link in page.xpath(LIST_LINKS)) == sorted(markers)


def test_markers_have_accessible_names_and_regions_link_to_destinations(client, seeded):
    page = parsed(client.get("/fr/partenaires/"))
    names = {
        link.get("href"): link.findtext("{*}title") or link.findtext("title")
        for link in page.xpath(SVG_LINKS)
    }
    laval = Institution.objects.get(slug="universite-laval")
    assert names[laval.get_absolute_url()] == "Université Laval, Québec"
    region_links = {
        link.get("href"): link.text_content()
        for link in page.xpath("//a[contains(@class, 'map-region-link')]")
    }
    assert region_links == {
        "/fr/partenaires/destinations/france/": "France",
        "/fr/partenaires/destinations/belgique/": "Belgique",
        "/fr/partenaires/destinations/portugal/": "Portugal",
        "/fr/partenaires/destinations/allemagne/": "Allemagne",
        "/fr/partenaires/destinations/italie/": "Italie",
        "/fr/partenaires/destinations/quebec/": "Québec",
    }
    # Portugal has a destination but no named partner yet: the map still leads to it.
    assert page.xpath(
        "//ul[contains(@class, 'map-links')]//a[@href='/fr/partenaires/destinations/portugal/']"
    )


def test_the_home_page_shows_the_map_small_with_its_links(client, seeded):
    page = parsed(client.get("/en/"))
    markers = marker_links(page)
    assert len(markers) == 16
    assert sorted(link.get("href") for link in page.xpath(LIST_LINKS)) == sorted(markers)
    assert page.xpath("//section[contains(@class, 'partner-maps--compact')]")


def test_each_view_weighs_under_25_kb_compressed(client, seeded):
    body = client.get("/fr/partenaires/").content.decode()
    views = re.findall(r"<svg class=\"partner-map__drawing\".*?</svg>", body, flags=re.DOTALL)
    assert len(views) == 2
    for view in views:
        assert len(gzip.compress(view.encode(), compresslevel=6)) <= MAX_VIEW_BYTES
    assert "style=" not in "".join(views)  # the CSP allows no style attribute


def test_a_hidden_partner_or_one_without_a_position_gets_no_marker(client, db):
    DestinationFactory.create(name="Belgique", slug="belgique", country="BE")
    shown = InstitutionFactory.create(
        name="Haute école de Liège", latitude=Decimal("50.6326"), longitude=Decimal("5.5797")
    )
    InstitutionFactory.create(
        name="Haute école cachée", is_public=False, latitude=Decimal("50.85"), longitude=Decimal("4.35")
    )
    InstitutionFactory.create(name="Haute école sans position")
    # Far outside both views (Tokyo): listed nowhere on the map rather than drawn off it.
    InstitutionFactory.create(
        name="Université de Tokyo", country="JP", latitude=Decimal("35.71"), longitude=Decimal("139.76")
    )
    page = parsed(client.get("/fr/partenaires/"))
    assert marker_links(page) == [shown.get_absolute_url()]


def test_a_search_shows_its_results_without_the_map(client, seeded):
    page = parsed(client.get("/fr/partenaires/", {"q": "laval"}))
    assert not page.xpath(SVG_LINKS)


@pytest.mark.django_db
def test_the_map_adds_queries_that_do_not_grow_with_partners(client, django_assert_num_queries):
    def make(count: int, start: int) -> None:
        Institution.objects.bulk_create(
            Institution(
                name=f"Partenaire {n}",
                slug=f"partenaire-{n}",
                kind="university",
                country="BE",
                city="Namur",
                latitude=Decimal("50.4674"),
                longitude=Decimal("4.8720"),
                search_text=f"partenaire {n}",
            )
            for n in range(start, start + count)
        )

    make(2, 0)
    forget_cached_pages()
    with CaptureQueriesContext(connection) as few:
        client.get("/fr/")
    make(60, 2)
    forget_cached_pages()
    with django_assert_num_queries(len(few)):
        response = client.get("/fr/")
    assert len(marker_links(parsed(response))) == 62


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (Decimal("49.18"), None),
        (None, Decimal("-0.37")),
        (Decimal("91"), Decimal("0")),
        (Decimal("0"), Decimal("-181")),
    ],
)
def test_the_database_refuses_half_a_position_or_one_off_the_earth(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionFactory.create(latitude=latitude, longitude=longitude)


# The geometry, without the database.


def test_a_frame_projects_its_centre_on_its_origin_and_keeps_north_up():
    main = EUROPE.frames[0]
    assert main.project(*main.centre) == pytest.approx(main.origin)
    caen, nancy, parma = main.project(-0.37, 49.18), main.project(6.18, 48.69), main.project(10.33, 44.80)
    assert caen[0] < nancy[0] < parma[0]  # west to east, left to right
    assert parma[1] > caen[1]  # south is lower


def test_places_fall_in_the_right_view_and_frame():
    saint_benoit = EUROPE.place(55.71, -21.03)
    assert saint_benoit is not None
    assert EUROPE.frames[1].contains(saint_benoit)  # in La Réunion's inset
    assert EUROPE.place(-71.27, 46.78) is None  # Québec is not in the Europe view
    assert QUEBEC.place(-71.27, 46.78) is not None
    assert QUEBEC.place(-0.37, 49.18) is None


def test_clipping_keeps_the_part_of_a_ring_inside_the_box():
    square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)]
    assert sorted(clip_ring(square, (0, 0, 100, 100))) == [(0, 0), (0, 10), (10, 0), (10, 10)]
    assert clip_ring(square, (50, 50, 10, 10)) == []


def test_simplification_drops_points_within_the_tolerance_only():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert simplify(line, 0.5) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]


def test_path_data_is_relative_and_closed():
    assert path_data([[(1, 2), (4, 2), (4, -1)]]) == "M1 2l3 0l0-3z"


def test_markers_in_the_same_town_are_spread_apart_and_others_stay_in_place():
    a, b, c, far = (Institution(name=name) for name in "abcd")
    markers = spread([(a, (100.0, 100.0)), (b, (101.0, 100.0)), (c, (100.0, 101.0)), (far, (300.0, 300.0))])
    by_name = {marker.institution.name: marker for marker in markers}
    assert (by_name["d"].x, by_name["d"].y) == (300.0, 300.0)
    grouped = [by_name[name] for name in "abc"]
    for first in grouped:
        for second in grouped:
            if first is not second:
                assert math.dist((first.x, first.y), (second.x, second.y)) >= MARKER_SPACING - 0.2


def test_a_region_name_moves_off_the_markers_it_would_hide():
    on_anchor = [Marker(Institution(name="x"), 100.0, 95.0)]
    assert label_position([100, 100], "Belgique", on_anchor) != (100, 100)
    assert label_position([100, 100], "Belgique", []) == (100, 100)
