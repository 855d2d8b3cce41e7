import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.pages import seed_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_link_is_first_and_moves_focus_to_main(site, page):
    site.open("/fr/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link is off-screen"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#contenu")


def test_home_page_has_no_accessibility_violations(site, page):
    site.open("/fr/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenariats internationaux et mobilités")
    assert_no_axe_violations(page)


def test_not_found_page_has_no_accessibility_violations(site, page):
    response = site.open("/fr/cette-page-n-existe-pas/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert_no_axe_violations(page)


def test_language_switcher_shows_the_english_page(site, page):
    site.open("/fr/a-propos/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About")
    assert page.url.endswith("/en/about/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(page)


def test_pages_load_no_resource_from_another_origin(site, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ["/fr/", "/fr/a-propos/", "/fr/partenaires/", "/fr/mobilite/"]:
        site.open(path)
    assert requested
    assert all(url.startswith(site.url) for url in requested), requested


@pytest.mark.parametrize(("width", "height"), [(320, 640), (390, 844)])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_page_title_and_its_two_actions_fit_a_phone_s_first_screen(site, page, width, height, language):
    seed_content()
    page.set_viewport_size({"width": width, "height": height})
    site.open(f"/{language}/")
    heading = page.get_by_role("heading", level=1)
    actions = page.locator(".hero__actions a")
    expect(actions).to_have_count(2)
    hrefs = [actions.nth(index).get_attribute("href") for index in range(2)]
    assert hrefs == (
        ["/fr/partenaires/", "/fr/mobilite/"] if language == "fr" else ["/en/partners/", "/en/mobility/"]
    )
    for element in [heading, actions.nth(0), actions.nth(1)]:
        box = element.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= height, f"{element} ends below the first screen"
