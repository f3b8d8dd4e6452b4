import datetime

import pytest

from digest.ingest import service
from digest.ingest.service import CREATED, DUPLICATE, ERROR, PARSED, REPLACED, ingest_input, ingest_inputs
from digest.ingest.sources import InputFile
from digest.models import Digest, Mention, RecommendedRead, Story

SEED_DATE = datetime.date(2014, 11, 26)
pytestmark = pytest.mark.django_db


def input_file(path):
    return InputFile(path.name, path.read_bytes(), None)


def counts():
    return Digest.objects.count(), Story.objects.count(), RecommendedRead.objects.count(), Mention.objects.count()


def test_seed_becomes_a_digest_with_three_stories_and_six_reads(seed_path):
    outcome = ingest_input(input_file(seed_path), date=SEED_DATE)

    assert outcome.status == CREATED
    digest = Digest.objects.get()
    assert digest.date == SEED_DATE
    assert digest.file_name == seed_path.name
    assert digest.source_text == seed_path.read_text(encoding="utf-8")
    assert [(s.position, len(s.paragraphs)) for s in digest.stories.all()] == [(1, 6), (2, 8), (3, 8)]
    assert digest.stories.first().headline == (
        "Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"
    )
    reads = [(r.outlet, r.title) for r in digest.recommended_reads.all()]
    assert len(reads) == 6
    assert reads[2] == ("Daily Star", "Safe Zones in Syria: A Humanitarian Zone in Qusair")
    assert Mention.objects.filter(story__digest=digest).exists()


def test_same_bytes_twice_is_a_duplicate_and_creates_nothing(seed_path):
    ingest_input(input_file(seed_path), date=SEED_DATE)
    before = counts()

    again = ingest_input(input_file(seed_path), date=SEED_DATE)

    assert again.status == DUPLICATE
    assert again.digest == Digest.objects.get()
    assert counts() == before


def test_a_different_file_for_a_stored_day_needs_replace(fixtures_dir):
    ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"))
    before = counts()

    refused = ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest-corrected.txt"))

    assert refused.status == ERROR
    assert "already stored" in refused.error and "--replace" in refused.error
    assert counts() == before


def test_replace_swaps_the_contents_of_the_same_digest(fixtures_dir):
    first = ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"))
    old_story_ids = set(Story.objects.values_list("pk", flat=True))

    replaced = ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest-corrected.txt"), replace=True)

    assert replaced.status == REPLACED
    digest = Digest.objects.get()
    assert digest.pk == first.digest.pk
    assert digest.file_name == "2014-12-03-digest-corrected.txt"
    assert [s.headline for s in digest.stories.all()][-1] == "Kurdish Fighters Push Back ISIS in Kobani"
    assert "At least 42 people" in digest.stories.first().body
    assert not old_story_ids & set(Story.objects.values_list("pk", flat=True))
    assert digest.recommended_reads.count() == 2
    # The stored text is the new file's; the issue keeps the moment it was first stored.
    assert "At least 42 people" in digest.source_text and "At least 42 people" not in first.digest.source_text
    assert digest.ingested_at == first.digest.ingested_at


def test_date_comes_from_the_file_before_the_explicit_date(fixtures_dir):
    outcome = ingest_input(
        input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"), date=datetime.date(2001, 1, 1)
    )
    assert outcome.date == datetime.date(2014, 12, 3)


def test_date_falls_back_to_an_iso_date_in_the_file_name(fixtures_dir):
    data = (fixtures_dir / "service" / "undated.txt").read_bytes()
    outcome = ingest_input(InputFile("digest-2015-02-14.txt", data, None))
    assert outcome.status == CREATED
    assert Digest.objects.get().date == datetime.date(2015, 2, 14)


def test_no_date_anywhere_is_an_error_and_saves_nothing(fixtures_dir):
    outcome = ingest_input(input_file(fixtures_dir / "service" / "undated.txt"))
    assert outcome.status == ERROR
    assert "no publication date" in outcome.error
    assert counts() == (0, 0, 0, 0)


def test_a_broken_file_in_a_batch_is_skipped_and_the_rest_stored(fixtures_dir, seed_path):
    batch = [
        InputFile("listed.txt", None, "a member path leaves the archive"),
        input_file(fixtures_dir / "service" / "empty.txt"),
        input_file(seed_path),
        input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"),
    ]

    outcomes = list(ingest_inputs(batch, date=SEED_DATE))

    assert [o.status for o in outcomes] == [ERROR, ERROR, CREATED, CREATED]
    assert outcomes[0].error == "a member path leaves the archive"
    assert "empty" in outcomes[1].error
    assert Digest.objects.count() == 2


def test_a_failure_while_storing_leaves_nothing_half_saved(seed_path, monkeypatch):
    def fail(stories, founds, **options):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "save_digest_mentions", fail)
    outcome = ingest_input(input_file(seed_path), date=SEED_DATE)
    assert outcome.status == ERROR
    assert outcome.error == "unexpected failure, nothing was stored (RuntimeError: disk full)"
    assert counts() == (0, 0, 0, 0)


def test_dry_run_parses_and_stores_nothing(seed_path):
    outcome = ingest_input(input_file(seed_path), date=SEED_DATE, dry_run=True)
    assert outcome.status == PARSED
    assert len(outcome.split.stories) == 3
    assert counts() == (0, 0, 0, 0)


def test_untitled_digest_gets_a_title_from_newsletter_and_date(seed_path, settings):
    settings.DEFAULT_NEWSLETTER = "Syria Daily Digest"
    ingest_input(input_file(seed_path), date=SEED_DATE)
    assert Digest.objects.get().title == "Syria Daily Digest, 26 November 2014"


def search_headlines(q):
    from search.query import search
    from search.results import SearchParams

    return [hit.headline for hit in search(SearchParams(q=q)).hits]


def test_stories_are_searchable_once_the_digest_commits(seed_path, fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_input(input_file(seed_path), date=SEED_DATE)
    assert search_headlines("Fabius") == ["Proposal for Refugee ‘Safe Zones’ Gains Traction"]


def test_replacing_a_digest_replaces_its_stories_in_the_index(
    fixtures_dir, fresh_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"))
    with django_capture_on_commit_callbacks(execute=True):
        ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest-corrected.txt"), replace=True)
    assert search_headlines("Kobani") == ["Kurdish Fighters Push Back ISIS in Kobani"]
    assert sorted(search_headlines("Aleppo")) == [
        "Can a Freeze in Aleppo Hold?",
        "Regime Barrel Bombs Kill Dozens in Aleppo's Eastern Districts",
    ]
    assert search_headlines("42") == ["Regime Barrel Bombs Kill Dozens in Aleppo's Eastern Districts"]


def test_a_batch_is_indexed_together_at_its_end(fixtures_dir, seed_path, fresh_index, django_capture_on_commit_callbacks):
    from digest.signals import batched_changes

    with batched_changes():
        with django_capture_on_commit_callbacks(execute=True):
            ingest_input(input_file(seed_path), date=SEED_DATE)
        assert search_headlines("Fabius") == []  # not yet: the batch commits to the index once
    assert search_headlines("Fabius") == ["Proposal for Refugee ‘Safe Zones’ Gains Traction"]


def test_a_search_engine_failure_keeps_the_stored_digest(
    seed_path, fresh_index, monkeypatch, django_capture_on_commit_callbacks
):
    def engine_down(story_ids, using="default"):
        raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("search.indexing.update_stories", engine_down)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ingest_input(input_file(seed_path), date=SEED_DATE)
    assert outcome.status == CREATED
    assert Story.objects.count() == 3


ARCHIVE_PAGE_COPY = """Dear Deeply Readers,

Welcome to the archive of our publication, kept online as a public record.

Executive Summary for December 24th

To give you an overview of the day, we have gathered the main developments in one summary.

Published on Dec. 24, 2013 Read time Approx. 2 minutes

Air Raids on Aleppo Continue

Activists reported dozens of civilians dead as helicopter raids on Aleppo went on for an eighth day.

The government wants to gain ground before the peace conference, analysts said.

Iraq Closes Its Border With Syria

Iraq closed the al-Qaim crossing on Tuesday as its army pursued militants in Anbar province.
""".encode()


def test_front_matter_becomes_the_title_and_intro_never_a_story():
    outcome = ingest_input(InputFile("es-page.txt", ARCHIVE_PAGE_COPY, None))

    assert outcome.status == CREATED, outcome.error
    digest = Digest.objects.get()
    assert digest.date == datetime.date(2013, 12, 24)
    assert digest.title == "Executive Summary for December 24th"
    assert digest.intro.split("\n\n") == [
        "Dear Deeply Readers,",
        "Welcome to the archive of our publication, kept online as a public record.",
        "To give you an overview of the day, we have gathered the main developments in one summary.",
        "Published on Dec. 24, 2013 Read time Approx. 2 minutes",
    ]
    assert [s.headline for s in digest.stories.all()] == ["Air Raids on Aleppo Continue", "Iraq Closes Its Border With Syria"]


def test_a_digest_titled_with_an_iso_date_takes_that_date():
    data = b"Digest for 2015-04-20\n\nRebels Take a Town\n\nRebels took the town on Sunday, monitors said.\n"
    outcome = ingest_input(InputFile("digest.txt", data, None))

    assert outcome.status == CREATED, outcome.error
    assert Digest.objects.get().date == datetime.date(2015, 4, 20)


def test_a_yearless_title_date_takes_its_year_from_the_given_date():
    data = b"Executive Summary for December 31st\n\nRebels Take a Town\n\nRebels took the town on Sunday, monitors said.\n"
    outcome = ingest_input(InputFile("digest.txt", data, None), date=datetime.date(2014, 1, 1))

    assert outcome.status == CREATED, outcome.error
    assert Digest.objects.get().date == datetime.date(2013, 12, 31)  # the issue's own day, in the year before


@pytest.mark.parametrize(
    ("data", "date", "found"),
    [
        (b"Published on Dec. 24, 2104\n\nRebels Take a Town\n\nRebels took the town, monitors said.\n", None, "2104-12-24"),
        (b"December 24, 1913\n\nRebels Take a Town\n\nRebels took the town, monitors said.\n", None, "1913-12-24"),
        (b"Rebels Take a Town\n\nRebels took the town, monitors said.\n", datetime.date(2099, 1, 1), "2099-01-01"),
    ],
)
def test_an_implausible_date_is_refused_naming_it(data, date, found):
    outcome = ingest_input(InputFile("digest.txt", data, None), date=date)

    assert outcome.status == ERROR
    assert "implausible publication date" in outcome.error and found in outcome.error
    assert counts() == (0, 0, 0, 0)


# -- one issue, one digest


def test_a_file_that_names_no_newsletter_belongs_to_the_default_one(seed_path, settings):
    settings.DEFAULT_NEWSLETTER = "Syria Daily Digest"
    ingest_input(input_file(seed_path), date=SEED_DATE)
    assert Digest.objects.get().newsletter == "Syria Daily Digest"


@pytest.mark.parametrize("first", ["txt", "eml"])
def test_the_same_issue_in_another_format_is_a_duplicate(first, seed_path, fixtures_dir):
    # The .eml names its newsletter (From: Syria Deeply), has straight quotes where the text
    # file has curly ones, and its paragraphs come from HTML: the same stories all the same.
    files = {"txt": input_file(seed_path), "eml": input_file(fixtures_dir / "service" / "2014-11-26-syria-deeply.eml")}
    second = "eml" if first == "txt" else "txt"
    stored = ingest_input(files[first], date=SEED_DATE)
    before = counts()

    again = ingest_input(files[second], date=SEED_DATE)

    assert again.status == DUPLICATE
    assert again.error.startswith(f"same stories as digest {stored.digest.pk} (2014-11-26, ")
    assert again.digest == stored.digest
    assert counts() == before


def test_replace_puts_the_other_format_in_place_of_the_stored_copy(seed_path, fixtures_dir, settings):
    settings.DEFAULT_NEWSLETTER = "Syria Daily Digest"
    stored = ingest_input(input_file(seed_path), date=SEED_DATE)

    replaced = ingest_input(input_file(fixtures_dir / "service" / "2014-11-26-syria-deeply.eml"), replace=True)

    assert replaced.status == REPLACED
    digest = Digest.objects.get()
    assert digest.pk == stored.digest.pk
    assert (digest.newsletter, digest.source_format, digest.file_name) == (
        "Syria Deeply", "email", "2014-11-26-syria-deeply.eml")
    assert digest.stories.count() == 3


def test_a_copy_with_other_stories_is_not_a_duplicate(seed_path, fixtures_dir):
    eml = (fixtures_dir / "service" / "2014-11-26-syria-deeply.eml").read_bytes()
    edited = eml.replace(b"At least 63 people", b"At least 64 people")
    assert edited != eml
    ingest_input(input_file(seed_path), date=SEED_DATE)

    other = ingest_input(InputFile("edited.eml", edited, None))

    assert other.status == CREATED
    assert Digest.objects.count() == 2


def test_a_copy_stored_while_this_one_was_parsed_is_a_duplicate(seed_path):
    """What a second process sees when the first stored the same file between its check and its
    store (on SQLite it waits for the first's transaction, then asks again)."""
    item = input_file(seed_path)
    assert service.check_input(item) is None
    parsed = service.parse_input(item, date=SEED_DATE)
    first = ingest_input(input_file(seed_path), date=SEED_DATE)

    second = service.store_parsed(item, parsed)

    assert (first.status, second.status) == (CREATED, DUPLICATE)
    assert "already ingested" in second.error
    assert Digest.objects.count() == 1


# -- interrupted runs: what the index has not caught up with


def test_a_digest_is_pending_indexing_until_its_stories_are_indexed(
    seed_path, fresh_index, django_capture_on_commit_callbacks
):
    from digest.signals import batched_changes

    with batched_changes():
        with django_capture_on_commit_callbacks(execute=True):
            ingest_input(input_file(seed_path), date=SEED_DATE)
        assert Digest.objects.get().index_pending  # stored; the batch has not reached the index
    assert not Digest.objects.get().index_pending


def test_digests_an_interrupted_run_left_unindexed_are_indexed(seed_path, fixtures_dir, fresh_index):
    from digest.signals import announce_unindexed

    # No commit callbacks run: as when the process was killed before its batch was indexed.
    ingest_input(input_file(seed_path), date=SEED_DATE)
    ingest_input(input_file(fixtures_dir / "service" / "2014-12-03-digest.txt"))
    assert search_headlines("Fabius") == []

    assert announce_unindexed() == Story.objects.count()

    assert search_headlines("Fabius") == ["Proposal for Refugee ‘Safe Zones’ Gains Traction"]
    assert not Digest.objects.filter(index_pending=True).exists()
    assert announce_unindexed() == 0


def test_the_sites_navigation_above_the_title_is_not_the_issues_intro():
    page = b"Syria Deeply\nExecutive Summaries\nArticles\nOp-Eds\n\n" + ARCHIVE_PAGE_COPY
    outcome = ingest_input(InputFile("es-page.txt", page, None))

    assert outcome.status == CREATED, outcome.error
    digest = Digest.objects.get()
    assert digest.title == "Executive Summary for December 24th"
    assert digest.intro.split("\n\n") == [
        "Dear Deeply Readers,",
        "Welcome to the archive of our publication, kept online as a public record.",
        "To give you an overview of the day, we have gathered the main developments in one summary.",
        "Published on Dec. 24, 2013 Read time Approx. 2 minutes",
    ]
    assert "Op-Eds" in digest.source_text  # kept verbatim for provenance


def test_storing_a_parsed_file_takes_a_fixed_number_of_statements(seed_path, django_assert_num_queries):
    """Within the test's savepoint: one read of the digests a file can clash with, the digest, its
    stories, its reads, one entity lookup (two more here, creating the places the registry lacks,
    whose ids the insert returns), the mentions, signatures and band keys, and one query for the
    near-duplicate candidates."""
    Digest.objects.create(date=datetime.date(2014, 11, 25), title="The day before", file_name="before.txt",
                          sha256="1" * 64, source_text="")
    item = input_file(seed_path)
    parsed = service.parse_input(item, date=SEED_DATE)
    with django_assert_num_queries(13):
        assert service.store_parsed(item, parsed).status == CREATED
