import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digest.models import Digest, Story

pytestmark = pytest.mark.django_db


def run_ingest(capsys, *args):
    """Run `ingest`; returns (exit status, stdout, stderr)."""
    try:
        call_command("ingest", *args)
        status = 0
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def test_dry_run_json_gives_the_split_digest_and_stores_nothing(capsys, seed_path):
    status, out, _ = run_ingest(capsys, "--dry-run", "--json", "--date", "2014-11-26", str(seed_path))

    assert status == 0
    report = json.loads(out)
    (digest,) = report["digests"]
    assert digest["file"] == str(seed_path)
    assert digest["status"] == "parsed"
    assert digest["error"] is None
    assert digest["date"] == "2014-11-26"
    assert [len(s["paragraphs"]) for s in digest["stories"]] == [6, 8, 8]
    assert digest["stories"][1]["headline"] == "Proposal for Refugee ‘Safe Zones’ Gains Traction"
    assert digest["recommended_reads"][0] == {
        "outlet": "Deutsche Welle",
        "title": "Syria Looks to Moscow for Help",
        "url": None,
    }
    for story in digest["stories"]:
        assert set(story) >= {"headline", "paragraphs", "places", "actors", "sources", "actor_types"}
    assert Digest.objects.count() == 0


def test_ingest_stores_and_reports_a_summary(capsys, seed_path):
    status, out, _ = run_ingest(capsys, "--date", "2014-11-26", str(seed_path))
    assert status == 0
    assert "created: 2014-11-26" in out
    assert "(3 stories, 6 recommended reads)" in out
    assert out.strip().endswith("1 file: 1 created")
    assert Story.objects.count() == 3


def test_duplicates_exit_zero_and_errors_exit_one(capsys, tmp_path, fixtures_dir, seed_path):
    shutil.copy(seed_path, tmp_path / "seed.txt")
    shutil.copy(fixtures_dir / "service" / "undated.txt", tmp_path / "undated.txt")
    run_ingest(capsys, "--date", "2014-11-26", str(seed_path))

    status, out, err = run_ingest(capsys, str(tmp_path / "seed.txt"))
    assert status == 0
    assert "duplicate" in out

    status, out, err = run_ingest(capsys, "--date", "2014-11-26", str(tmp_path))
    assert status == 1
    assert "undated.txt: error:" in err
    assert "2 files: 1 duplicate, 1 error" in out


def test_json_reports_errors_with_their_reason(capsys, fixtures_dir):
    status, out, _ = run_ingest(capsys, "--json", str(fixtures_dir / "service" / "empty.txt"))
    assert status == 1
    (digest,) = json.loads(out)["digests"]
    assert digest["status"] == "error"
    assert "empty" in digest["error"]


def test_a_bad_date_option_is_refused():
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("ingest", "--date", "26/11/2014", "seeds/")


def test_a_path_with_no_files_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no files found"):
        call_command("ingest", str(tmp_path))


def test_dry_run_prints_the_flags_of_a_doubtful_split(capsys, fixtures_dir, seed_path):
    review = fixtures_dir / "review" / "2016-04-20-geneva-walkout.md"
    status, out, _ = run_ingest(capsys, "--dry-run", "--date", "2014-11-26", str(review), str(seed_path))

    assert status == 0
    assert out.splitlines() == [
        f"{review}: parsed: 2016-04-20 Syria Daily Digest, 20 April 2016 (4 stories, 2 recommended reads, 4 flags)",
        "  flag: story 1: opens like the issue's intro (“In This Issue”): front matter, not a story? [In This Issue]",
        "  flag: story 1: one paragraph only: a story cut short by a line taken for a headline, or a block that is "
        "no story? [In This Issue]",
        "  flag: story 2, paragraph 4: reads like a headline: the start of a story the split missed? "
        "[Airstrikes on Markets in Idlib Province Kill Dozens]",
        "  flag: story 3: one paragraph only: a story cut short by a line taken for a headline, or a block that is "
        "no story? [Aid Convoy Reaches Besieged Madaya]",
        f"{seed_path}: parsed: 2014-11-26 Syria Daily Digest, 26 November 2014 (3 stories, 6 recommended reads)",
        "2 files: 2 parsed",
    ]


def test_dry_run_json_gives_the_flags(capsys, fixtures_dir, seed_path):
    review = fixtures_dir / "review" / "2016-04-20-geneva-walkout.md"
    _, out, _ = run_ingest(capsys, "--dry-run", "--json", "--date", "2014-11-26", str(review), str(seed_path))

    flagged, seed = json.loads(out)["digests"]
    assert [(f["kind"], f["story"], f["paragraph"]) for f in flagged["flags"]] == [
        ("leftover_intro", 1, None), ("one_paragraph", 1, None), ("headline_like_paragraph", 2, 4),
        ("one_paragraph", 3, None),
    ]
    assert seed["flags"] == []


def test_an_empty_archive_is_a_row_of_its_own_and_exits_one(capsys, tmp_path, seed_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "empty.zip", "w"):
        pass
    status, out, err = run_ingest(capsys, "--date", "2014-11-26", str(seed_path), str(tmp_path / "empty.zip"))
    assert status == 1
    assert f"{tmp_path / 'empty.zip'}: error: the archive holds nothing to ingest: no files" in err
    assert out.strip().endswith("2 files: 1 created, 1 error")


# -- ingest --jobs N: parsing in worker processes


def test_workers_give_what_one_process_gives_in_the_same_order(capsys, tmp_path, fixtures_dir):
    for path in (fixtures_dir / "digests").iterdir():
        if path.is_file():  # text, Markdown, HTML and e-mail digests
            shutil.copy(path, tmp_path / path.name)
    one = run_ingest(capsys, "--jobs", "0", "--dry-run", "--json", str(tmp_path))
    two = run_ingest(capsys, "--jobs", "2", "--dry-run", "--json", str(tmp_path))

    assert one[0] == two[0] == 0
    assert json.loads(one[1]) == json.loads(two[1])
    names = [d["file"] for d in json.loads(two[1])["digests"]]
    assert len(names) >= 10 and names == sorted(names)


def test_workers_store_every_file_and_report_it_in_input_order(capsys, tmp_path, fixtures_dir, seed_path):
    for path in sorted((fixtures_dir / "digests").glob("[0-9]*.txt"))[:4]:
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(fixtures_dir / "service" / "empty.txt", tmp_path / "2015-00-empty.txt")

    status, out, err = run_ingest(capsys, "--jobs", "2", str(tmp_path))

    assert status == 1
    reported = [line.split(": ")[0] for line in out.splitlines()[:-1]]
    assert reported == [str(p) for p in sorted(tmp_path.iterdir()) if p.name != "2015-00-empty.txt"]
    assert "2015-00-empty.txt: error:" in err
    assert out.strip().endswith("5 files: 4 created, 1 error")
    assert Digest.objects.count() == 4


def crash_on_poison(item, date):
    """What a worker runs in the test below: it dies on one file, as on a crash in C code."""
    import os

    from digest.ingest.worker import parse_in_worker

    if "poison" in item.name:
        os._exit(70)
    return parse_in_worker(item, date)


def test_a_worker_that_dies_costs_only_the_file_it_was_reading(fixtures_dir):
    from digest.ingest.parallel import ingest_in_workers
    from digest.ingest.sources import InputFile

    paths = sorted((fixtures_dir / "digests").glob("[0-9]*.txt"))[:4]
    items = [InputFile(path.name, path.read_bytes()) for path in paths]
    items.insert(2, InputFile("poison.txt", paths[0].read_bytes().replace(b"Syria", b"Syrie")))

    outcomes = list(ingest_in_workers(items, jobs=2, parse=crash_on_poison))

    assert [(o.file, o.status) for o in outcomes] == [
        (items[0].name, "created"), (items[1].name, "created"), ("poison.txt", "error"),
        (items[3].name, "created"), (items[4].name, "created"),
    ]
    assert outcomes[2].error == "the worker process reading it died; nothing was stored"
    assert Digest.objects.count() == 4


def test_a_bad_jobs_option_is_refused():
    with pytest.raises(CommandError, match="--jobs must be a number of worker processes"):
        call_command("ingest", "--jobs", "-1", "seeds/")


# -- ingest --jobs N: the index follows from a process of its own


def copy_digests(fixtures_dir, folder, count=4):
    for path in sorted((fixtures_dir / "digests").glob("[0-9]*.txt"))[:count]:
        shutil.copy(path, folder / path.name)


def indexed_story_ids():
    from haystack.query import SearchQuerySet

    return {int(result.pk) for result in SearchQuerySet().models(Story).all()}


@pytest.mark.django_db(transaction=True)
def test_with_workers_every_story_stored_is_indexed_by_the_indexing_process(capsys, tmp_path, fixtures_dir, fresh_index):
    copy_digests(fixtures_dir, tmp_path)

    status, out, err = run_ingest(capsys, "--jobs", "1", "--verbosity", "2", str(tmp_path))

    assert status == 0, err
    assert "stage index" in err and "in a process of its own" in err
    # Each stage's CPU time is what the thread doing it spent: in the worker, in this process
    # and in the indexer, which only those processes can measure and report back.
    table = stage_table(err)
    for stage in ("read and split", "extract", "store", "index"):
        seconds, cpu = table[stage]
        assert 0 < cpu <= seconds + 0.05, (stage, seconds, cpu)
    whole_seconds, whole_cpu = table["whole run"]
    assert whole_cpu >= sum(cpu for stage, (_, cpu) in table.items() if stage != "whole run")
    assert re.search(r"[\d.]+ cores busy, [\d.]+ ms of CPU a story", err)
    # One batch at the end, reported once the indexing process has taken it.
    assert re.findall(r"^index: a batch of (\d+) stories done$", out, flags=re.MULTILINE) == [str(Story.objects.count())]
    assert Digest.objects.count() == 4
    assert indexed_story_ids() == set(Story.objects.values_list("pk", flat=True))
    assert not Digest.objects.filter(index_pending=True).exists()


@pytest.mark.django_db(transaction=True)
def test_each_index_batch_is_reported_as_it_is_done_and_never_into_json(capsys, tmp_path, fixtures_dir, fresh_index,
                                                                         monkeypatch):
    copy_digests(fixtures_dir, tmp_path)
    monkeypatch.setattr("digest.signals.BATCH_STORIES", 1)  # a batch per file

    status, out, err = run_ingest(capsys, "--jobs", "0", "--verbosity", "2", str(tmp_path))

    assert status == 0, err
    batches = [int(n) for n in re.findall(r"^index: a batch of (\d+) stories done$", out, flags=re.MULTILINE)]
    assert batches == [digest.stories.count() for digest in Digest.objects.order_by("pk")]
    assert indexed_story_ids() == set(Story.objects.values_list("pk", flat=True))

    Digest.objects.all().delete()
    status, out, err = run_ingest(capsys, "--jobs", "0", "--verbosity", "2", "--json", str(tmp_path))
    assert status == 0, err
    assert len(json.loads(out)["digests"]) == 4


def stage_table(err):
    """{stage: (seconds, CPU seconds)} from the stage table `ingest -v 2` prints."""
    rows = re.findall(r"^stage ([a-z ]+?) +([\d.]+) +([\d.]+) ", err, flags=re.MULTILINE)
    return {name: (float(seconds), float(cpu)) for name, seconds, cpu in rows}


def die_indexing(story_ids, using):
    """What the indexing process runs in the test below: it dies, as when the kernel kills it."""
    import os

    os._exit(70)


def die_indexing_once(story_ids, using):
    """What the indexing processes run in the test below: the first dies, the next index."""
    import os
    from pathlib import Path

    from digest.ingest.worker import announce_in_worker

    marker = Path(os.environ["INDEXER_DIED_MARKER"])
    if not marker.exists():
        marker.touch()
        os._exit(70)
    return announce_in_worker(story_ids, using)


@pytest.mark.django_db(transaction=True)
def test_an_indexing_process_that_dies_is_replaced_and_the_run_ends_with_every_story_indexed(
        capsys, monkeypatch, tmp_path, fixtures_dir, fresh_index):
    digests = tmp_path / "digests"
    digests.mkdir()
    copy_digests(fixtures_dir, digests)
    monkeypatch.setenv("INDEXER_DIED_MARKER", str(tmp_path / "died"))  # spawned processes inherit it
    monkeypatch.setattr("digest.ingest.indexer.announce_in_worker", die_indexing_once)
    monkeypatch.setattr("digest.signals.BATCH_STORIES", 1)  # a batch per file: the first dies, three follow

    status, out, err = run_ingest(capsys, "--jobs", "1", str(digests))

    assert (tmp_path / "died").exists()
    assert status == 0, err
    assert "4 files: 4 created" in out
    assert "not in the search index" not in err
    assert indexed_story_ids() == set(Story.objects.values_list("pk", flat=True))
    assert not Digest.objects.filter(index_pending=True).exists()


@pytest.mark.django_db(transaction=True)
def test_an_indexing_process_that_dies_again_loses_nothing_and_the_next_ingest_indexes_the_rest(
        capsys, monkeypatch, tmp_path, fixtures_dir, fresh_index):
    copy_digests(fixtures_dir, tmp_path)
    monkeypatch.setattr("digest.ingest.indexer.announce_in_worker", die_indexing)

    status, out, err = run_ingest(capsys, "--jobs", "1", str(tmp_path))

    assert status == 1
    assert "4 files: 4 created" in out
    assert "4 of the digests stored are not in the search index yet" in err
    assert indexed_story_ids() == set()

    monkeypatch.undo()
    status, out, err = run_ingest(capsys, "--jobs", "1", str(tmp_path))

    assert status == 0, err
    stories = set(Story.objects.values_list("pk", flat=True))
    assert f"Indexed {len(stories)} stories that an interrupted run had stored but not indexed." in out
    assert "4 files: 4 duplicate" in out
    assert indexed_story_ids() == stories
    assert not Digest.objects.filter(index_pending=True).exists()
