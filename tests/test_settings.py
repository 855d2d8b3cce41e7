"""The settings module read in fresh processes, as a deployment would start it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_django(args: list[str], **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    }
    env.update({"DJANGO_ENV_FILE": "", "DJANGO_SETTINGS_MODULE": "irts_portal.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def print_setting(expression: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run_django(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def test_check_deploy_is_clean_with_the_production_environment():
    result = run_django(["manage.py", "check", "--deploy"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_when_debug_is_off():
    result = run_django(["manage.py", "check"], DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    assert print_setting("settings.DEBUG", DJANGO_SECRET_KEY="k" * 50) == "False"


def test_production_defaults_are_secure():
    values = print_setting(
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS",
        **PRODUCTION,
    )
    assert values == "True True True 31536000"


def test_private_uploads_may_not_live_inside_the_public_media(tmp_path):
    result = run_django(
        ["manage.py", "check"],
        **PRODUCTION,
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp_path / "media" / "private"),
    )
    assert result.returncode != 0
    assert "must not be inside a public folder" in result.stderr


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        # A table of the database, shared by every worker of the machine.
        ("", "irts_portal.cache.AtomicDatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_is_the_database_unless_redis_is_configured(redis_url, backend):
    assert (
        print_setting("settings.CACHES['default']['BACKEND']", **PRODUCTION, REDIS_URL=redis_url) == backend
    )


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        ("", "django.core.mail.backends.console.EmailBackend"),
        ("smtp://mailer:secret@mail.example.org:587", "django.core.mail.backends.smtp.EmailBackend"),
        ("filemail:///tmp/irts-mail", "django.core.mail.backends.filebased.EmailBackend"),
    ],
)
def test_mail_goes_through_the_outbox_whose_transport_follows_email_url(email_url, backend):
    env = {**PRODUCTION, "EMAIL_URL": email_url} if email_url else PRODUCTION
    assert print_setting("settings.EMAIL_BACKEND", **env) == "post_office.EmailBackend"
    assert print_setting("settings.POST_OFFICE['BACKENDS']['default']", **env) == backend


def test_database_url_selects_postgresql():
    engine = print_setting(
        "settings.DATABASES['default']['ENGINE']",
        **PRODUCTION,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/irts_portal",
    )
    assert engine == "django.db.backends.postgresql"


def test_local_time_zone_and_languages():
    values = print_setting(
        "settings.TIME_ZONE, settings.LANGUAGE_CODE, [c for c, _ in settings.LANGUAGES]", **PRODUCTION
    )
    assert values == "Europe/Paris fr ['fr', 'en']"
