"""/healthz tells the truth, part by part, and a down cache never turns a post into a 500."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from contact.models import ContactMessage
from mobility.models import Application
from tests.mobility.helpers import open_call_with_destinations

pytestmark = pytest.mark.django_db

ALL_OK = {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}
UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_a_working_site_is_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_database_that_does_not_answer_is_named(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr("irts_portal.health.connection.cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    # Without Redis the cache is a table of that same database, and is named too.
    cache_state = "unavailable" if isinstance(caches["default"], DatabaseCache) else "ok"
    assert response.json() == {**ALL_OK, "status": "error", "database": "unavailable", "cache": cache_state}


def test_a_database_behind_the_code_is_unmigrated(client):
    app, name = max(MigrationLoader(None).graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "database": "unmigrated"}


def test_an_empty_database_is_unmigrated(client):
    # What a missing SQLite file becomes: SQLite creates it, empty, at the first query.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_migrations RENAME TO django_migrations_away")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unmigrated"


def test_an_unreachable_cache_is_named_and_a_post_gets_a_503_page(client, settings, caplog):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "cache": "unavailable"}
    # One line a probe, without a traceback: a monitor probes every few seconds.
    assert all(record.exc_info is None for record in caplog.records)

    post = client.post(
        "/fr/contact/",
        {
            "name": "Léa Dupont",
            "email": "lea@example.org",
            "subject": "Stage",
            "message": "Bonjour",
            "website": "",
        },
    )
    assert post.status_code == 503
    html = post.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in html
    assert "Content-Security-Policy" in post.headers
    assert ContactMessage.objects.count() == 0


def test_with_redis_down_pages_and_the_application_form_are_rendered_and_logged_once(
    client, settings, caplog
):
    """REDIS_URL keeps both caches in Redis: with it down, a page is rendered for each visitor
    (one warning line, no traceback), and only the post that needs the rate limit gets a 503."""
    unreachable = UNREACHABLE_REDIS["default"]
    settings.CACHES = {"default": unreachable, "pages": {**unreachable, "KEY_PREFIX": "irts-pages"}}
    # Saved all the same, as a staff member's edit: only the pages' version is not bumped.
    call, _destinations = open_call_with_destinations()
    assert "the content version is not bumped" in caplog.text

    for url in ("/fr/", "/en/", call.get_absolute_url(), reverse("mobility:apply", args=[call.url_slug])):
        caplog.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        [line] = [record.getMessage() for record in caplog.records if record.levelname != "INFO"]
        assert line.startswith("Page cache unavailable (ConnectionError"), url
        assert all(record.exc_info is None for record in caplog.records), url
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()

    post = client.post(reverse("mobility:apply", args=[call.url_slug]), {"given_names": "Léa"})
    assert post.status_code == 503
    assert Application.objects.count() == 0


def test_a_private_storage_that_cannot_store_is_named(client, settings, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": not_a_folder, "base_url": None}},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "status": "error", "storage": "unavailable"}


def test_a_database_that_fails_under_a_page_gives_our_503_page_and_one_log_line(client, monkeypatch, caplog):
    # What a missing SQLite file gives: SQLite recreates it empty, and every query fails.
    def missing_table():
        raise OperationalError("no such table: partnerships_network")

    monkeypatch.setattr("partnerships.selectors.overview", missing_table)
    response = client.get("/fr/")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    html = response.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in html
    assert "Réessayez dans quelques minutes." in html
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == [
        "GET /fr/: the database does not answer (no such table: partnerships_network)"
    ]


@pytest.mark.django_db(transaction=True)
def test_checks_running_at_once_do_not_read_each_others_probe(live_server):
    """Under load, concurrent checks once overwrote one shared key and answered 503."""
    import concurrent.futures
    import urllib.error
    import urllib.request

    def status() -> int:
        try:
            with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: status(), range(40)))
    assert statuses == [200] * 40
