"""The Content-Security-Policy on every kind of response, and pages that need no inline script or style."""
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ANALYSTS
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile

pytestmark = [pytest.mark.django_db, pytest.mark.private]

POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
}


def directives(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture
def digest(seed_path, fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None),
                            date=datetime.date(2014, 11, 26)).digest


def test_every_kind_of_response_carries_the_policy(client, digest, admin_client, django_user_model):
    analyst = django_user_model.objects.create_user("ana", password="pw")
    analyst.groups.add(Group.objects.get(name=ANALYSTS))
    anonymous = {
        "login": reverse("accounts:login"),
        "redirect to login": reverse("digest:home"),
        "api 401": reverse("api:search"),
        "healthz": "/healthz",
        "404": "/no/such/page/",
    }
    for name, url in anonymous.items():
        assert directives(client.get(url)).items() >= POLICY.items(), name

    client.force_login(analyst)
    pages = {
        "home": reverse("digest:home"),
        "digest": digest.get_absolute_url(),
        "story": digest.stories.first().get_absolute_url(),
        "search": reverse("search:search") + "?q=Raqqa",
        "search error": reverse("search:search") + "?q=%22open",
        "api": reverse("api:search") + "?q=Raqqa",
        "password": reverse("accounts:password_change"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 400), name
        assert directives(response).items() >= POLICY.items(), name
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name  # every script is a file
            assert not re.search(r"\sstyle=", html), name
            assert not re.search(r"\son[a-z]+=", html), name

    for name in ("admin:index", "admin:digest_digest_changelist", "admin:digest_digest_upload"):
        assert directives(admin_client.get(reverse(name))).items() >= POLICY.items(), name
