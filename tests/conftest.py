import pytest

# The S3 server of the storage tests (s3_server).
pytest_plugins = ["tests.s3"]


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    """Each test starts from the site's source language, whatever the previous test activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Every mail goes through the outbox, as in production: written in the transaction that
    causes it, delivered once it commits (backoffice/outbox.py). pytest-django puts Django's
    in-memory backend in its place; here that backend is the outbox's transport instead, so that
    `mailoutbox` holds what was delivered, and a test sees a mail once the commit has happened
    (`django_capture_on_commit_callbacks(execute=True)`)."""
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Rate-limit counters and other cached values never leak from one test into the next.

    Without Redis the cache is a database table: it is emptied as the test starts, once the test
    has its database (a test without one cannot reach it); the test's rollback, or the next
    test's start, empties it again."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    # The whole public pages and the form's fields: files, or Redis, never the database.
    caches["pages"].clear()
    if not isinstance(caches["default"], DatabaseCache):
        cache.clear()
        yield
        cache.clear()
        return
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        cache.clear()
    yield


@pytest.fixture
def private_files_removed(settings):
    """Files a test stored in the private storage are removed after it, even when its database
    changes are rolled back, so that tests counting stored files never see another test's."""
    from pathlib import Path

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = set(root.rglob("*")) if root.exists() else set()
    yield
    if root.exists():
        for path in sorted(set(root.rglob("*")) - before, reverse=True):
            path.unlink() if path.is_file() else path.rmdir()


@pytest.fixture
def ewp_schemas(settings):
    """The official EWP schemas, from beside the project as CI has them, for the IIA import."""
    from tests.partnerships.test_iia_hash import EWP

    if not (EWP / "iias-v7" / "get-response.xsd").exists():
        pytest.skip(f"the EWP schemas are not at {EWP}")
    settings.PORTAL_EWP_SCHEMAS = str(EWP)
