"""The public page "La mobilité en chiffres": in both languages, its numbers localised, no
count of 1 to 4 people anywhere in it (tables, charts' text, totals), fresh at every request,
and the same queries whatever the number of applications."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from mobility.models import ApplicationChoice
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CallDestinationFactory,
    CallFactory,
    InstitutionFactory,
    MobilityTermFactory,
)

pytestmark = pytest.mark.django_db

FIGURES_FR = "/fr/mobilite/chiffres/"
FIGURES_EN = "/en/mobility/figures/"


class CellTexts(HTMLParser):
    """The text of every table cell and every SVG text of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th", "text", "title", "desc"):
            self.texts.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th", "text", "title", "desc"):
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def html(response) -> str:
    return response.content.decode()


def cell_texts(markup: str) -> list[str]:
    parser = CellTexts()
    parser.feed(markup)
    return [text.strip() for text in parser.texts]


def mobilities(call, destination, count, **fields):
    ApplicationFactory.create_batch(count, call=call, first_choice=destination, **fields)


@pytest.fixture
def small_year():
    """2025-2026: four students to Belgium, four staff from Italy, 1,234 places offered."""
    belgium = InstitutionFactory.create(country="BE")
    italy = InstitutionFactory.create(country="IT")
    outgoing = CallFactory.create(academic_year=2025, direction="outgoing")
    incoming = CallFactory.create(academic_year=2025, direction="incoming")
    mobilities(
        outgoing,
        CallDestinationFactory.create(call=outgoing, institution=belgium),
        4,
        category="student",
        mobility_type="student_studies",
    )
    mobilities(incoming, CallDestinationFactory.create(call=incoming, institution=italy), 4)
    agreement = AgreementFactory.create(first_academic_year=2024, last_academic_year=2029, partners=[belgium])
    MobilityTermFactory.create(agreement=agreement, places_per_year=1234)


def test_the_page_is_reached_from_the_mobility_home_and_the_footer(client):
    page = client.get(reverse("mobility:index")).content.decode()

    assert page.count(f'href="{FIGURES_FR}"') == 2


def test_small_counts_and_the_totals_that_would_reveal_them_never_show(client, small_year):
    response = client.get(FIGURES_FR)

    assert response.status_code == 200
    texts = cell_texts(response.content.decode())
    # 4 and 4 make 8: with the total shown, each would be 4. Neither 4 nor 8 appears in a
    # table or a chart; the places (not people) are shown exactly.
    assert not {"4", "8"} & set(texts)
    assert "< 5" in texts
    assert "masqué" in texts
    assert "1\xa0234" in texts
    # Nor in the charts' accessible text, nor in a bar's length: no bar is drawn for "masqué".
    assert "chart__bar-small" in html(response)


def test_a_small_bar_is_hatched_at_the_length_of_five_whatever_the_count(client):
    call = CallFactory.create(academic_year=2025)
    belgium = CallDestinationFactory.create(call=call, institution=InstitutionFactory.create(country="BE"))
    italy = CallDestinationFactory.create(call=call, institution=InstitutionFactory.create(country="IT"))
    mobilities(call, belgium, 1)
    mobilities(call, italy, 10)
    page = client.get(FIGURES_FR).content.decode()
    with_one = re.findall(r'<rect class="chart__bar-small"[^>]*width="(\d+)"', page)
    # Three people's first choice moves to Belgium: 4 there, the same total of 11.
    for choice in ApplicationChoice.objects.filter(destination=italy)[:3]:
        choice.destination = belgium
        choice.save()

    with_four = re.findall(
        r'<rect class="chart__bar-small"[^>]*width="(\d+)"', client.get(FIGURES_FR).content.decode()
    )

    assert with_one
    assert with_one == with_four
    assert 'fill="url(#chart-2025-destinations-hatch)"' in page


def test_a_year_of_fewer_than_five_mobilities_is_not_broken_down(client):
    """Four people, one to each of four countries: four "< 5" cells adding up to "< 5" would
    each be 1. The year shows its total as "< 5" and no breakdown."""
    call = CallFactory.create(academic_year=2025)
    for country in ("BE", "IT", "DE", "PT"):
        institution = InstitutionFactory.create(country=country)
        mobilities(call, CallDestinationFactory.create(call=call, institution=institution), 1)

    page = client.get(FIGURES_FR).content.decode()
    texts = cell_texts(page)

    assert "Moins de 5 mobilités cette année" in page
    assert "Par pays" not in page
    assert not {"1", "4"} & set(texts)
    assert "< 5" in texts  # the year's line of the overview


def test_five_people_are_shown_exactly(client):
    call = CallFactory.create(academic_year=2025)
    mobilities(
        call, CallDestinationFactory.create(call=call, institution=InstitutionFactory.create(country="BE")), 5
    )

    texts = cell_texts(client.get(FIGURES_FR).content.decode())

    assert "5" in texts
    assert "< 5" not in texts


def test_in_english_labels_are_translated_and_numbers_grouped_the_english_way(client, small_year):
    response = client.get(FIGURES_EN)

    assert response.status_code == 200
    texts = cell_texts(response.content.decode())
    assert "1,234" in texts
    assert "hidden" in texts
    assert "Belgium" in texts
    assert "Outgoing" in texts
    assert "Mobility in figures" in response.content.decode()


def test_a_new_mobility_shows_at_once(client):
    call = CallFactory.create(academic_year=2025)
    destination = CallDestinationFactory.create(
        call=call, institution=InstitutionFactory.create(country="BE")
    )
    mobilities(call, destination, 5)
    first = client.get(FIGURES_FR)
    ApplicationFactory.create(call=call, first_choice=destination)

    second = client.get(FIGURES_FR)

    # Left out of the whole-page cache: an application's decision bumps no content version.
    assert "X-Page-Cache" not in second
    assert "5" in cell_texts(first.content.decode())
    assert "6" in cell_texts(second.content.decode())
    assert "5" not in cell_texts(second.content.decode())


def fill(count: int) -> None:
    """`count` mobilities over two years, three countries, both directions, every type."""
    calls = [
        CallFactory.create(academic_year=year, direction=direction)
        for year in (2024, 2025)
        for direction in ("outgoing", "incoming")
    ]
    institutions = [InstitutionFactory.create(country=code) for code in ("BE", "IT", "CA")]
    destinations = [
        CallDestinationFactory.create(call=call, institution=institution)
        for call in calls
        for institution in institutions
    ]
    kinds = [
        {"category": "student", "mobility_type": "student_studies"},
        {"category": "student", "mobility_type": "student_traineeship"},
        {"category": "trainer", "mobility_type": "staff_training"},
    ]
    for index in range(count):
        destination = destinations[index % len(destinations)]
        ApplicationFactory.create(
            call=destination.call, first_choice=destination, **kinds[index % len(kinds)]
        )
    for institution in institutions:
        MobilityTermFactory.create(
            agreement=AgreementFactory.create(partners=[institution]), places_per_year=6
        )


# Grouped mobilities, signed agreements' periods, their places, their partners' countries.
PAGE_QUERIES = 4


@pytest.mark.parametrize("count", [3, 60])
def test_the_page_costs_the_same_queries_whatever_the_number_of_applications(
    client, django_assert_num_queries, count
):
    fill(count)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(FIGURES_FR)

    assert response.status_code == 200


def test_the_page_says_which_applications_count(client):
    with translation.override("fr"):
        page = client.get(FIGURES_FR).content.decode()

    assert "Une mobilité est une candidature acceptée" in page
