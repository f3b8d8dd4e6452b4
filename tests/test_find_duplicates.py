"""manage.py find_duplicates: signs the stories stored without a signature and links them; a
second run finds nothing to do; -v 2 lists the pairs; --all signs everything again."""
from io import StringIO

import pytest
from django.core.management import call_command

from digest.duplicates.signature import VERSION
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import NearDuplicate, StorySignature

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsigned_archive(fixtures_dir, fresh_index, settings, django_capture_on_commit_callbacks):
    """Two digests stored with linking at ingest off, as an archive from before this feature."""
    settings.NEAR_DUPLICATES_AT_INGEST = False
    for name in ("2015-01-20-first-day.md", "2015-01-21-next-day.md"):
        path = fixtures_dir / "near_duplicates" / name
        with django_capture_on_commit_callbacks(execute=True):
            assert ingest_input(InputFile(path.name, path.read_bytes(), None)).status == "created"
    settings.NEAR_DUPLICATES_AT_INGEST = True


def run(*args, verbosity=1):
    out = StringIO()
    call_command("find_duplicates", *args, verbosity=verbosity, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_finds_the_pairs_of_an_unsigned_archive_and_is_idempotent(unsigned_archive):
    assert run() == (
        "Signed 8 stories (0 too short to tell); found 3 pairs of near-duplicates.\n"
        "The archive has 3 pairs of near-duplicates, among 6 stories.\n"
    )
    assert NearDuplicate.objects.count() == 6
    assert run() == (
        "Nothing to sign: every story has a signature.\n"
        "The archive has 3 pairs of near-duplicates, among 6 stories.\n"
    )


def test_small_batches_find_the_same_pairs(unsigned_archive):
    run("--batch-size", "3")
    batched = sorted(NearDuplicate.objects.values_list("story_id", "other_id", "similarity"))
    NearDuplicate.objects.all().delete()
    StorySignature.objects.all().delete()
    run("--batch-size", "1000")
    assert sorted(NearDuplicate.objects.values_list("story_id", "other_id", "similarity")) == batched
    assert len(batched) == 6


def test_all_signs_every_story_again_and_keeps_the_same_links(unsigned_archive):
    run()
    before = sorted(NearDuplicate.objects.values_list("story_id", "other_id"))
    assert run("--all") == (
        "Signed 8 stories (0 too short to tell); found 3 pairs of near-duplicates.\n"
        "The archive has 3 pairs of near-duplicates, among 6 stories.\n"
    )
    assert sorted(NearDuplicate.objects.values_list("story_id", "other_id")) == before


def test_an_older_signature_version_is_signed_again(unsigned_archive):
    run()
    StorySignature.objects.filter(story__headline__startswith="Mosul Dam").update(version=VERSION - 1)
    assert run() == (
        "Signed 1 story (0 too short to tell); found 1 pair of near-duplicates.\n"
        "The archive has 3 pairs of near-duplicates, among 6 stories.\n"
    )


def test_verbosity_two_lists_each_pair_and_zero_is_silent(unsigned_archive):
    out = run(verbosity=2)
    assert "2015-01-20) Engineers Warn Mosul Dam Could Fail Within Months\n" in out
    assert "2015-01-21) Mosul Dam at Risk of Collapse, US Engineers Tell Baghdad\n" in out
    assert out.count("(2015-01-20)") == 3 and out.count("(2015-01-21)") == 3
    StorySignature.objects.all().delete()
    assert run(verbosity=0) == ""
