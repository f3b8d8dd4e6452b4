"""The deployment settings, each read in a fresh process from archive.settings and the environment alone."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_KEY = "Zq8-real-deployment-key-kept-in-a-vault-4f9c1e7b2a6d0c3e8f5a9b1d7c2e6f0a"
# What the test suite's own settings (archive.test_settings) put into this process's environment.
SUITE_ONLY = {"SECRET_KEY", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
              "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "DEBUG", "ARCHIVE_PUBLIC"}


def manage(*args, **env):
    # DJANGO_*: the suite's settings module, and the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (an error in deployment).
    environment = {name: value for name, value in os.environ.items()
                   if name not in SUITE_ONLY and not name.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="archive.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


SHOWN = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
         "SECURE_PROXY_SSL_HEADER", "ARCHIVE_PUBLIC"]


def settings_with(**env):
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {SHOWN!r}}}))"
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_debug_off_a_real_key_and_hosts():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    DEBUG="False", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="archive.example.org")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_with_debug_off_an_insecure_key_stops_start_up():
    for key, problem in (("insecure-local-only-key", "SECRET_KEY is not set"), ("", "SECRET_KEY is not set"),
                         ("short-but-set", "SECRET_KEY is too weak")):
        result = manage("check", DEBUG="False", SECRET_KEY=key)
        assert result.returncode != 0, key
        assert problem in result.stderr and "refuses to start" in result.stderr, result.stderr[-400:]
    assert manage("check", DEBUG="True", SECRET_KEY="insecure-local-only-key").returncode == 0


def test_secure_settings_default_to_secure_and_are_read_from_the_environment():
    assert settings_with(DEBUG="False", SECRET_KEY=REAL_KEY) == {
        "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_PROXY_SSL_HEADER": None, "ARCHIVE_PUBLIC": False,
    }
    assert settings_with(
        DEBUG="False", SECRET_KEY=REAL_KEY, SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="3600", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        ARCHIVE_PUBLIC="true",
    ) == {
        "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 3600, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ARCHIVE_PUBLIC": True,
    }
    assert settings_with(DEBUG="True")["SECURE_SSL_REDIRECT"] is False
