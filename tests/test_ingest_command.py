import json
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
