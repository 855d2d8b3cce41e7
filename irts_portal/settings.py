"""Settings of the IRTS Normandie-Caen partnership and mobility portal.

Every deployment-specific value comes from the environment (documented in
`.env.example`). The defaults are safe: DEBUG is off, cookies are secure and
HTTPS is enforced unless a variable says otherwise, so a forgotten setting
errs on the side of protection rather than exposure.
"""

import datetime
import ipaddress
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# A local `.env` file (git-ignored) is read when present; real environment
# variables win over it. DJANGO_ENV_FILE="" disables the file entirely, which
# the tests use to run with a clean environment.
_env_file = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development only."
        )
    # Development only: a fixed, obviously insecure key so sessions survive reloads.
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, as it asks: content fields in French and English (see each app's translation.py).
    "modeltranslation",
    "backoffice.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "csp",
    "simple_history",
    "axes",
    # The project package is an app only for its site-wide template tags; it holds no models.
    "irts_portal",
    # The layers, each importing only from those listed before it (see pyproject.toml's
    # import-linter contracts): the partner catalogue, the networks' activities, the mobility
    # workflow, the staff back office.
    "partnerships",
    "activities",
    "mobility",
    # The contact form's messages, between the mobility workflow and the back office that lists them.
    "contact",
    "backoffice",
    # The mail outbox's tables (backoffice/outbox.py). After the back office, whose
    # send_queued_mail replaces the library's command of that name.
    "post_office",
    # Last, as it asks: removes a stored file once its row is deleted or its file replaced.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The security headers first, so that even a request refused by a later middleware (a
    # forged Host, an undecodable body) is answered with them.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "irts_portal.middleware.PermissionsPolicyMiddleware",
    # Before anything reads a body (the CSRF check reads request.POST), after the security headers,
    # which its 413 page then carries too.
    "irts_portal.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Once the language is known, around the French spacing, so that a stored page is typeset.
    "irts_portal.page_cache.PublicPageCacheMiddleware",
    # After the language is known: French pages get French spacing before « : ; ! ? ».
    "irts_portal.middleware.FrenchTypographyMiddleware",
    # The back office stays French, whatever language the browser prefers.
    "irts_portal.middleware.FrenchAdminMiddleware",
    # A down cache or database answers 503 with a page of ours, after the language is known.
    "irts_portal.middleware.ServiceUnavailableMiddleware",
    "irts_portal.middleware.UndecodableBodyMiddleware",
    "irts_portal.middleware.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the audit history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "irts_portal.urls"
WSGI_APPLICATION = "irts_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "irts_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database and cache -----------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Connections kept a minute and checked before reuse: opening one per request made /healthz five
# times slower. Each gunicorn thread holds its own (gunicorn.conf.py: workers × threads in all).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file: writers queue (IMMEDIATE, timeout)
    # instead of failing with "database is locked", and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Shared between gunicorn workers and instances: rate limits and sessions
    # hold across processes only with a shared cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "irts",
        }
    }
else:
    # Without Redis, a table of the database (made by `manage.py createcachetable`, which
    # `make run` runs): shared by every worker, so that an hourly limit is one limit, not one per
    # worker as with a cache in each process's memory.
    CACHES = {
        "default": {
            "BACKEND": "irts_portal.cache.AtomicDatabaseCache",
            "LOCATION": "portal_cache",
            # Room for every client's counters: past the limit Django drops a third of the rows.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Whole public pages and the empty application form (irts_portal.page_cache): in Redis when there is
# one, else in files of the machine, shared by its workers without a database query.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "irts-pages"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.path("PORTAL_PAGE_CACHE_DIR", default=VAR_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
)

# --- E-mail -------------------------------------------------------------------
# consolemail:// (default), smtp://user:pass@host:587 (add ?tls=True), or
# filemail:////absolute/folder to write each message to a file (four slashes: with three,
# django-environ reads the path as relative to the working directory).
# The parsed URL sets EMAIL_HOST, EMAIL_FILE_PATH... as module settings, and names the transport.
_mail_transport = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(_mail_transport)
# Every mail goes through the outbox (backoffice/outbox.py): written to the database in the
# transaction that causes it, delivered through the transport once it commits, retried if need be.
EMAIL_BACKEND = "post_office.EmailBackend"
POST_OFFICE = {
    "BACKENDS": {"default": _mail_transport["EMAIL_BACKEND"]},
    # Queued, never sent inside the transaction: backoffice.outbox delivers after the commit.
    "DEFAULT_PRIORITY": "medium",
    # A row per attempt, failed or not: the admin shows each mail's history.
    "LOG_LEVEL": 2,
    "MESSAGE_ID_ENABLED": True,
    "CELERY_ENABLED": False,
}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="IRTS Normandie-Caen <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication -------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt from a locked-out user or address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff login protection: after this many failures the account is locked for a while.
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
PORTAL_LOGIN_LOCKOUT_MINUTES = env.int("PORTAL_LOGIN_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = PORTAL_LOGIN_LOCKOUT_MINUTES / 60  # in hours
# Lock the pair (account, address): a stranger cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mobility.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Sessions end after this many seconds without activity (each request renews them).
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
ADMIN_URL_PATH = env.str("DJANGO_ADMIN_PATH", default="gestion/").strip("/") + "/"
LOGIN_URL = "admin:login"

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in both languages: French is required and is what an English page shows, marked
# lang="fr", where no English text has been written yet.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_REQUIRED_LANGUAGES = ("fr",)
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Applicants' documents: never under MEDIA_ROOT or STATIC_ROOT, never served by
# a public URL; only a staff view that checks permissions reads them.
PRIVATE_MEDIA_ROOT = Path(env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
for _public_root in (MEDIA_ROOT, STATIC_ROOT):
    if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(_public_root.resolve()):
        raise ImproperlyConfigured(
            f"DJANGO_PRIVATE_MEDIA_ROOT ({PRIVATE_MEDIA_ROOT}) must not be inside a public "
            f"folder ({_public_root})."
        )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "uploads.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# One S3 bucket (or an S3-compatible store) for every instance, in place of the two folders above:
# the applicants' documents and agreement PDFs under "private/", the logos under "public/".
# django-storages' own setting names; see uploads/storage.py and the README.
PORTAL_STORAGE = env.str("PORTAL_STORAGE", default="local")
if PORTAL_STORAGE == "s3":
    _bucket = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        # A second file of the same name gets a name of its own, as in a folder.
        "file_overwrite": False,
    }
    STORAGES["private"] = {
        "BACKEND": "uploads.storage.PrivateS3Storage",
        "OPTIONS": {**_bucket, "location": "private", "default_acl": "private"},
    }
    STORAGES["default"] = {
        "BACKEND": "uploads.storage.PublicS3Storage",
        # The logos are readable by anyone, as on the site; a bucket whose ACLs are turned off
        # (AWS's default) takes PORTAL_S3_PUBLIC_ACL= (empty) and a bucket policy instead.
        "OPTIONS": {
            **_bucket,
            "location": "public",
            "default_acl": env.str("PORTAL_S3_PUBLIC_ACL", default="public-read") or None,
            "querystring_auth": False,
        },
    }
elif PORTAL_STORAGE != "local":
    raise ImproperlyConfigured(f"PORTAL_STORAGE is {PORTAL_STORAGE!r}: say local (the default) or s3.")
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Security -------------------------------------------------------------------
_production = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_production)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=_production)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if _production else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy, e.g. "HTTP_X_FORWARDED_PROTO,https".
_proxy_header = env.list("DJANGO_SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "irts_portal.views.csrf_failure"

# No inline script or style anywhere: every asset is a file served by us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: covers the small SVG icons embedded in our stylesheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# --- Audit history ----------------------------------------------------------------
# Reverting to an old version from the admin would bypass the services' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Forms ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Portal ---------------------------------------------------------------------
# Shown on the contact, legal-notice and privacy pages; left out when empty.
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", default="")
PORTAL_HOSTING_PROVIDER = env.str("PORTAL_HOSTING_PROVIDER", default="")
PORTAL_HOSTING_ADDRESS = env.str("PORTAL_HOSTING_ADDRESS", default="")
# Named by the legal notice (loi n° 2004-575 du 21 juin 2004, article 6). Unset, the notice names
# the school's general management (translated), rather than a person nobody has confirmed.
PORTAL_PUBLICATION_DIRECTOR = env.str("PORTAL_PUBLICATION_DIRECTOR", default="") or _(
    "la direction générale de l’IRTS Normandie-Caen"
)
# The accessibility statement (RGAA 4.1): the compliance status ("non", "partiel" or "total"),
# read by the statement and by the footer's mention, and the date the statement was made.
PORTAL_ACCESSIBILITY_STATUS = env.str("PORTAL_ACCESSIBILITY_STATUS", default="non")
if PORTAL_ACCESSIBILITY_STATUS not in ("non", "partiel", "total"):
    raise ImproperlyConfigured(
        f"PORTAL_ACCESSIBILITY_STATUS is {PORTAL_ACCESSIBILITY_STATUS!r}: use non, partiel or total."
    )
try:
    PORTAL_ACCESSIBILITY_STATEMENT_DATE = datetime.date.fromisoformat(
        env.str("PORTAL_ACCESSIBILITY_STATEMENT_DATE", default="2026-11-28")
    )
except ValueError as error:
    raise ImproperlyConfigured(
        "PORTAL_ACCESSIBILITY_STATEMENT_DATE must be a date written YYYY-MM-DD."
    ) from error
# Messages of the contact form accepted per client address and hour (then a friendly 429 page).
PORTAL_CONTACT_MESSAGES_PER_HOUR = env.int("PORTAL_CONTACT_MESSAGES_PER_HOUR", default=5)
# The public address of the site, for the links written into e-mails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Behind N reverse proxies, the client's address is the N-th from the right of
# X-Forwarded-For; 0 means REMOTE_ADDR is the client (no proxy).
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)
# Where those proxies connect from: X-Forwarded-For is believed on their connections only.
PORTAL_TRUSTED_PROXY_NETWORKS = [
    ipaddress.ip_network(network, strict=False)
    for network in env.list("PORTAL_TRUSTED_PROXY_ADDRESSES", default=["127.0.0.1", "::1"])
]
# Posts of the application form (valid or not) allowed per client address and hour.
PORTAL_SUBMISSIONS_PER_HOUR = env.int("PORTAL_SUBMISSIONS_PER_HOUR", default=20)
# The JSON fixtures that `load_seed` reads, in file-name order.
PORTAL_SEED_FIXTURES_DIR = BASE_DIR / "fixtures"
# An agreement is "expiring soon" this many days before its end.
PORTAL_EXPIRY_WARNING_DAYS = env.int("PORTAL_EXPIRY_WARNING_DAYS", default=90)
# The folder of the official EWP IIA v7 schemas, which a partner's IIA file must satisfy before
# it is imported (partnerships/ewp/schemas.py; the README says where to get them). Empty: the
# import page says so and imports nothing.
PORTAL_EWP_SCHEMAS = env.str("PORTAL_EWP_SCHEMAS", default="")
# Languages an agreement can recommend for a mobility.
PORTAL_MOBILITY_LANGUAGES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("pt", _("portugais")),
    ("nl", _("néerlandais")),
    ("es", _("espagnol")),
]
# Uploaded documents: the largest accepted file, in bytes.
PORTAL_MAX_UPLOAD_BYTES = env.int("PORTAL_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# An application carries at most one document of each kind (mobility.models.calls.DocumentKind,
# unique per call).
PORTAL_MAX_DOCUMENTS_PER_APPLICATION = 6
# A request's form fields, files apart: a motivation of 4,000 characters is 16 KB at most, a
# staff text a few pages; past this, Django answers 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The largest request body, judged on its declared length before anything reads it
# (irts_portal.request_limits), else a 413 page: a full application's documents, plus its fields
# and the multipart framing. It covers the largest staff upload too (a 20 MB signed agreement).
# deploy/nginx's client_max_body_size says the same (31m with the default 5 MB documents).
PORTAL_MAX_REQUEST_BYTES = (
    PORTAL_MAX_DOCUMENTS_PER_APPLICATION * PORTAL_MAX_UPLOAD_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# Applications are deleted this many months after their final decision, contact messages this
# many months after staff marked them handled (`manage.py purge_applications`).
PORTAL_RETENTION_MONTHS = env.int("PORTAL_RETENTION_MONTHS", default=24)

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "irts_portal.logs.PortalFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "filters": {"malformed_requests_only": {"()": "irts_portal.logs.MalformedRequestsOnly"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Our handler replaces Django's default ones, so each record prints once.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Most 4xx are expected traffic; a malformed request (400, 413) is worth one line.
        "django.request": {"level": "WARNING", "filters": ["malformed_requests_only"]},
        # django-axes logs every successful login reset at INFO: noise, not news.
        "axes": {"level": "WARNING"},
    },
}
