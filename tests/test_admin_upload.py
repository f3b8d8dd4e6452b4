import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digest.models import Digest

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("admin:digest_digest_upload")


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_staff_uploads_several_files_and_sees_what_happened_to_each(admin_client, fixtures_dir, seed_path):
    response = admin_client.post(
        UPLOAD_URL,
        {
            "files": [
                upload(seed_path.name, seed_path.read_bytes()),
                upload("2014-12-03.txt", (fixtures_dir / "service" / "2014-12-03-digest.txt").read_bytes()),
                upload("empty.txt", b""),
            ],
            "date": "2014-11-26",
        },
    )

    assert response.status_code == 200
    outcomes = response.context["outcomes"]
    assert [(o.file, o.status) for o in outcomes] == [
        (seed_path.name, "created"),
        ("2014-12-03.txt", "created"),
        ("empty.txt", "error"),
    ]
    page = response.content.decode()
    assert 'class="upload-error"' in page and "empty" in outcomes[2].error
    assert sorted(Digest.objects.values_list("date", flat=True)) == [
        outcomes[0].date,
        outcomes[1].date,
    ]


def test_a_zip_upload_is_expanded_and_a_second_upload_is_a_duplicate(admin_client, fixtures_dir, seed_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("week/seed.txt", seed_path.read_bytes())
        archive.writestr("week/2014-12-03.txt", (fixtures_dir / "service" / "2014-12-03-digest.txt").read_bytes())
    data = buffer.getvalue()

    first = admin_client.post(UPLOAD_URL, {"files": [upload("week.zip", data)], "date": "2014-11-26"})
    second = admin_client.post(UPLOAD_URL, {"files": [upload("week.zip", data)], "date": "2014-11-26"})

    assert [o.status for o in first.context["outcomes"]] == ["created", "created"]
    assert [o.status for o in second.context["outcomes"]] == ["duplicate", "duplicate"]
    assert Digest.objects.count() == 2


def test_upload_without_a_file_shows_the_form_error(admin_client):
    response = admin_client.post(UPLOAD_URL, {"date": "2014-11-26"})
    assert response.status_code == 200
    assert response.context["outcomes"] is None
    assert "This field is required." in response.content.decode()


def test_the_upload_page_is_for_staff_only(client, django_user_model):
    assert client.get(UPLOAD_URL).status_code == 302
    django_user_model.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get(UPLOAD_URL).status_code == 302


def test_the_digest_list_links_to_the_upload_page(admin_client):
    response = admin_client.get(reverse("admin:digest_digest_changelist"))
    assert UPLOAD_URL in response.content.decode()
