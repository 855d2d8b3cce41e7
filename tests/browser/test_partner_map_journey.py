"""The partners' map in a real browser: markers reached by name, by keyboard and by mouse, at
phone and desktop widths, in French and English, with no axe-core violation."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_site(site):
    call_command("load_seed", stdout=io.StringIO())
    return site


@pytest.mark.parametrize(
    ("path", "laval", "heading", "width"),
    [
        ("/fr/partenaires/", "Université Laval, Québec", "Les partenaires sur la carte", 320),
        ("/fr/partenaires/", "Université Laval, Québec", "Les partenaires sur la carte", 1280),
        ("/en/partners/", "Université Laval, Quebec City", "Our partners on the map", 320),
        ("/en/partners/", "Université Laval, Quebec City", "Our partners on the map", 1280),
        ("/fr/", "Université Laval, Québec", "Les partenaires sur la carte", 320),
        ("/en/", "Université Laval, Quebec City", "Our partners on the map", 1280),
    ],
)
def test_a_marker_is_a_named_link_that_leads_to_its_institution(
    seeded_site, page, path, laval, heading, width
):
    page.set_viewport_size({"width": width, "height": 900})
    seeded_site.open(path)
    section = page.get_by_role("region", name=heading)
    expect(section).to_be_visible()
    maps = section.get_by_role("group")
    expect(maps).to_have_count(2)
    # Both views fit the width: no horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for drawing in maps.all():
        box = drawing.bounding_box()
        assert box is not None
        assert box["width"] <= width
    # Europe: 9 institutions, and on the partners page the 5 destinations' names; Québec: 7 and 1.
    compact = path in ("/fr/", "/en/")
    expect(maps.nth(0).get_by_role("link")).to_have_count(9 if compact else 14)
    expect(maps.nth(1).get_by_role("link")).to_have_count(7 if compact else 8)
    assert_no_axe_violations(page)
    marker = maps.nth(1).get_by_role("link", name=laval)
    marker.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Université Laval")


def test_markers_take_the_keyboard_focus_visibly(seeded_site, page):
    seeded_site.open("/fr/partenaires/")
    marker = page.get_by_role("link", name="Université de Parme, Parme")
    marker.focus()
    expect(marker).to_be_focused()
    # The focused marker is outlined in the focus colour, as every other link is.
    outline = marker.evaluate("a => getComputedStyle(a).outlineStyle")
    stroke = marker.locator("circle").evaluate("c => getComputedStyle(c).strokeWidth")
    assert (outline, stroke) == ("solid", "4px")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Université de Parme")
