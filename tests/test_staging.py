"""digest/ingest/staging.py: an upload staged for review, corrected, then stored as corrected."""
import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from digest.ingest.corrections import CorrectionError, fingerprint
from digest.ingest.serialise import split_from_json
from digest.ingest.sources import InputFile
from digest.ingest.staging import (
    correct_staged_file, date_staged_file, discard_staged_file, live_uploads, reset_staged_file, stage_upload,
    store_staged_upload,
)
from digest.models import Digest, StagedFile, StagedUpload, Story
from search.query import search
from search.results import SearchParams

pytestmark = pytest.mark.django_db

REVIEW = "review/2016-04-20-geneva-walkout.md"


@pytest.fixture
def upload(fixtures_dir, seed_path):
    review = fixtures_dir / REVIEW
    return stage_upload(
        [
            InputFile(review.name, review.read_bytes(), None),
            InputFile(seed_path.name, seed_path.read_bytes(), None),
            InputFile("empty.txt", b"", None),
            InputFile("week.zip/../x.txt", None, "a path outside the archive"),
        ],
        date=datetime.date(2014, 11, 26),
    )


def headlines(staged):
    staged.refresh_from_db()
    return [story.headline for story in split_from_json(staged.split).stories]


def correct(staged, action, story, paragraph=None, headline=""):
    staged.refresh_from_db()
    return correct_staged_file(staged, action, story, paragraph, headline, seen=fingerprint(split_from_json(staged.split)))


def test_staging_reads_and_splits_every_file_and_stores_nothing(upload):
    files = list(upload.files.all())
    assert [(f.position, f.name, f.date, f.error) for f in files] == [
        (1, "2016-04-20-geneva-walkout.md", datetime.date(2016, 4, 20), ""),
        (2, "000_b7d1722ab27881cd.txt", datetime.date(2014, 11, 26), ""),
        (3, "empty.txt", None, "the file is empty"),
        (4, "week.zip/../x.txt", None, "a path outside the archive"),
    ]
    assert files[0].title == "Syria Daily Digest, 20 April 2016"
    assert headlines(files[0])[0] == "In This Issue"
    assert files[2].split is None and files[2].data is None
    assert Digest.objects.count() == 0 and Story.objects.count() == 0


def test_stored_as_corrected_and_searchable(upload, fresh_index, django_capture_on_commit_callbacks):
    review = upload.files.get(position=1)
    correct(review, "front_matter", 0)
    correct(review, "split", 0, 3)
    correct(review, "merge", 2)
    correct(review, "headline", 2, headline="Aid Convoy Reaches Madaya, Where ‘We Are Starving’")

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = store_staged_upload(upload)

    assert [(o.file, o.status) for o in outcomes] == [
        ("2016-04-20-geneva-walkout.md", "created"),
        ("000_b7d1722ab27881cd.txt", "created"),
        ("empty.txt", "error"),
        ("week.zip/../x.txt", "error"),
    ]
    digest = Digest.objects.get(date=datetime.date(2016, 4, 20))
    assert [(s.headline, len(s.paragraphs)) for s in digest.stories.all()] == [
        ("Opposition Suspends Participation in Geneva Talks", 3),
        ("Airstrikes on Markets in Idlib Province Kill Dozens", 2),
        ("Aid Convoy Reaches Madaya, Where ‘We Are Starving’", 4),
    ]
    assert digest.intro.startswith("In This Issue\n\nGood morning. Today:")
    assert [hit.headline for hit in search(SearchParams(q="Kafranbel")).hits] == [
        "Airstrikes on Markets in Idlib Province Kill Dozens"
    ]
    assert search(SearchParams(q="morning")).total == 0
    assert not StagedUpload.objects.exists() and not StagedFile.objects.exists()


def test_a_file_that_cannot_be_stored_stays_for_another_try(upload, fixtures_dir, django_capture_on_commit_callbacks):
    # Another file of 2016-04-20 is stored meanwhile: this one needs "replace".
    Digest.objects.create(date=datetime.date(2016, 4, 20), title="Other", file_name="other.txt", sha256="0" * 64,
                          source_text="", newsletter=settings.DEFAULT_NEWSLETTER)
    first = store_staged_upload(upload)
    assert [o.status for o in first] == ["error", "created", "error", "error"]
    assert first[0].error.startswith("a different digest for 2016-04-20 is already stored (from other.txt)")
    left = upload.files.get()
    assert (left.name, left.error) == ("2016-04-20-geneva-walkout.md", first[0].error)

    again = store_staged_upload(upload, replace=True)

    assert [(o.file, o.status) for o in again] == [("2016-04-20-geneva-walkout.md", "replaced")]
    assert Digest.objects.get(date=datetime.date(2016, 4, 20)).stories.count() == 4
    assert not StagedUpload.objects.exists()


def test_a_second_click_or_a_stale_page_does_not_correct_twice(upload):
    review = upload.files.get(position=1)
    seen = fingerprint(split_from_json(review.split))
    correct_staged_file(review, "merge", 2, seen=seen)
    with pytest.raises(CorrectionError, match="the split of 2016-04-20-geneva-walkout.md changed since this page"):
        correct_staged_file(review, "merge", 2, seen=seen)
    assert headlines(review) == ["In This Issue", "Opposition Suspends Participation in Geneva Talks",
                                 "Aid Convoy Reaches Besieged Madaya"]


def test_an_unreadable_file_has_nothing_to_correct(upload):
    with pytest.raises(CorrectionError, match="empty.txt could not be read, so there is no split to correct"):
        correct_staged_file(upload.files.get(position=3), "merge", 0)


def test_reset_undoes_every_correction(upload):
    review = upload.files.get(position=1)
    correct(review, "front_matter", 0)
    correct(review, "merge", 0)
    reset_staged_file(review)
    assert headlines(review) == ["In This Issue", "Opposition Suspends Participation in Geneva Talks",
                                 "Aid Convoy Reaches Besieged Madaya", "‘We Are Starving,’ Residents Say"]


def test_a_file_without_a_date_waits_for_the_editor_to_give_it(seed_path, fresh_index,
                                                                django_capture_on_commit_callbacks):
    upload = stage_upload([InputFile(seed_path.name, seed_path.read_bytes(), None)])  # no date field either
    staged = upload.files.get()
    assert staged.date is None and staged.error.startswith("no publication date: the file states none")
    assert headlines(staged)[0].startswith("Syrian Government Strikes on ISIS Targets in Raqqa")

    with pytest.raises(CorrectionError, match="implausible publication date 2104-11-26 .given on the review page."):
        date_staged_file(staged, datetime.date(2104, 11, 26))
    date_staged_file(staged, datetime.date(2014, 11, 26))

    staged.refresh_from_db()
    assert (staged.date, staged.error) == (datetime.date(2014, 11, 26), "")
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = store_staged_upload(upload)
    assert [o.status for o in outcomes] == ["created"]
    digest = Digest.objects.get()
    assert (digest.date, digest.title) == (datetime.date(2014, 11, 26), "Syria Daily Digest, 26 November 2014")


def test_a_misread_date_is_corrected_on_the_review_and_undone_with_the_rest(upload, fresh_index,
                                                                            django_capture_on_commit_callbacks):
    review = upload.files.get(position=1)  # the file says 20 April 2016
    date_staged_file(review, datetime.date(2016, 4, 21))
    reset_staged_file(review)
    review.refresh_from_db()
    assert review.date == datetime.date(2016, 4, 20)

    date_staged_file(review, datetime.date(2016, 4, 21))
    with django_capture_on_commit_callbacks(execute=True):
        store_staged_upload(upload)
    assert Digest.objects.get(file_name=review.name).date == datetime.date(2016, 4, 21)


def test_discarding_the_last_file_discards_the_upload(upload):
    for staged in upload.files.all():
        discard_staged_file(staged)
    assert not StagedUpload.objects.exists()


def test_uploads_expire_after_a_day(upload, seed_path):
    StagedUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    assert not live_uploads().filter(pk=upload.pk).exists()

    stage_upload([InputFile(seed_path.name, seed_path.read_bytes(), None)], date=datetime.date(2014, 11, 26))

    assert not StagedUpload.objects.filter(pk=upload.pk).exists()
    assert StagedFile.objects.count() == 1
