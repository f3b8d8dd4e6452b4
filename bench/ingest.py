"""Time `manage.py ingest` over a few hundred generated digests.

    .venv/bin/python bench/ingest.py [--digests 300] [--keep]

Writes deterministic digest-shaped text files (a date line, 3-6 stories, a
Recommended Reads block) to a temporary directory, ingests them into a scratch
SQLite database and Whoosh index under var/bench/ingest, and prints the time
per digest and per story. Nothing touches the development database.
"""
import argparse
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--digests", type=int, default=300)
    args = parser.parse_args()

    work, files = fresh_workdir("ingest")
    stories = write_digests(files, args.digests)

    env = scratch_environment(work)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "setup_search"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([*manage, "ingest", "-v0", str(files)], env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    print(f"{args.digests} digests, {stories} stories ingested in {elapsed:.1f} s "
          f"(including process start): {1000 * elapsed / args.digests:.1f} ms per digest, "
          f"{stories / elapsed:.0f} stories/s")


if __name__ == "__main__":
    main()
