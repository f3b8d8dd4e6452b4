"""The project's settings as the test suite runs them: plain HTTP on loopback, a throwaway key.

pytest-django runs with DEBUG off, so archive.settings would refuse its built-in key and send
every request to HTTPS, which neither the test client nor the live server speaks. Everything
else is the production configuration; tests of the settings themselves start a fresh process
with archive.settings (tests/test_deploy_settings.py).
"""
import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-" + "k3y-n0t-f0r-any-d3pl0yment-" * 2)
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .settings import *  # noqa: E402,F401,F403

# Django's test client logs in without a request, which django-axes refuses; the tests of
# login throttling turn it back on (tests/test_accounts.py).
AXES_ENABLED = False
