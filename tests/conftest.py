import pytest


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    """Each test starts from the site's source language, whatever the previous test activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
