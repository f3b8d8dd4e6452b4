"""Show that ingesting file after file, each naming people no earlier file named, neither
rebuilds the extractor per file nor slows down as the registry grows.

    .venv/bin/python bench/extractor_current.py [--files 400]

Migrates a scratch SQLite database and Whoosh index under var/bench/extractor_current, then, in
this process, ingests generated digests (four stories each; every story quotes a person and names
a village no earlier file named) through the ingestion service, as `manage.py ingest` does. Prints,
per quarter of the files: stories/s, the time spent in get_extractor(), and how many times an
extractor was built from the tables.
"""
import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from ingest import fresh_workdir, scratch_environment

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ra", "qa", "da", "ma", "ha", "ka", "za", "la", "ba", "ta", "sha", "na", "ya", "wa", "fa", "ja",
             "ri", "mi", "ni", "si", "li", "di", "bu", "ru", "mu", "ku", "zu", "hu", "dar", "mar", "sal", "kar"]
FIRST_NAMES = ["Ahmad", "Mohammed", "Rami", "Walid", "Salim", "Hassan", "Omar", "Riad", "Khaled", "Yusuf"]
PLACES = ["Aleppo", "Homs", "Raqqa", "Idlib", "Daraa", "Damascus", "Hama", "Kobani", "Palmyra", "Manbij"]
STORY = """{verb} Near {place} as Talks Stall
Government forces shelled the village of {village} near {place} on {day:%A}, a local activist, {person}, told AFP.
"We have nowhere left to go," said {other} of the Syrian Civil Defence. {surname} said dozens had fled to {place}.
The Syrian Observatory for Human Rights said at least {dead} people were killed, Reuters reports.
"""
VERBS = ["Shelling", "Fighting", "Airstrikes", "Clashes"]


def new_word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_digest(day, rng):
    stories = []
    for _ in range(4):
        person = f"{rng.choice(FIRST_NAMES)} {new_word(rng)}"
        stories.append(STORY.format(
            verb=rng.choice(VERBS), place=rng.choice(PLACES), village=f"Kafr {new_word(rng)}", day=day,
            person=person, surname=person.split()[-1], other=f"{rng.choice(FIRST_NAMES)} {new_word(rng)}",
            dead=rng.randint(2, 40),
        ))
    return f"{day:%B} {day.day}, {day.year}\n" + "".join(stories)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=400)
    args = parser.parse_args()

    work, _ = fresh_workdir("extractor_current")
    env = scratch_environment(work)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "setup_search"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from digest import extract
    from digest.extract import pipeline
    from digest.ingest import service
    from digest.ingest.sources import InputFile
    from digest.models import Entity

    builds, in_extractor = [0], [0.0]
    build, get_extractor = pipeline.Extractor.__init__, extract.get_extractor

    def counting_build(self, *arguments, **options):
        builds[0] += 1
        build(self, *arguments, **options)

    def timed_get_extractor():
        started = time.perf_counter()
        try:
            return get_extractor()
        finally:
            in_extractor[0] += time.perf_counter() - started

    pipeline.Extractor.__init__ = counting_build
    service.get_extractor = timed_get_extractor

    rng = random.Random(10)
    quarter = max(1, args.files // 4)
    print(f"{args.files} files of 4 stories, each story naming two people and a village no earlier file named")
    for first in range(0, args.files, quarter):
        builds[0], in_extractor[0] = 0, 0.0
        started, cpu_started = time.perf_counter(), time.process_time()
        files = range(first, min(first + quarter, args.files))
        for n in files:
            day = datetime.date(2013, 1, 1) + datetime.timedelta(days=n)
            outcome = service.ingest_input(InputFile(f"digest-{n:04d}.txt", make_digest(day, rng).encode()))
            assert outcome.ok, outcome.error
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        stories = 4 * len(files)
        print(f"files {files.start + 1}-{files.stop}: {stories / elapsed:.1f} stories/s ({stories / cpu:.1f} of CPU "
              f"time); get_extractor() {in_extractor[0]:.2f} s of {elapsed:.1f} s; extractors built {builds[0]}; "
              f"{Entity.objects.count()} entities; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
