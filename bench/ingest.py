"""Time `manage.py ingest` over a generated archive, stage by stage and quarter by quarter.

    .venv/bin/python bench/ingest.py [--stories 20000] [--jobs N]

Writes an archive of one-day Markdown digests (1 to 6 stories each, 3.5 on average, as
the real archive's 5,636 files hold 20,000 stories) whose stories keep introducing people
and places no earlier file named ("said Walid Haddadi, a spokesman for ...", "the village
of Kafr Zamaha"), besides recurring ones, so the entity registry grows all through the run
as a real archive's does. Their prose draws on a vocabulary of some 20,000 words, a few common
and most rare (Prose), and one story in twelve retells one of the days before: the index's
terms and the near-duplicates to link come as many as a real archive's.

Ingests it with one `ingest` command into a scratch SQLite database and Whoosh index under
var/bench/ingest (or --workdir), and prints the command's stage table (read and split,
extract, store, index: seconds in all and CPU seconds, and the cores the run kept busy),
stories/s for each quarter of the stories (by when their files were stored, and by when they
were searchable: see searchable_quarters), and peak memory. Nothing touches the development
database. A stage's CPU seconds do not grow while its process waits for a core that another
process of the run holds, as its seconds in all do; but they do follow the machine's own
speed, which varies from run to run on a shared machine: compare two commits back to back.

`--digests N` writes the older, smaller generator's text digests instead (bench/reextract.py
uses them).
"""
import argparse
import itertools
import os
import random
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from corpus import FIRST_NAMES, SYLLABLES, WORDS, Prose

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Aleppo", "Homs", "Raqqa", "Idlib", "Daraa", "Damascus", "Hama", "Kobani", "Deir ez-Zor", "Palmyra",
          "Latakia", "Qamishli", "Manbij", "Azaz", "Beirut", "Ankara", "Moscow", "Geneva", "Baghdad", "Amman"]
ACTORS = ["Bashar al-Assad", "ISIS", "the Free Syrian Army", "Jabhat al-Nusra", "Hezbollah", "the YPG",
          "John Kerry", "Sergei Lavrov", "Staffan de Mistura", "the U.N. Security Council", "the Syrian government",
          "the National Coalition", "Ahrar al-Sham", "the Kurdish Democratic Union Party"]
OUTLETS = ["Reuters", "AFP", "the BBC", "the Associated Press", "Al Jazeera", "The Guardian",
           "the New York Times", "the Washington Post", "Deutsche Welle", "Al Monitor"]
VERBS = ["Strike", "Talks", "Offensive", "Ceasefire", "Aid Convoy", "Siege", "Refugees", "Shelling", "Visit"]


def make_digest(day, rng):
    lines = [f"{day:%A, %B} {day.day}, {day.year}"]
    for _ in range(rng.randint(3, 6)):
        place, actor = rng.choice(PLACES), rng.choice(ACTORS)
        lines.append(f"{rng.choice(VERBS)} Near {place} Tests {actor.replace('the ', '').title()} Resolve")
        for _ in range(rng.randint(1, 8)):
            other = rng.choice(PLACES)
            lines.append(
                f"Fighting between {actor} and rival forces near {place} and {other} continued on "
                f"{day:%A}, killing at least {rng.randint(2, 90)} people, {rng.choice(OUTLETS)} reports."
            )
    lines.append("Recommended Reads:")
    for _ in range(rng.randint(0, 6)):
        lines += ["-", f"{rng.choice(OUTLETS).removeprefix('the ')}: Why {rng.choice(PLACES)} Matters Now"]
    return "\n".join(lines) + "\n"


def write_digests(directory, count, seed=2014):
    """Write `count` generated digests, one a day from 2013-01-01; returns how many stories they hold."""
    rng = random.Random(seed)
    stories = 0
    for n in range(count):
        text = make_digest(date(2013, 1, 1) + timedelta(days=n), rng)
        stories += sum(1 for line in text.splitlines() if " Tests " in line)
        (directory / f"digest-{n:04d}.txt").write_text(text, encoding="utf-8")
    return stories


def fresh_workdir(name):
    """An emptied var/bench/<name> with an empty digests/ folder inside; returns both paths."""
    work = ROOT / "var" / "bench" / name
    shutil.rmtree(work, ignore_errors=True)
    files = work / "digests"
    files.mkdir(parents=True)
    return work, files


def scratch_environment(work):
    """Settings for a scratch database and index under `work`, never the development ones."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "SEARCH_URL": f"whoosh://{work / 'whoosh_index'}",
        # DEBUG stays off (it would record every query); start-up then wants a key of its own.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    }


# What the archive's stories keep introducing, in the ways the extractor recognises.
PERSON_INTRODUCTIONS = [
    "{person}, a spokesman for {group}, said the {word} had been {verb}.",
    "\"We will not {verb2} the {word},\" said {person}, a local council member.",
    "According to {person}, the {word} had been {verb} by {group}.",
]
PLACE_INTRODUCTIONS = [
    "Fighting spread to the village of {place}, {outlet} reports.",
    "Residents fled the town of {place} after the {word} was {verb}.",
    "Aid reached families near {place} for the first time in months.",
]
GROUPS = ["the Free Syrian Army", "Ahrar al-Sham", "the Syrian Democratic Forces", "Jaish al-Islam", "the YPG",
          "the Syrian Observatory for Human Rights", "the White Helmets", "the Syrian government"]
DONE_TO = ["shelled", "besieged", "recaptured", "evacuated", "bombed", "reopened", "surrounded", "cut off"]
REFUSALS = ["leave", "accept", "abandon", "forget", "surrender"]


class NameSource:
    """New names on demand, and names already used, drawn recency-weighted as news repeats them."""

    def __init__(self, rng, make):
        self.rng, self.make, self.names, self.seen = rng, make, [], set()

    def new(self):
        while True:
            name = self.make(self.rng)
            if name not in self.seen:
                self.seen.add(name)
                self.names.append(name)
                return name

    def again(self):
        if not self.names:
            return self.new()
        back = min(int(self.rng.expovariate(1 / 40)), len(self.names) - 1)  # mostly recent ones
        return self.names[-1 - back]


def _word(rng, syllables):
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _person(rng):
    particle = rng.choice(["", "", "al-", "Abu "])
    return f"{rng.choice(FIRST_NAMES)} {particle}{_word(rng, rng.randint(2, 3))}{rng.choice(['', 'i', 'ani'])}"


def _place(rng):
    return f"{rng.choice(['Kafr', 'Tal', 'Ain', 'Jisr', 'Khirbet', 'Deir'])} {_word(rng, rng.randint(2, 3))}"


# Stories that retell an event of the last days (a newsletter follows a siege or talks day after
# day): each keeps most of an earlier story's paragraphs and adds one, so they are the near-duplicates
# ingestion links, at about the rate a daily digest has them.
RETOLD_SHARE, RETOLD_FROM_LAST = 0.08, 30


def make_story(day, rng, prose, people, places):
    """A new story: its headline and paragraphs, each naming a new or recent person or place now and then."""
    place, known = rng.choice(PLACES), rng.choice(ACTORS)
    headline = f"{rng.choice(VERBS)} Near {place} Tests {known.replace('the ', '').title()} Resolve"
    return headline, [make_paragraph(day, rng, prose, people, places, place, known) for _ in range(rng.randint(2, 5))]


def make_paragraph(day, rng, prose, people, places, place, known):
    sentences = []
    for _ in range(rng.randint(2, 4)):
        words = prose.words_of(rng, rng.randint(8, 16))
        sentences.append(f"{words[0].upper()}{words[1:]} in {rng.choice(PLACES)}, {rng.choice(OUTLETS)} reports.")
    fill = dict(word=rng.choice(WORDS), verb=rng.choice(DONE_TO), verb2=rng.choice(REFUSALS), group=rng.choice(GROUPS),
                outlet=rng.choice(OUTLETS))
    if rng.random() < 0.6:
        person = people.new() if rng.random() < 0.5 else people.again()
        sentences.append(rng.choice(PERSON_INTRODUCTIONS).format(person=person, **fill))
    if rng.random() < 0.35:
        village = places.new() if rng.random() < 0.5 else places.again()
        sentences.append(rng.choice(PLACE_INTRODUCTIONS).format(place=village, **fill))
    sentences.append(f"Fighting between {known} and rival forces near {place} continued on {day:%A}.")
    return " ".join(sentences)


def retell(story, day, rng, prose, people, places):
    """An earlier story told again: most of its paragraphs, and one about what happened since."""
    headline, paragraphs = story
    kept = [paragraph for paragraph in paragraphs if rng.random() < 0.8] or paragraphs[:1]
    place, known = rng.choice(PLACES), rng.choice(ACTORS)
    kept.insert(rng.randint(0, len(kept)), make_paragraph(day, rng, prose, people, places, place, known))
    return headline, kept


def make_archive_day(day, stories, rng, people, places, newsletter="", prose=None, told=None):
    """One day's Markdown digest with `stories` stories; every one names a new person or place.
    `newsletter`, when given, names another publication than the archive's own (front matter).
    `told`: the stories of the last days (a list this appends to), some of which are retold."""
    prose = prose or Prose(rng)
    told = [] if told is None else told
    lines = [f"---\nnewsletter: {newsletter}\n---"] if newsletter else []
    lines += ["# Syria Daily Digest", "", f"*{day:%A, %B} {day.day}, {day.year}*", ""]
    earlier = told[-RETOLD_FROM_LAST:]  # of the days before: a digest does not tell a story twice
    for _ in range(stories):
        if earlier and rng.random() < RETOLD_SHARE:
            story = retell(rng.choice(earlier), day, rng, prose, people, places)
        else:
            story = make_story(day, rng, prose, people, places)
        told.append(story)
        headline, paragraphs = story
        lines += [f"## {headline}", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    del told[:-RETOLD_FROM_LAST]
    lines += ["## Recommended Reads", ""]
    for _ in range(rng.randint(0, 5)):
        lines.append(f"- {rng.choice(OUTLETS).removeprefix('the ')}: [Why {rng.choice(PLACES)} Matters Now]"
                     f"(https://example.org/{rng.randrange(10 ** 9)})")
    return "\n".join(lines) + "\n"


# The archive's days: an issue a day from FIRST_DAY for ARCHIVE_DAYS days (about 13 years, all in
# the past, so every date is plausible). A larger archive than one publication's issues hold is
# more publications on the same days, as a multi-newsletter archive is.
FIRST_DAY, ARCHIVE_DAYS = date(2011, 3, 15), 5000


def write_archive(directory, stories, seed=2011):
    """Write an archive of about `stories` stories, one Markdown file a day from FIRST_DAY (and a
    second publication's from FIRST_DAY again, and so on, past ARCHIVE_DAYS); returns
    (files, stories, new people, new places)."""
    rng = random.Random(seed)
    people, places, prose, told = NameSource(rng, _person), NameSource(rng, _place), Prose(rng), []
    written = file_number = 0
    while written < stories:
        count = min(rng.randint(1, 6), stories - written)
        publication, day_number = divmod(file_number, ARCHIVE_DAYS)
        day = FIRST_DAY + timedelta(days=day_number)
        newsletter = f"Syria Daily Digest, edition {publication + 1}" if publication else ""
        text = make_archive_day(day, count, rng, people, places, newsletter, prose, told)
        path = directory / f"{day:%Y}" / (f"{day:%Y-%m-%d}-{publication + 1}.md" if publication else f"{day:%Y-%m-%d}.md")
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += count
        file_number += 1
    return file_number, written, len(people.names), len(places.names)


CREATED_LINE = re.compile(r": (?:created|replaced): .*\((\d+) stories, ")
INDEXED_LINE = re.compile(r"^index: a batch of (\d+) stories done")


def run_ingest(command, env):
    """Run `ingest`, timing each file's report line and each index batch's as they appear; returns
    (seconds, stored [(seconds, stories)], indexed [(seconds, stories)], stderr)."""
    with tempfile.TemporaryFile("w+") as errors:  # a pipe read only at the end would fill and stall the command
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True, bufsize=1)
        stored, indexed = [], []
        for line in process.stdout:
            for pattern, times in ((CREATED_LINE, stored), (INDEXED_LINE, indexed)):
                match = pattern.search(line)
                if match:
                    times.append((time.perf_counter() - started, int(match.group(1))))
        status = process.wait()
        finished = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read()
    if status:
        sys.exit(f"ingest failed:\n{stderr[-3000:]}")
    return finished, stored, indexed, stderr


def quarters(stored, finished):
    """(stories, seconds) for each quarter of the stories. Time runs from the first file's line
    (process start and the first file are left out, that file's stories too) to the line that
    completes the quarter; the last quarter runs until the command ended, its final index flush
    included."""
    first_at, first_count = stored[0]
    total = sum(count for _, count in stored) - first_count
    rates, done, begun, counted = [], 0, first_at, 0
    for at, count in stored[1:]:
        done += count
        if done >= total * (len(rates) + 1) / 4 and len(rates) < 3:
            rates.append((done - counted, at - begun))
            begun, counted = at, done
    rates.append((done - counted, finished - begun))
    return rates


def searchable_quarters(indexed, begun):
    """(stories, seconds) for each quarter of the stories by when they were searchable: from `begun`
    (the first file's line, as for quarters) to the end of the index batch that takes the count
    past the quarter. Each quarter then pays for indexing its own stories, where by the lines of
    stored files the first pays for none of it and the last waits for the last batch. None when
    the batches are too few for each quarter to end with one of its own."""
    total = sum(count for _, count in indexed)
    rates, done, counted = [], 0, 0
    for at, count in indexed:
        done += count
        if done >= total * (len(rates) + 1) / 4:
            if done >= total * (len(rates) + 2) / 4:
                return None  # one batch ends two quarters
            rates.append((done - counted, at - begun))
            begun, counted = at, done
    return rates if len(rates) == 4 else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=20000, help="stories in the generated archive (up to 100,000)")
    parser.add_argument("--jobs", type=int, help="passed to ingest --jobs (default: the command's own)")
    parser.add_argument("--digests", type=int, help="ingest this many digests of the older text generator instead")
    parser.add_argument("--workdir", default="ingest", help="scratch folder under var/bench/ (a long run beside short ones)")
    args = parser.parse_args()
    if not 1 <= args.stories <= 100_000:
        parser.error("--stories must be between 1 and 100,000")
    if not re.fullmatch(r"[\w-]+", args.workdir):
        parser.error("--workdir must be a plain folder name (it is emptied first)")

    work, files = fresh_workdir(args.workdir)
    if args.digests:
        stories, what = write_digests(files, args.digests), f"{args.digests} text digests"
    else:
        days, stories, people, places = write_archive(files, args.stories)
        what = f"{days} Markdown digests introducing {people} people and {places} places"

    env = scratch_environment(work)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "setup_search"], env=env, check=True, stdout=subprocess.DEVNULL)
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    load_before = os.getloadavg()[0]
    elapsed, stored, indexed, stderr = run_ingest([*manage, "ingest", "-v", "2", *jobs, str(files)], env)

    print(f"{stories} stories in {what}, ingested in {elapsed:.1f} s (including process start): "
          f"{stories / elapsed:.0f} stories/s; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    for line in stderr.splitlines():
        if line.startswith(("stage ", "peak memory")):
            print(line)
    if len(stored) < 8:
        print("too few files for stories/s by quarter")
        return
    rates = quarters(stored, elapsed)
    for number, (count, seconds) in enumerate(rates, start=1):
        print(f"quarter {number}: {count:6d} stories in {seconds:6.1f} s, {count / seconds:5.0f} stories/s")
    print(f"last quarter / first quarter: {rates[3][0] / rates[3][1] / (rates[0][0] / rates[0][1]):.2f}")
    searchable = searchable_quarters(indexed, stored[0][0])
    if searchable is None:
        print(f"too few index batches ({len(indexed)}) for stories/s by quarter as they became searchable")
    else:
        for number, (count, seconds) in enumerate(searchable, start=1):
            print(f"searchable, quarter {number}: {count:6d} stories in {seconds:6.1f} s, {count / seconds:5.0f} stories/s")
        print(f"searchable, last quarter / first quarter: "
              f"{searchable[3][0] / searchable[3][1] / (searchable[0][0] / searchable[0][1]):.2f}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of any one process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
