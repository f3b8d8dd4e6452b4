"""Time `manage.py find_duplicates` over an archive of N stories with planted retellings, and
check what it found against them.

    .venv/bin/python bench/find_duplicates.py [--stories 20000] [--retold 0.05]

Stories are drawn from a vocabulary of 20,000 made-up words with Zipf weights (a real
archive's spread: a few words in every story, most in few), so two unrelated stories share
about as much as two real ones do. A share of them (--retold) is told again in a later digest
as an update would be: a fifth of the words changed, sentences dropped or added, figures new.
Stores them all into a scratch SQLite database under var/bench/find_duplicates with linking at
ingest off, then runs find_duplicates once (and once more, to time the run that finds nothing
to do), and prints stories/s, the band-table size, and precision and recall against the
planted pairs. Nothing touches the development database.
"""
import argparse
import datetime
import hashlib
import itertools
import os
import random
import secrets
import shutil
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ["ra", "qa", "da", "ma", "ha", "ka", "za", "la", "ba", "ta", "sha", "na", "ya", "wa", "fa", "ja",
             "ri", "mi", "ni", "si", "li", "di", "bu", "ru", "mu", "ku", "zu", "hu", "dar", "mar", "sal", "kar"]
STORIES_PER_DIGEST = 20


def vocabulary(rng, size=20000):
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def story_text(rng, words, weights):
    sentences = []
    for _ in range(rng.randint(6, 14)):
        sentence = rng.choices(words, cum_weights=weights, k=rng.randint(8, 18))
        sentence.insert(rng.randrange(len(sentence)), str(rng.randint(2, 500)))
        sentences.append(" ".join(sentence).capitalize() + ".")
    return " ".join(rng.choices(words, cum_weights=weights, k=6)).title(), sentences


def retold(rng, words, weights, headline, sentences):
    changed = []
    for sentence in sentences:
        if rng.random() < 0.15:
            continue  # dropped
        tokens = sentence.rstrip(".").split()
        tokens = [str(rng.randint(2, 500)) if t.isdigit() else
                  (rng.choices(words, cum_weights=weights)[0] if rng.random() < 0.2 else t) for t in tokens]
        changed.append(" ".join(tokens).capitalize() + ".")
    changed += story_text(rng, words, weights)[1][:rng.randint(0, 2)]  # new sentences
    return headline, changed


def build(count, retold_share, seed=13):
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(words))))
    stories, planted, pending = [], set(), []
    for index in range(count):
        due = [p for p in pending if p[0] <= index // STORIES_PER_DIGEST]
        if due:
            pending.remove(due[0])
            _, original, headline, sentences = due[0]
            stories.append(retold(rng, words, weights, headline, sentences))
            planted.add((original, index))
            continue
        headline, sentences = story_text(rng, words, weights)
        stories.append((headline, sentences))
        if rng.random() < retold_share:
            pending.append((index // STORIES_PER_DIGEST + rng.randint(1, 3), index, headline, sentences))
    return stories, planted


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=20000)
    parser.add_argument("--retold", type=float, default=0.05, help="share of stories told again later")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    work = ROOT / "var" / "bench" / "find_duplicates"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ.update(DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}", SEARCH_URL=f"whoosh://{work / 'index'}",
                      SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
                      NEAR_DUPLICATES_AT_INGEST="false", DJANGO_SETTINGS_MODULE="archive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils.text import slugify

    from digest.models import Digest, NearDuplicate, Story, StoryBand

    call_command("migrate", verbosity=0)
    stories, planted = build(args.stories, args.retold)
    first = datetime.date(2012, 1, 1)
    with transaction.atomic():
        digests = Digest.objects.bulk_create(
            Digest(date=first + datetime.timedelta(days=day), title=f"Bench {day}", newsletter="Bench",
                   file_name=f"{day}.txt", sha256=hashlib.sha256(str(day).encode()).hexdigest(), source_text="")
            for day in range((len(stories) + STORIES_PER_DIGEST - 1) // STORIES_PER_DIGEST))
        rows = Story.objects.bulk_create(
            (Story(digest=digests[i // STORIES_PER_DIGEST], position=i % STORIES_PER_DIGEST + 1, headline=headline,
                   body="\n\n".join(sentences), slug=slugify(headline)[:200])
             for i, (headline, sentences) in enumerate(stories)), batch_size=2000)
    pk_of = [row.pk for row in rows]
    started = time.perf_counter()
    call_command("find_duplicates", batch_size=args.batch_size, verbosity=0, stdout=StringIO(), stderr=StringIO())
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    call_command("find_duplicates", verbosity=0, stdout=StringIO(), stderr=StringIO())
    again = time.perf_counter() - again
    expected = {(pk_of[a], pk_of[b]) for a, b in planted}
    found = set(NearDuplicate.objects.filter(story_id__lt=django.db.models.F("other_id")).values_list("story_id", "other_id"))
    right = len(found & expected)
    print(f"{len(stories):,} stories, {len(planted):,} planted retellings, batches of {args.batch_size}; "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"find_duplicates: {seconds:.1f} s, {len(stories) / seconds:,.0f} stories/s, "
          f"{seconds / len(stories) * 1e3:.2f} ms per story; run again (nothing to sign): {again:.2f} s")
    print(f"band keys stored: {StoryBand.objects.count():,}")
    print(f"pairs found {len(found):,}: precision {right / len(found) if found else 1:.3f}, "
          f"recall {right / len(expected) if expected else 1:.3f}")


if __name__ == "__main__":
    main()
