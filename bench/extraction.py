"""Score entity extraction on the labelled set and time it.

    .venv/bin/python bench/extraction.py [--set first|archive|all] [--split tuned|heldout|all] [--show-errors]
                                         [--repeat 20] [--only NAME ...]
    .venv/bin/python bench/extraction.py --generated 2000

Reads every digest of the labelled sets through the ingestion readers and splitter,
extracts each story with the extractor built from the shipped data files (no database), and
prints precision, recall and F1 per class (place, actor, source) against the gold labels, how
many actor types are right, whether every seed story is exact, and stories per second on one core.

Each gold file says which split it belongs to: "tuned" (the digests the rules were developed on)
or "heldout" (digests written later to check the rules on text they were not made for). The
held-out figures are the ones that predict how the extractor does on digests nobody has seen,
so `--split all` (the default) prints them apart from the tuned ones, then both together.

There are two labelled sets, scored apart: `first` (tests/fixtures/labelled/, the seed and digests
written in its style) and `archive` (tests/fixtures/labelled_archive/, digests in the style of the
real archive pages: villages, bodies of governments, renamed groups, regional outlets, kunyas).

`--generated N` instead times extraction alone over about N stories of bench/ingest.py's generated
archive (written to var/bench/extraction/), as ingestion reads and splits them: the CPU time per
story that ingestion's extract stage spends, without a database.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.extract import extractor_from_files  # noqa: E402
from digest.ingest.readers import read_document  # noqa: E402
from digest.ingest.splitter import split_digest  # noqa: E402

SETS = {"first": ROOT / "tests" / "fixtures" / "labelled", "archive": ROOT / "tests" / "fixtures" / "labelled_archive"}
CLASSES = ["places", "actors", "sources"]
SPLITS = ["tuned", "heldout"]


def labelled_stories(labelled, split, only=()):
    """(gold file name, gold story, split story) for every labelled story of one split of a set, in order."""
    for gold_path in sorted(labelled.glob("*.json")):
        if only and not any(part in gold_path.name for part in only):
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold["split"] != split:
            continue
        digest_path = (labelled / gold["file"]).resolve()
        digest = split_digest(read_document(digest_path.name, digest_path.read_bytes()))
        by_headline = {story.headline: story for story in digest.stories}
        for gold_story in gold["stories"]:
            yield gold_path.name, gold_story, by_headline[gold_story["headline"]]


def score(extractor, stories):
    """Per class: true positives, found, gold; plus actor types right, and the seed's exact stories."""
    counts = {cls: [0, 0, 0] for cls in CLASSES}
    types_right = types_checked = 0
    errors, seed_exact, seed_total = [], 0, 0
    for file_name, gold, story in stories:
        found = extractor.extract(story.headline, story.paragraphs).as_json()
        exact = True
        for cls in CLASSES:
            want, got = set(gold[cls]), set(found[cls])
            counts[cls][0] += len(want & got)
            counts[cls][1] += len(got)
            counts[cls][2] += len(want)
            if want != got:
                exact = False
                errors.append((file_name, gold["headline"], cls, sorted(want - got), sorted(got - want)))
        for name, actor_type in gold["actors"].items():
            if name in found["actor_types"]:
                types_checked += 1
                types_right += found["actor_types"][name] == actor_type
                if found["actor_types"][name] != actor_type:
                    exact = False
                    errors.append((file_name, gold["headline"], "actor type", [f"{name}: {actor_type}"],
                                   [f"{name}: {found['actor_types'][name]}"]))
        if file_name == "000_seed.json":
            seed_total += 1
            seed_exact += exact
    return counts, (types_right, types_checked), (seed_exact, seed_total), errors


def print_scores(title, extractor, stories):
    """The P/R/F1 table of some labelled stories; their mistakes, for --show-errors."""
    counts, (types_right, types_checked), (seed_exact, seed_total), errors = score(extractor, stories)
    print(f"{title}: {len(stories)} labelled stories in {len(set(s[0] for s in stories))} digests")
    print(f"{'class':<8} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>4} {'found':>5} {'gold':>5}")
    for cls in CLASSES:
        tp, found, gold = counts[cls]
        p = tp / found if found else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{cls[:-1]:<8} {p:6.3f} {r:6.3f} {f1:6.3f}   {tp:4d} {found:5d} {gold:5d}")
    print(f"actor types right: {types_right}/{types_checked}")
    if seed_total:
        print(f"seed stories exactly right: {seed_exact}/{seed_total}")
    print()
    return errors


def time_generated(count):
    """CPU milliseconds per story to extract about `count` generated stories (besides reading and splitting them)."""
    from ingest import fresh_workdir, write_archive  # bench/ingest.py, beside this script when it is run

    _, files = fresh_workdir("extraction")
    write_archive(files, count)
    stories = []
    for path in sorted(path for path in files.rglob("*.md")):
        stories += split_digest(read_document(path.name, path.read_bytes())).stories
    extractor = extractor_from_files()
    for story in stories[:50]:  # the first extraction loads the data files' lazily built parts
        extractor.extract(story.headline, story.paragraphs)
    started = time.process_time()
    for story in stories:
        extractor.extract(story.headline, story.paragraphs)
    cpu = time.process_time() - started
    characters = sum(len(paragraph) for story in stories for paragraph in story.paragraphs)
    print(f"{len(stories)} generated stories ({characters / len(stories):.0f} characters on "
          f"average) extracted in {cpu / len(stories) * 1000:.2f} ms of CPU time each; "
          f"load average {os.getloadavg()[0]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", type=int, metavar="N",
                        help="only time extraction over about N stories of the generated archive")
    parser.add_argument("--show-errors", action="store_true", help="list every missed and spurious entity")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the set for the timing")
    parser.add_argument("--only", nargs="+", default=(), metavar="NAME",
                        help="score only the gold files whose name contains one of these")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all", dest="labelled_set",
                        help="score the first labelled set, the archive-style one, or each apart (default)")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all",
                        help="score the tuned digests, the held-out ones, or each apart and then all (default)")
    args = parser.parse_args()
    if args.generated:
        time_generated(args.generated)
        return

    started = time.perf_counter()
    extractor = extractor_from_files()
    built = time.perf_counter() - started
    splits = SPLITS if args.split == "all" else [args.split]
    sets = list(SETS) if args.labelled_set == "all" else [args.labelled_set]
    stories, errors = [], []
    for name in sets:
        stories_of_set = []
        for split in splits:
            stories_of_split = list(labelled_stories(SETS[name], split, args.only))
            errors += print_scores(f"{name} set, {split}", extractor, stories_of_split)
            stories_of_set += stories_of_split
        if len(splits) > 1:
            print_scores(f"{name} set, all", extractor, stories_of_set)
        stories += stories_of_set

    # CPU time is what one core spends; wall time also counts whatever else the machine runs.
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for _, _, story in stories:
            extractor.extract(story.headline, story.paragraphs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    runs = args.repeat * len(stories)
    print(f"extractor built in {built:.2f} s; {runs / cpu:.0f} stories/s of CPU time on one core, "
          f"{runs / elapsed:.0f} by the wall clock ({args.repeat} passes over {len(stories)} stories)")

    if args.show_errors:
        print()
        for file_name, headline, cls, missed, spurious in errors:
            print(f"{file_name} | {headline[:50]} | {cls}: missed {missed} spurious {spurious}")


if __name__ == "__main__":
    main()
