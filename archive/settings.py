"""Settings for the news-digest archive, read from the environment (12-factor).

Every deployment difference (database, search engine, secrets, hosts) is an
environment variable, so moving to PostgreSQL and Solr is a settings change.
"""
import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    ARCHIVE_PUBLIC=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")
# The built-in key only suits DEBUG on a developer's machine; anywhere else start-up refuses it.
DEVELOPMENT_KEY = "insecure-local-only-key"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_KEY)
MIN_SECRET_KEY_CHARS = 50  # Django's own deploy check (security.W009) asks for as many


def refuse_insecure_key(key):
    """Stop start-up with a message a person can act on; Django alone would only warn in `check --deploy`."""
    if not key or key == DEVELOPMENT_KEY:
        problem = "SECRET_KEY is not set (the built-in development key is only for DEBUG=1)"
    elif len(key) < MIN_SECRET_KEY_CHARS or len(set(key)) < 5 or key.startswith("django-insecure-"):
        problem = f"SECRET_KEY is too weak (it needs at least {MIN_SECRET_KEY_CHARS} varied characters)"
    else:
        return
    raise ImproperlyConfigured(
        f"{problem}. With DEBUG off the archive refuses to start: set SECRET_KEY in the environment or .env "
        "to a long random value, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


if not DEBUG:
    refuse_insecure_key(SECRET_KEY)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

# Analysts' archives are private: every page and the API need an account unless this is on.
# The admin never opens to anonymous visitors (accounts.access).
ARCHIVE_PUBLIC = env("ARCHIVE_PUBLIC")

# HTTPS, under Django's own names; secure whenever DEBUG is off. Behind a reverse proxy that
# terminates TLS, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (README, Deploying).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
if SECURE_PROXY_SSL_HEADER is not None and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is a header and its value, as in HTTP_X_FORWARDED_PROTO,https")
# A load balancer's health check speaks plain HTTP to the server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "haystack",
    "axes",
    "csp",
    "ninja",  # its Swagger UI files and template for /api/docs/
    "digest",
    "search",
    "entities",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.access.PrivateArchiveMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'archive.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (ingest commands, uploads, curation) wait for each other instead of
    # failing with "database is locked": WAL lets searches read while one writer writes, every
    # transaction takes the write lock when it begins (a deferred one that reads first cannot wait
    # for it later without deadlocking), and a writer waits up to `timeout` seconds for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=60),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
# A worker keeps its database connection across requests instead of opening one per request (a
# connect and, on SQLite, the PRAGMAs above; on PostgreSQL a new backend process). A kept connection
# is checked before reuse, so service resumes by itself when a database that went away (a restart,
# a failover) is back: a restarted database costs one reconnect, not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _search_connection(url):
    """Map django-environ's haystack config onto the project's own backends.

    The stock engines stay selectable by their full dotted path in
    HAYSTACK_ENGINE (the benchmarks compare against them).
    """
    config = environ.Env.search_url_config(url)
    ours = {
        "haystack.backends.whoosh_backend.WhooshEngine": "search.whoosh.ArchiveWhooshEngine",
        "haystack.backends.solr_backend.SolrEngine": "search.solr_backend.ArchiveSolrEngine",
    }
    config["ENGINE"] = env("HAYSTACK_ENGINE", default=ours.get(config["ENGINE"], config["ENGINE"]))
    return config


HAYSTACK_CONNECTIONS = {
    "default": _search_connection(env("SEARCH_URL", default=f"whoosh://{VAR_DIR / 'whoosh_index'}")),
}
# Indexing is done explicitly after each transaction commits (see search.indexing),
# never per model save, so a digest appears in search whole or not at all.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Accounts: the site's own login pages; failed logins are throttled per user name and address.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "digest:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# No inline script or style anywhere: every script and stylesheet is a static file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Ingestion limits: a single uploaded file, and everything a zip may unpack to.
INGEST_MAX_FILE_BYTES = env.int("INGEST_MAX_FILE_BYTES", default=5 * 1024 * 1024)
INGEST_MAX_ARCHIVE_BYTES = env.int("INGEST_MAX_ARCHIVE_BYTES", default=100 * 1024 * 1024)
INGEST_MAX_ARCHIVE_MEMBERS = env.int("INGEST_MAX_ARCHIVE_MEMBERS", default=5000)
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Link each stored story to the stories of other digests that tell the same event as it is
# stored (digest.duplicates). A bulk load may turn it off and run `find_duplicates` once after.
NEAR_DUPLICATES_AT_INGEST = env.bool("NEAR_DUPLICATES_AT_INGEST", default=True)

# Shown when a digest's source names no newsletter.
DEFAULT_NEWSLETTER = env("DEFAULT_NEWSLETTER", default="Syria Daily Digest")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
