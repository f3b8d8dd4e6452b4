"""manage.py check_index [--fix]: missing, stale and orphaned index entries."""
from io import StringIO

import pytest
from django.core.management import call_command

from digest.models import Entity, Mention, Story
from search.indexing import remove_stories
from search.query import search
from search.results import SearchParams


def check(*args, status=0):
    """The report, after checking the exit status: 0 up to date or fixed, 1 when anything needs fixing."""
    out = StringIO()
    if status:
        with pytest.raises(SystemExit) as exit:
            call_command("check_index", *args, stdout=out)
        assert exit.value.code == status
    else:
        call_command("check_index", *args, stdout=out)
    return out.getvalue()


def test_an_up_to_date_index(indexed_stories):
    assert check().splitlines() == [
        "7 stories in the database, 7 in the index.",
        "0 missing from the index",
        "0 stale in the index",
        "0 in the index without a story (orphans)",
        "The index is up to date.",
    ]


def test_missing_stale_and_orphaned_stories_are_reported_then_fixed(indexed_stories):
    missing = indexed_stories["Envoy Proposes Freeze in Aleppo"]
    remove_stories([missing.pk])
    stale = indexed_stories["Rebels Retake Ma'arrat al-Nu'man Checkpoints"]
    Mention.objects.filter(story=stale, entity__kind=Entity.SOURCE).delete()  # curation without reindexing
    orphan = indexed_stories["Free Army Units Regroup Near Syrian Border"]
    Story.objects.filter(pk=orphan.pk).delete()  # its after-commit removal never runs inside the test's transaction

    report = check(status=1).splitlines()
    assert report[:4] == [
        "6 stories in the database, 6 in the index.",
        f"1 missing from the index: {missing.pk}",
        f"1 stale in the index: {stale.pk}",
        f"1 in the index without a story (orphans): {orphan.pk}",
    ]
    assert report[4] == "Run `manage.py check_index --fix` to repair the index."
    assert search(SearchParams(source=["Reuters"])).total == 4

    assert check("--fix").splitlines()[-1] == "Fixed: indexed 2 stories, removed 1 orphans."
    assert check().splitlines()[-1] == "The index is up to date."
    assert search(SearchParams(source=["Reuters"])).total == 2
    assert search(SearchParams(q="mistura")).total == 1
