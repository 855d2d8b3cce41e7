"""A visitor reads "La mobilité en chiffres" from the mobility home, in French and in English,
on a phone and on a desktop: no axe-core violation, no horizontal scroll of the page, the
charts scaled to the screen and their small counts hatched, never exact."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CallDestinationFactory,
    CallFactory,
    InstitutionFactory,
    MobilityTermFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = {"fr": "La mobilité en chiffres", "en": "Mobility in figures"}
HEADING = LINK
SMALL = "< 5"


@pytest.fixture
def figures():
    """2025-2026: 3 students to Belgium (a small count), 12 staff from Germany, 1,500 places."""
    belgium = InstitutionFactory.create(country="BE")
    germany = InstitutionFactory.create(country="DE")
    outgoing = CallFactory.create(academic_year=2025, direction="outgoing")
    incoming = CallFactory.create(academic_year=2025, direction="incoming")
    ApplicationFactory.create_batch(
        3,
        call=outgoing,
        category="student",
        mobility_type="student_studies",
        first_choice=CallDestinationFactory.create(call=outgoing, institution=belgium),
    )
    ApplicationFactory.create_batch(
        12, call=incoming, first_choice=CallDestinationFactory.create(call=incoming, institution=germany)
    )
    agreement = AgreementFactory.create(first_academic_year=2024, last_academic_year=2029, partners=[belgium])
    MobilityTermFactory.create(agreement=agreement, places_per_year=1500)


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_visitor_reads_the_figures_on_any_screen(site, page, figures, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    site.open(f"/{language}/{'mobilite' if language == 'fr' else 'mobility'}/")
    page.get_by_role("main").get_by_role("link", name=LINK[language]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[language])
    assert_no_axe_violations(page)
    # The page itself never scrolls sideways; wide tables scroll in their own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Numbers in the page's language: 1 500 places in French, 1,500 in English.
    places = "1\u00a0500" if language == "fr" else "1,500"
    expect(page.get_by_role("cell", name=places).first).to_be_visible()
    # Three people are "< 5" in the table and in the chart that illustrates it, never 3.
    table = page.get_by_role(
        "table", name=("Mobilités 2025-2026 par type" if language == "fr" else "Mobilities 2025-2026 by type")
    )
    expect(table.get_by_role("cell", name=SMALL)).to_have_count(1)
    expect(table.get_by_role("cell", name="3", exact=True)).to_have_count(0)
    chart = page.get_by_role(
        "img", name=("Mobilités 2025-2026 par type" if language == "fr" else "Mobilities 2025-2026 by type")
    )
    expect(chart).to_be_visible()
    assert SMALL in chart.text_content()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] <= width
