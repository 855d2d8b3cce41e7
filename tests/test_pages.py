import re

import pytest
from django.test import Client
from django.urls import reverse

TAGLINE = (
    "La formation aux métiers de l’intervention sociale — "
    "14 diplômes d’État et 8 qualifications professionnelles"
)


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


@pytest.mark.django_db
def test_root_redirects_to_the_french_home(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_home_shows_the_school_tagline_in_french(client):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert TAGLINE in response.content.decode()
    assert reverse("partnerships:index") in response.content.decode()
    assert reverse("mobility:index") in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("browser_language", ["fr-FR", "en-US"])
def test_language_switcher_moves_the_page_to_english_and_lang_follows(client, browser_language):
    # The switcher must work whatever language the browser prefers: a link to the page's own
    # English address, which sets no cookie.
    response = client.get("/fr/a-propos/", HTTP_ACCEPT_LANGUAGE=browser_language)
    assert not response.cookies
    link = re.search(
        r'<a class="language-switcher" href="([^"]+)" hreflang="en" lang="en">', response.content.decode()
    )
    assert link, "no language switcher on the page"
    assert link.group(1) == "/en/about/"
    english = client.get(link.group(1), HTTP_ACCEPT_LANGUAGE=browser_language)
    assert english.status_code == 200
    assert html_lang(english) == "en"
    assert "<h1>About</h1>" in english.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("about", "À propos"),
        ("contact", "Contact"),
        ("legal_notice", "Mentions légales"),
        ("privacy", "Protection des données personnelles"),
        ("partnerships:index", "Nos partenaires"),
        ("mobility:index", "Mobilité internationale"),
    ],
)
def test_information_pages_have_one_h1_breadcrumbs_title_and_canonical(client, url_name, heading):
    url = reverse(url_name)
    html = client.get(url).content.decode()
    assert html.count("<h1") == 1
    assert f"<h1>{heading}</h1>" in html
    assert 'aria-label="Fil d’Ariane"' in html
    assert re.search(r"<title>[^<]+ — IRTS Normandie-Caen</title>", html)
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert '<meta name="description" content="' in html


@pytest.mark.django_db
def test_privacy_page_states_the_retention_period(client, settings):
    settings.PORTAL_RETENTION_MONTHS = 18
    html = client.get(reverse("privacy")).content.decode()
    assert "supprimées 18 mois après la décision finale" in html
    assert "CNIL" in html


@pytest.mark.django_db
def test_unknown_page_gets_the_designed_404(client):
    response = client.get("/fr/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert 'href="/fr/"' in html
    assert html_lang(response) == "fr"


@pytest.mark.django_db
def test_server_error_page_is_designed_and_reads_no_database(django_assert_num_queries, rf):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/fr/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Erreur du serveur</h1>" in html
    assert '<a class="skip-link" href="#contenu">' in html


@pytest.mark.django_db
def test_stale_form_token_gets_the_designed_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/"})
    assert response.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in response.content.decode()


@pytest.mark.django_db
def test_rate_limit_page_is_friendly_and_says_when_to_retry(rf):
    from mobility.ratelimit import too_many_requests

    request = rf.get("/fr/")
    request.user = None
    response = too_many_requests(request)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "<h1>Trop de demandes</h1>" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_on_a_page(client):
    response = client.get("/fr/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_style(client):
    for url in ["/fr/", "/fr/a-propos/", "/fr/cette-page-n-existe-pas/"]:
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "style=" not in html, url
        assert "<style" not in html, url


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_the_admin(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Disallow: /{settings.ADMIN_URL_PATH}" in response.content.decode()


@pytest.mark.django_db
def test_admin_lives_under_its_own_prefix(client, settings):
    response = client.get(f"/{settings.ADMIN_URL_PATH}")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/{settings.ADMIN_URL_PATH}login/")


@pytest.mark.django_db
def test_sitemap_lists_the_information_pages_in_both_languages(client):
    response = client.get("/sitemap-pages.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for path in ["/fr/", "/en/", "/fr/a-propos/", "/en/about/", "/fr/donnees-personnelles/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    icon.close()
