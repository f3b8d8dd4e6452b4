"""The split review in the admin: an upload previewed, corrected and stored; a stored digest corrected."""
import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, StagedUpload, Story
from search.query import search
from search.results import SearchParams

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("admin:digest_digest_upload")
REVIEW = "review/2016-04-20-geneva-walkout.md"


def stage(client, *paths):
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in paths]
    response = client.post(UPLOAD_URL, {"files": files, "date": "2014-11-26"})
    assert response.status_code == 302
    upload = StagedUpload.objects.get()
    assert response.url == reverse("admin:digest_digest_upload_review", args=[upload.pk])
    return upload


def review(client, upload):
    response = client.get(reverse("admin:digest_digest_upload_review", args=[upload.pk]))
    assert response.status_code == 200
    return response


def correct(client, upload, position, action, story, paragraph="", headline="", seen=None):
    item = next(f for f in review(client, upload).context["files"] if f.file.position == position)
    url = reverse("admin:digest_digest_upload_file", args=[upload.pk, item.file.pk])
    data = {"action": action, "story": story, "paragraph": paragraph, "headline": headline,
            "seen": seen or item.review.fingerprint}
    return client.post(url, data, follow=True)


def shape(item):
    return [(story.headline, len(story.paragraphs), [f.kind for f in story.all_flags]) for story in item.review.stories]


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_upload_is_previewed_with_its_flags_and_nothing_is_stored(admin_client, fixtures_dir, seed_path):
    upload = stage(admin_client, fixtures_dir / REVIEW, seed_path, fixtures_dir / "digests" / "bad" / "empty.txt")
    response = review(admin_client, upload)

    review_md, seed, empty = response.context["files"]
    assert shape(review_md) == [
        ("In This Issue", 1, ["leftover_intro", "one_paragraph"]),
        ("Opposition Suspends Participation in Geneva Talks", 6, ["headline_like_paragraph"]),
        ("Aid Convoy Reaches Besieged Madaya", 1, ["one_paragraph"]),
        ("‘We Are Starving,’ Residents Say", 2, []),
    ]
    assert [(s.headline, len(s.paragraphs)) for s in seed.review.stories][0] == (
        "Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians", 6)
    assert seed.review.flags == []
    assert len(seed.review.split.recommended_reads) == 6
    assert empty.review is None and empty.file.error == "the file is empty"
    page = response.content.decode()
    assert "reads like a headline: the start of a story the split missed?" in page
    assert "Cannot be read: the file is empty. It will be skipped." in page
    assert 'value="Store 2 digests"' in page
    assert Digest.objects.count() == 0


def test_merge_split_front_matter_and_headline_then_store(admin_client, fixtures_dir, fresh_index,
                                                          django_capture_on_commit_callbacks):
    upload = stage(admin_client, fixtures_dir / REVIEW)
    correct(admin_client, upload, 1, "front_matter", 0)
    correct(admin_client, upload, 1, "split", 0, paragraph=3)
    response = correct(admin_client, upload, 1, "merge", 2)
    response = correct(admin_client, upload, 1, "headline", 2, headline="Aid Reaches Madaya: ‘We Are Starving’")
    assert response.redirect_chain[-1][0].endswith("#file-1-story-3")

    (item,) = response.context["files"]
    assert shape(item) == [
        ("Opposition Suspends Participation in Geneva Talks", 3, []),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2, []),
        # The merged story's old headline is a paragraph now, and still reads like one.
        ("Aid Reaches Madaya: ‘We Are Starving’", 4, ["headline_like_paragraph"]),
    ]
    assert item.review.split.front_matter[-2] == "In This Issue"  # after what the splitter found, if anything
    assert messages_of(response) == ["Corrected. The flags below are those of the corrected split."]

    with django_capture_on_commit_callbacks(execute=True):
        stored = admin_client.post(reverse("admin:digest_digest_upload_store", args=[upload.pk]), {})

    assert [(o.file, o.status) for o in stored.context["outcomes"]] == [("2016-04-20-geneva-walkout.md", "created")]
    digest = Digest.objects.get()
    assert [(s.position, s.headline) for s in digest.stories.all()] == [
        (1, "Opposition Suspends Participation in Geneva Talks"),
        (2, "Airstrikes on Markets in Idlib Province Kill Dozens"),
        (3, "Aid Reaches Madaya: ‘We Are Starving’"),
    ]
    assert digest.intro.startswith("In This Issue\n\nGood morning.")
    assert [hit.headline for hit in search(SearchParams(q="Kafranbel")).hits] == [
        "Airstrikes on Markets in Idlib Province Kill Dozens"
    ]
    assert not StagedUpload.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"action": "merge", "story": "9"}, "2016-04-20-geneva-walkout.md: there is no story 10: the digest has 4"),
    ({"action": "explode", "story": "0"}, "2016-04-20-geneva-walkout.md: the correction could not be read "
                                          "(action: Select a valid choice. explode is not one of the available choices.)"),
    ({"action": "split", "story": "x", "paragraph": "1"}, "2016-04-20-geneva-walkout.md: the correction could not be "
                                                          "read (story: Enter a whole number.)"),
    ({"action": "headline", "story": "0", "headline": "  "}, "2016-04-20-geneva-walkout.md: a headline cannot be empty"),
])
def test_a_bad_correction_is_a_message_not_an_error(admin_client, fixtures_dir, data, message):
    upload = stage(admin_client, fixtures_dir / REVIEW)
    seen = review(admin_client, upload).context["files"][0].review.fingerprint
    staged = upload.files.get()
    response = admin_client.post(reverse("admin:digest_digest_upload_file", args=[upload.pk, staged.pk]),
                                 {"seen": seen, **data}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert len(response.context["files"][0].review.stories) == 4


def test_a_second_click_on_the_same_button_is_refused(admin_client, fixtures_dir):
    upload = stage(admin_client, fixtures_dir / REVIEW)
    seen = review(admin_client, upload).context["files"][0].review.fingerprint
    correct(admin_client, upload, 1, "merge", 0, seen=seen)
    response = correct(admin_client, upload, 1, "merge", 0, seen=seen)
    assert messages_of(response)[-1].startswith("2016-04-20-geneva-walkout.md: the split of 2016-04-20-geneva-walkout.md "
                                                "changed since this page was shown")
    assert len(response.context["files"][0].review.stories) == 3


def test_undo_and_leave_out(admin_client, fixtures_dir, seed_path):
    upload = stage(admin_client, fixtures_dir / REVIEW, seed_path)
    correct(admin_client, upload, 1, "merge", 0)
    review_file, seed_file = upload.files.all()
    file_url = lambda staged: reverse("admin:digest_digest_upload_file", args=[upload.pk, staged.pk])  # noqa: E731

    undone = admin_client.post(file_url(review_file), {"action": "reset"}, follow=True)
    assert len(undone.context["files"][0].review.stories) == 4
    assert messages_of(undone)[-1] == "2016-04-20-geneva-walkout.md is back as the splitter split it."

    left = admin_client.post(file_url(seed_file), {"action": "discard"}, follow=True)
    assert [f.file.name for f in left.context["files"]] == ["2016-04-20-geneva-walkout.md"]
    gone = admin_client.post(file_url(review_file), {"action": "discard"})
    assert gone.url == UPLOAD_URL
    assert not StagedUpload.objects.exists()


def test_the_editor_gives_a_file_its_date_on_the_review(admin_client, seed_path):
    response = admin_client.post(UPLOAD_URL, {"files": [SimpleUploadedFile(seed_path.name, seed_path.read_bytes())]})
    upload = StagedUpload.objects.get()
    staged = upload.files.get()
    page = review(admin_client, upload).content.decode()
    assert "Not stored: no publication date: the file states none" in page
    assert re.search(r'<input type="date" name="date" id="date-\d+" value="" required>', page)
    file_url = reverse("admin:digest_digest_upload_file", args=[upload.pk, staged.pk])

    response = admin_client.post(file_url, {"action": "date", "date": "26/11/2014"}, follow=True)
    assert messages_of(response) == [f"{seed_path.name}: the date could not be read: give it as YYYY-MM-DD"]
    response = admin_client.post(file_url, {"action": "date", "date": "2014-11-26"}, follow=True)
    assert messages_of(response)[-1] == f"{seed_path.name} will be stored as the digest of 2014-11-26."
    page = response.content.decode()
    assert "no publication date" not in page
    assert 'value="2014-11-26" required>' in page
    assert 'value="Store 1 digest"' in page


def test_a_file_already_stored_is_shown_as_such(admin_client, seed_path):
    ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    upload = stage(admin_client, seed_path)
    page = review(admin_client, upload).content.decode()
    assert "(the same file): storing reports it as a duplicate." in page
    assert 'value="Store 0 digests"' in page


def test_discarding_and_expiry(admin_client, fixtures_dir):
    upload = stage(admin_client, fixtures_dir / REVIEW)
    response = admin_client.post(reverse("admin:digest_digest_upload_store", args=[upload.pk]), {"discard": "1"},
                                 follow=True)
    assert messages_of(response) == ["The upload was discarded; nothing was stored."]
    gone = ("That upload was stored, discarded or has expired (an upload waits a day for its review); "
            "what was stored is in the list of digests.")
    response = admin_client.get(reverse("admin:digest_digest_upload_review", args=[upload.pk]), follow=True)
    assert response.redirect_chain == [(UPLOAD_URL, 302)] and messages_of(response) == [gone]

    upload = stage(admin_client, fixtures_dir / REVIEW)
    StagedUpload.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    for send, url in [
        (admin_client.get, reverse("admin:digest_digest_upload_review", args=[upload.pk])),
        (admin_client.post, reverse("admin:digest_digest_upload_store", args=[upload.pk])),
        (admin_client.post, reverse("admin:digest_digest_upload_file", args=[upload.pk, upload.files.get().pk])),
    ]:
        response = send(url, follow=True)
        assert response.redirect_chain == [(UPLOAD_URL, 302)] and messages_of(response) == [gone]
    assert Digest.objects.count() == 0


def test_the_review_is_for_staff_only(client, admin_client, fixtures_dir, django_user_model):
    upload = stage(admin_client, fixtures_dir / REVIEW)
    urls = [reverse("admin:digest_digest_upload_review", args=[upload.pk]),
            reverse("admin:digest_digest_upload_store", args=[upload.pk])]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
        assert client.post(url).status_code == 302
    assert StagedUpload.objects.count() == 1 and Digest.objects.count() == 0


@pytest.fixture
def stored(fixtures_dir, fresh_index, django_capture_on_commit_callbacks):
    path = fixtures_dir / REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_input(InputFile(path.name, path.read_bytes(), None)).digest


def test_a_stored_digests_admin_page_links_to_its_split_with_the_flag_count(admin_client, stored):
    page = admin_client.get(reverse("admin:digest_digest_change", args=[stored.pk])).content.decode()
    split_url = reverse("admin:digest_digest_split", args=[stored.pk])
    assert f'4 flags · <a href="{split_url}">review and correct the split</a>' in page
    assert f'<a href="{split_url}">Correct the split</a>' in page


def test_correcting_a_stored_digest_in_the_admin(admin_client, stored, django_capture_on_commit_callbacks):
    url = reverse("admin:digest_digest_split", args=[stored.pk])
    first_id = stored.stories.get(position=2).pk

    def post(**data):
        seen = admin_client.get(url).context["review"].fingerprint
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(url, {"seen": seen, "paragraph": "", "headline": "", **data}, follow=True)

    post(action="front_matter", story=0)
    post(action="split", story=0, paragraph=3)
    response = post(action="merge", story=2)

    assert [(s.headline, len(s.paragraphs), [f.kind for f in s.all_flags]) for s in response.context["review"].stories] == [
        ("Opposition Suspends Participation in Geneva Talks", 3, []),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2, []),
        ("Aid Convoy Reaches Besieged Madaya", 4, ["headline_like_paragraph"]),
    ]
    assert Digest.objects.get().pk == stored.pk
    assert stored.stories.get(position=1).pk == first_id
    assert [hit.headline for hit in search(SearchParams(q="Kafranbel")).hits] == [
        "Airstrikes on Markets in Idlib Province Kill Dozens"
    ]
    refused = post(action="merge", story=2)
    assert [str(m) for m in refused.context["messages"]] == ["story 3 is the last story: there is no next story to merge it with"]
    page = refused.content.decode()
    assert re.search(r"Good morning\. Today: the opposition walks out", page)


def test_the_split_page_needs_change_permission(client, django_user_model, stored):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.login(username="viewer", password="pw")
    url = reverse("admin:digest_digest_split", args=[stored.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "merge", "story": 0}).status_code == 403
    assert Story.objects.count() == 4 and user.pk


def test_a_file_that_could_not_be_stored_waits_for_replace(admin_client, fixtures_dir):
    # A file naming no newsletter is an issue of DEFAULT_NEWSLETTER, as the one already stored.
    Digest.objects.create(date=datetime.date(2016, 4, 20), title="Earlier file", file_name="earlier.txt",
                          newsletter=settings.DEFAULT_NEWSLETTER, sha256="0" * 64, source_text="")
    upload = stage(admin_client, fixtures_dir / REVIEW)
    page = review(admin_client, upload).content.decode()
    assert "A digest for this day is stored already" in page

    first = admin_client.post(reverse("admin:digest_digest_upload_store", args=[upload.pk]), {})
    assert [o.status for o in first.context["outcomes"]] == ["error"]
    assert f'<a href="{reverse("admin:digest_digest_upload_review", args=[upload.pk])}">review and store again</a>' in (
        first.content.decode())
    waiting = review(admin_client, upload).content.decode()
    assert "Not stored: a different digest for 2016-04-20 is already stored (from earlier.txt)" in waiting

    again = admin_client.post(reverse("admin:digest_digest_upload_store", args=[upload.pk]), {"replace": "on"})
    assert [o.status for o in again.context["outcomes"]] == ["replaced"]
    assert again.context["remaining"] is None
    assert Digest.objects.get().stories.count() == 4
