import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Story

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("admin:digest_digest_upload")


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def upload_and_store(client, data):
    """Upload, then store straight from the review without correcting anything."""
    review = client.post(UPLOAD_URL, data)
    assert review.status_code == 302, review.content.decode()
    store_url = reverse("admin:digest_digest_upload_store", args=[review.url.rstrip("/").rsplit("/", 1)[-1]])
    return client.post(store_url, {})


def test_staff_uploads_several_files_and_sees_what_happened_to_each(admin_client, fixtures_dir, seed_path):
    response = upload_and_store(
        admin_client,
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

    first = upload_and_store(admin_client, {"files": [upload("week.zip", data)], "date": "2014-11-26"})
    second = upload_and_store(admin_client, {"files": [upload("week.zip", data)], "date": "2014-11-26"})

    assert [o.status for o in first.context["outcomes"]] == ["created", "created"]
    assert [o.status for o in second.context["outcomes"]] == ["duplicate", "duplicate"]
    assert Digest.objects.count() == 2


def test_upload_without_a_file_shows_the_form_error(admin_client):
    response = admin_client.post(UPLOAD_URL, {"date": "2014-11-26"})
    assert response.status_code == 200
    assert "outcomes" not in response.context
    assert "This field is required." in response.content.decode()


def test_the_upload_page_is_for_staff_only(client, django_user_model):
    assert client.get(UPLOAD_URL).status_code == 302
    django_user_model.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get(UPLOAD_URL).status_code == 302


def test_the_digest_list_links_to_the_upload_page(admin_client):
    response = admin_client.get(reverse("admin:digest_digest_changelist"))
    assert UPLOAD_URL in response.content.decode()


def test_editing_a_story_in_the_admin_updates_its_entities_and_the_index(
    admin_client, seed_path, fresh_index, django_capture_on_commit_callbacks
):
    from search.query import search
    from search.results import SearchParams

    with django_capture_on_commit_callbacks(execute=True):
        ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    story = Story.objects.get(position=1)
    body = story.body.replace("Raqqa", "Tabqa")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:digest_story_change", args=[story.pk]),
            {"digest": story.digest_id, "position": 1, "headline": "Strikes on Tabqa", "body": body, "slug": story.slug},
        )

    assert response.status_code == 302
    places = set(story.mentions.filter(entity__kind="place").values_list("entity__name", flat=True))
    assert "Raqqa" not in places and "Tabqa" in places
    assert [hit.headline for hit in search(SearchParams(q="Tabqa")).hits] == ["Strikes on Tabqa"]
    assert search(SearchParams(q="Raqqa")).total == 0


def test_changing_a_digests_date_in_the_admin_moves_its_stories_in_search(
    admin_client, seed_path, fresh_index, django_capture_on_commit_callbacks
):
    from search.query import search
    from search.results import SearchParams

    with django_capture_on_commit_callbacks(execute=True):
        outcome = ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    digest = outcome.digest
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:digest_digest_change", args=[digest.pk]),
            {
                "date": "2014-11-27", "title": digest.title, "newsletter": digest.newsletter,
                "stories-TOTAL_FORMS": "3", "stories-INITIAL_FORMS": "3", "stories-MIN_NUM_FORMS": "0",
                "stories-MAX_NUM_FORMS": "1000",
                **{f"stories-{n}-id": str(s.pk) for n, s in enumerate(digest.stories.all())},
                **{f"stories-{n}-digest": str(digest.pk) for n in range(3)},
                "recommended_reads-TOTAL_FORMS": "0", "recommended_reads-INITIAL_FORMS": "0",
                "recommended_reads-MIN_NUM_FORMS": "0", "recommended_reads-MAX_NUM_FORMS": "1000",
            },
        )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    months = [(m.value, m.count) for m in search(SearchParams()).facets["month"]]
    assert months == [("2014-11", 3)]
    assert search(SearchParams(date_from=datetime.date(2014, 11, 27))).total == 3


def test_an_uploaded_archive_with_nothing_to_ingest_shows_a_row_with_the_reason(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("__MACOSX/._digest.txt", b"\x00\x05\x16\x07")
    response = admin_client.post(UPLOAD_URL, {"files": [upload("mac.zip", buffer.getvalue())]}, follow=True)
    assert [(item.file.name, item.file.error) for item in response.context["files"]] == [
        ("mac.zip", "the archive holds nothing to ingest: only hidden files and __MACOSX resource forks (1 skipped)"),
    ]
    assert "the archive holds nothing to ingest" in response.content.decode()
