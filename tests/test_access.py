"""Who may see what: a private archive by default, Analysts and Editors, API tokens, throttled logins."""
import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import ApiToken
from accounts.roles import ANALYSTS, EDITORS
from accounts.tokens import issue_token
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest

pytestmark = [pytest.mark.django_db, pytest.mark.private]

LOGIN = reverse("accounts:login")
UPLOAD = reverse("admin:digest_digest_upload")
API = reverse("api:search")


@pytest.fixture
def seeded(seed_path, fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    return outcome.digest


def member_of(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, password="a long and private pass")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def analyst(django_user_model):
    return member_of(django_user_model, ANALYSTS, "ana")


@pytest.fixture
def editor(django_user_model):
    return member_of(django_user_model, EDITORS, "ed")


def pages(digest):
    story = digest.stories.get(position=1)
    return {
        "home": reverse("digest:home"),
        "year": reverse("digest:home") + "?year=2014",
        "digest": digest.get_absolute_url(),
        "story": story.get_absolute_url(),
        "search": reverse("search:search") + "?q=Raqqa",
    }


def test_anonymous_page_requests_go_to_the_login_page(client, seeded):
    for name, url in pages(seeded).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"] == f"{LOGIN}?next={url.replace('?', '%3F').replace('=', '%3D')}", name


def test_an_anonymous_api_request_gets_401_in_json(client, seeded):
    response = client.get(API + "?q=Raqqa")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert "private" in response.json()["error"]


def test_login_healthz_and_static_files_stay_open(client, db):
    assert client.get(LOGIN).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/archive.css").status_code == 200


def test_an_analyst_reads_pages_and_the_api(client, seeded, analyst):
    client.force_login(analyst)
    for name, url in pages(seeded).items():
        assert client.get(url).status_code == 200, name
    data = client.get(API + "?q=Raqqa").json()
    assert data["total"] == 1


def test_an_analyst_cannot_open_the_admin_upload(client, analyst):
    client.force_login(analyst)
    response = client.get(UPLOAD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not analyst.is_staff


def test_a_user_in_no_group_is_told_to_ask_for_access(client, seeded, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    page = client.get(reverse("digest:home"))
    assert page.status_code == 403
    assert "Analysts group" in page.content.decode()
    api = client.get(API)
    assert api.status_code == 403 and "Analysts group" in api.json()["error"]


def test_an_editor_is_staff_and_uploads_a_digest(client, editor, seed_path, fresh_index):
    editor.refresh_from_db()
    assert editor.is_staff
    client.force_login(editor)
    assert client.get(UPLOAD).status_code == 200
    review = client.post(UPLOAD, {
        "files": [SimpleUploadedFile(seed_path.name, seed_path.read_bytes())], "date": "2014-11-26",
    })
    assert review.status_code == 302
    upload_id = review.url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("admin:digest_digest_upload_store", args=[upload_id]), {})
    assert [o.status for o in response.context["outcomes"]] == ["created"]
    assert Digest.objects.count() == 1
    assert client.get(reverse("admin:digest_entity_changelist")).status_code == 200


def test_leaving_editors_takes_the_admin_away(client, editor):
    editor.groups.remove(Group.objects.get(name=EDITORS))
    editor.refresh_from_db()
    assert not editor.is_staff
    Group.objects.get(name=EDITORS).user_set.add(editor)
    editor.refresh_from_db()
    assert editor.is_staff


def test_the_groups_hold_their_permissions():
    analysts = set(Group.objects.get(name=ANALYSTS).permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert analysts == {"view_digest", "view_story", "view_recommendedread", "view_entity"}
    assert analysts < editors
    assert {"add_digest", "change_story", "change_entity", "delete_alias", "delete_apitoken"} <= editors
    assert "add_user" not in editors and "change_group" not in editors


def test_with_archive_public_pages_and_api_are_open_but_not_the_admin(client, seeded, settings):
    settings.ARCHIVE_PUBLIC = True
    for name, url in pages(seeded).items():
        assert client.get(url).status_code == 200, name
    assert client.get(API).status_code == 200
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("admin:login"))
    assert client.get(UPLOAD).status_code == 302


# API tokens

def api(client, key, query="q=Raqqa"):
    return client.get(f"{API}?{query}", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_opens_the_api_to_a_script(client, seeded, analyst):
    key = issue_token(analyst)
    response = api(client, key)
    assert response.status_code == 200 and response.json()["total"] == 1
    assert ApiToken.objects.get(user=analyst).last_used_at is not None
    # A token is for the API only: pages still want a login.
    page = client.get(reverse("digest:home"), HTTP_AUTHORIZATION=f"Token {key}")
    assert page.status_code == 302


def test_a_wrong_or_malformed_token_gets_401(client, seeded, analyst, settings):
    issue_token(analyst)
    for header in ("Token not-the-key", "Bearer whatever", "Token"):
        response = client.get(API, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"]
    settings.ARCHIVE_PUBLIC = True  # a broken key is refused even where no key is needed
    assert client.get(API, HTTP_AUTHORIZATION="Token not-the-key").status_code == 401


def test_a_new_token_revokes_the_old_and_tokens_are_stored_hashed(client, seeded, analyst):
    old = issue_token(analyst)
    new = issue_token(analyst)
    assert api(client, old).status_code == 401
    assert api(client, new).status_code == 200
    token = ApiToken.objects.get(user=analyst)
    assert new not in (token.key_hash, token.prefix) and token.prefix == new[:8] and len(token.key_hash) == 64


def test_an_inactive_users_token_is_refused(client, seeded, analyst):
    key = issue_token(analyst)
    analyst.is_active = False
    analyst.save()
    assert api(client, key).status_code == 401


def test_create_api_token_prints_a_working_key(client, seeded, analyst):
    out = StringIO()
    call_command("create_api_token", "ana", stdout=out)
    key = out.getvalue().strip()
    assert len(key) >= 40 and api(client, key).status_code == 200
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("create_api_token", "nobody")


def test_an_editor_revokes_a_token_in_the_admin(client, seeded, analyst, editor):
    key = issue_token(analyst)
    token = ApiToken.objects.get(user=analyst)
    client.force_login(editor)
    changelist = reverse("admin:accounts_apitoken_changelist")
    assert analyst.username in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    client.logout()
    assert api(client, key).status_code == 401


# Logging in and out

def test_logging_in_returns_to_the_page_asked_for_and_logging_out_ends_the_session(client, seeded, analyst, settings):
    settings.AXES_ENABLED = True
    home = reverse("digest:home")
    response = client.post(LOGIN, {"username": "ana", "password": "a long and private pass", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert client.get(home).status_code == 200
    logged_out = client.post(reverse("accounts:logout"))
    assert logged_out.status_code == 200 and "You are logged out" in logged_out.content.decode()
    assert client.get(home).status_code == 302


def test_failed_logins_are_throttled(client, analyst, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": "ana", "password": "wrong"})
        assert response.status_code == 200 and "correct username and password" in response.content.decode()
    locked = client.post(LOGIN, {"username": "ana", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert client.post(LOGIN, {"username": "ana", "password": "a long and private pass"}).status_code == 429
    assert client.post(reverse("admin:login"), {"username": "ana", "password": "a long and private pass"}).status_code == 429


def test_an_analyst_changes_their_password(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "a long and private pass", "new_password1": "another long pass 2026", "new_password2": "another long pass 2026",
    })
    assert response["Location"] == reverse("accounts:password_changed")
    analyst.refresh_from_db()
    assert analyst.check_password("another long pass 2026")
