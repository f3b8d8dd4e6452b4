"""Settings for the news-digest archive, read from the environment (12-factor).

Every deployment difference (database, search engine, secrets, hosts) is an
environment variable, so moving to PostgreSQL and Solr is a settings change.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")
# The default key only suits a machine that serves loopback; deployments set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "haystack",
    "digest",
    "search",
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

# Shown when a digest's source names no newsletter.
DEFAULT_NEWSLETTER = env("DEFAULT_NEWSLETTER", default="Syria Daily Digest")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
