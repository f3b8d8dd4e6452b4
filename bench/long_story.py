"""Time the extraction of one very long story.

    .venv/bin/python bench/long_story.py [--megabytes 3] [--repeat 1] [--steps]

Writes a plain-text digest holding a single story of about the given size to var/bench/long_story/
(a date line, a headline, then paragraphs of at least 200 characters a line, so that 3 MB stay
within the 20,000-line limit): the labelled set's paragraphs, in turn with paragraphs that
introduce people, places and organisations no table knows (a new name every few sentences, as a
long report or transcript has them). Reads and splits it as ingestion does, checks it is one story,
then extracts it with the extractor over the shipped data files and prints the time of each part.
Extraction must be linear in the story's length: the figure for 3 MB is meant to stay under 5 s.
--steps also prints the CPU time of each step of the pipeline.
"""
import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from ingest import fresh_workdir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.memory import collection_paused  # noqa: E402
from digest.extract import extractor_from_files  # noqa: E402
from digest.extract.document import StoryDoc  # noqa: E402
from digest.ingest.readers import read_document  # noqa: E402
from digest.ingest.splitter import split_digest  # noqa: E402

MIN_LINE_CHARS = 200
LABELLED = ROOT / "tests" / "fixtures" / "labelled"
SYLLABLES = ["ra", "qa", "da", "ma", "ha", "ka", "za", "la", "ba", "ta", "sha", "na", "ya", "wa", "fa", "ja",
             "ri", "mi", "ni", "si", "li", "di", "bu", "ru", "mu", "ku", "zu", "hu", "dar", "mar", "sal", "kar"]
FIRST_NAMES = ["Ahmad", "Mohammed", "Rami", "Walid", "Laurent", "John", "Sergei", "Salim", "Hassan", "Omar",
               "Riad", "Khaled", "Yusuf", "Hadi", "Nour", "Leila", "Abu", "Maria", "Anna", "David"]
# Each introduces new names the way news text does, so the discovery steps find them.
INTRODUCTIONS = [
    "{person}, a spokesman for the {org}, said fighting near the town of {place} had displaced thousands, "
    "Reuters reports.",
    "\u201cWe cannot reach the wounded,\u201d said {person} of the {org}. Aid workers in {place} province "
    "said {surname} had asked for a corridor.",
    "Rebels shelled the village of {place}, a local activist, {person}, told AFP. {surname} said the "
    "{org} had withdrawn.",
    "The aid group {org} said its convoy was stopped outside {place}, according to the Associated Press.",
    "Foreign Minister {person} met the envoy in Geneva; {surname} later said the {place} crossing must reopen.",
]


def new_name(rng, words):
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(words))


def labelled_paragraphs():
    """Every story paragraph of the labelled digests, read and split as ingestion does."""
    paragraphs = []
    for gold_path in sorted(LABELLED.glob("*.json")):
        digest_path = (LABELLED / json.loads(gold_path.read_text(encoding="utf-8"))["file"]).resolve()
        for story in split_digest(read_document(digest_path.name, digest_path.read_bytes())).stories:
            paragraphs += story.paragraphs
    return paragraphs


def write_story(path, size, seed=3):
    """A one-story plain-text digest of about `size` characters."""
    rng = random.Random(seed)
    real = labelled_paragraphs()
    lines = ["March 15, 2016", "The War in Syria, Five Years On: A Complete Record"]
    line, length, paragraphs = "", 0, 0
    while length < size:
        if paragraphs % 3 == 2:
            person = f"{rng.choice(FIRST_NAMES)} {new_name(rng, 1)}"
            text = rng.choice(INTRODUCTIONS).format(
                person=person, surname=person.split()[-1], place=new_name(rng, 1),
                org=f"{new_name(rng, 1)} {rng.choice(['Brigade', 'Relief Committee', 'Front', 'Council'])}",
            )
        else:
            text = real[paragraphs % len(real)]
        line = f"{line} {text}" if line else text
        if len(line) >= MIN_LINE_CHARS:
            lines.append(line)
            length, line = length + len(line) + 1, ""
        paragraphs += 1
    path.write_text("\n".join([*lines, line]), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=1, help="extractions to time (the best is printed)")
    parser.add_argument("--steps", action="store_true", help="print the CPU time of each step too")
    args = parser.parse_args()

    work, _ = fresh_workdir("long_story")
    path = work / "long-story.txt"
    write_story(path, int(args.megabytes * 1_000_000))
    data = path.read_bytes()

    started = time.perf_counter()
    split = split_digest(read_document(path.name, data))
    read_and_split = time.perf_counter() - started
    if len(split.stories) != 1:
        sys.exit(f"the file split into {len(split.stories)} stories, not one")
    story = split.stories[0]
    extractor = extractor_from_files()

    # CPU time is what one core spends; wall time also counts whatever else the machine runs.
    times = []
    for _ in range(args.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = extractor.extract(story.headline, story.paragraphs)
        times.append((time.process_time() - cpu_started, time.perf_counter() - started))
    kinds = {kind: len(found.of_kind(kind)) for kind in ("place", "actor", "source")}
    print(f"one story of {len(data) / 1_000_000:.2f} MB, {len(story.paragraphs)} paragraphs: read and split in "
          f"{read_and_split:.2f} s, extracted in {min(times)[0]:.2f} s of CPU time, {min(times)[1]:.2f} s by the wall "
          f"clock (best of {args.repeat}); found "
          f"{kinds['place']} places, {kinds['actor']} actors, {kinds['source']} sources; "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.steps:
        print_steps(extractor, story)


def print_steps(extractor, story):
    """Each step timed alone, run as Extractor.run runs them."""
    doc = StoryDoc.from_story(story.headline, story.paragraphs)
    with collection_paused():
        for step in extractor.steps:
            started = time.process_time()
            doc = step(doc, extractor.registry)
            print(f"  {step.__name__:<24} {time.process_time() - started:6.2f} s")


if __name__ == "__main__":
    main()
