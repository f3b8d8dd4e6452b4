"""Score the splitter on digests laid out as real archive issues are: stories exact, dates read.

    .venv/bin/python bench/split_score.py [--set archive-heldout|archive-layouts|heldout|all] [--show-errors]

Each digest in a fixture folder has a JSON file beside it saying what an editor expects (see
tests/test_splitter_archive.py). A story counts as exact when a story of the split has its
headline and exactly its paragraphs, each starting as expected; stories the splitter made that
the editor does not expect (front matter, sign-offs, related links) are counted as spurious. A
date counts as read when the file states one and the splitter found that day.

`archive-heldout` (tests/fixtures/archive_issues/heldout/) was written before the front-matter
rules: its figures predict how the splitter does on issues nobody has seen. `archive-layouts`
(tests/fixtures/archive_issues/layouts/) are the fixtures the rules were developed on; `heldout`
is the older held-out set of tests/fixtures/digests/heldout/.
"""
import argparse
import datetime
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.ingest.errors import IngestError  # noqa: E402
from digest.ingest.readers import read_document  # noqa: E402
from digest.ingest.splitter import split_digest  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SETS = {
    "archive-heldout": FIXTURES / "archive_issues" / "heldout",
    "archive-layouts": FIXTURES / "archive_issues" / "layouts",
    "heldout": FIXTURES / "digests" / "heldout",
}


@dataclass
class Score:
    files: int = 0
    stories: int = 0
    exact: int = 0
    spurious: int = 0
    dates: int = 0
    dates_read: int = 0
    reads: int = 0
    reads_exact: int = 0
    errors: list = field(default_factory=list)

    def add(self, other):
        for name in ("files", "stories", "exact", "spurious", "dates", "dates_read", "reads", "reads_exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def line(self, label):
        def share(part, whole):
            return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"

        return (
            f"{label:<16} files {self.files:>3}  stories exact {share(self.exact, self.stories):<16} "
            f"spurious {self.spurious:<3} dates read {share(self.dates_read, self.dates):<16} "
            f"reads exact {share(self.reads_exact, self.reads)}"
        )


def _story_matches(story, wanted):
    starts = wanted["paragraph_starts"]
    return (
        story.headline == wanted["headline"]
        and len(story.paragraphs) == len(starts)
        and all(paragraph.startswith(start) for paragraph, start in zip(story.paragraphs, starts))
    )


def score_file(path):
    """The score of one digest file against the JSON beside it."""
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    score = Score(files=1, stories=len(expected["stories"]), reads=len(expected["reads"]))
    score.dates = 1 if expected["date"] else 0
    try:
        digest = split_digest(read_document(path.name, path.read_bytes()))
    except IngestError as error:
        score.errors.append(f"{path.name}: refused: {error}")
        return score
    matched = set()
    for wanted in expected["stories"]:
        hit = next((i for i, story in enumerate(digest.stories) if i not in matched and _story_matches(story, wanted)), None)
        if hit is None:
            score.errors.append(f"{path.name}: story not exact: {wanted['headline']!r}")
        else:
            matched.add(hit)
            score.exact += 1
    headlines = {wanted["headline"] for wanted in expected["stories"]}
    for i, story in enumerate(digest.stories):
        if i not in matched and story.headline not in headlines:
            score.spurious += 1
            score.errors.append(f"{path.name}: spurious story {story.headline!r} ({len(story.paragraphs)} paragraphs)")
    if expected["date"]:
        if digest.date == datetime.date.fromisoformat(expected["date"]):
            score.dates_read = 1
        else:
            score.errors.append(f"{path.name}: date {digest.date} instead of {expected['date']}")
    got_reads = [(read.outlet, read.title, read.url) for read in digest.recommended_reads]
    for read in expected["reads"]:
        if (read["outlet"], read["title"], read["url"]) in got_reads:
            score.reads_exact += 1
        else:
            score.errors.append(f"{path.name}: read missing: {read}")
    if expected.get("title") and digest.title != expected["title"]:
        score.errors.append(f"{path.name}: title {digest.title!r} instead of {expected['title']!r}")
    for start in expected.get("front_matter_starts", []):
        if not any(part.startswith(start) for part in digest.front_matter):
            score.errors.append(f"{path.name}: front matter lacks {start!r}")
    return score


def score_set(name):
    folder = SETS[name]
    total = Score()
    for path in sorted(folder.iterdir()):
        if path.suffix != ".json" and path.with_suffix(".json").exists():
            total.add(score_file(path))
    return total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        score = score_set(name)
        print(score.line(name))
        if args.show_errors:
            for error in score.errors:
                print("   ", error)


if __name__ == "__main__":
    main()
