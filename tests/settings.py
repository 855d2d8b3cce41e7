"""Test configuration: the real settings, plus what makes tests fast and isolated."""

import os
import tempfile
from pathlib import Path

# Ignore any developer's .env, so the suite sees the same environment everywhere.
os.environ["DJANGO_ENV_FILE"] = ""
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "x" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Canonical and alternate addresses name the test client's host, as they name the site's in production.
os.environ.setdefault("PORTAL_BASE_URL", "http://testserver")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from irts_portal.settings import *  # noqa: F403
from irts_portal.settings import PORTAL_STORAGE, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploads and collected files go to a throw-away folder per test run.
_TMP = Path(tempfile.mkdtemp(prefix="irts-tests-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STATIC_ROOT = _TMP / "static"
if CACHES["pages"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    CACHES["pages"]["LOCATION"] = str(_TMP / "pages")  # noqa: F405
STATIC_ROOT.mkdir()
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if PORTAL_STORAGE == "local":  # a bucket (PORTAL_STORAGE=s3, tests/deploy) stays as configured
    _PRIVATE_STORAGE = STORAGES["private"]
    assert isinstance(_PRIVATE_STORAGE, dict)
    STORAGES["private"] = {**_PRIVATE_STORAGE, "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: concurrent writers from the live
    # server's threads then wait for each other (as in production) instead of failing.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}  # noqa: F405

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
