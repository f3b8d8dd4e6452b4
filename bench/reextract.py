"""Time `manage.py reextract` over ten thousand stored stories.

    .venv/bin/python bench/reextract.py [--digests 2300]

Ingests bench/ingest.py's generated digests (about 4.5 stories each) into a scratch
SQLite database and Whoosh index under var/bench/reextract, then times two runs of
`reextract`: with the registry unchanged (every story is read and extracted, none
rewritten), and after a curation that changes a quarter of the stories (the place Hama
marked never-an-entity), which rewrites and reindexes just those.
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

from ingest import fresh_workdir, scratch_environment, write_digests

ROOT = Path(__file__).resolve().parent.parent
CURATION = 'from digest.models import StopForm; StopForm.objects.create(form="Hama", note="bench")'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--digests", type=int, default=2300)
    args = parser.parse_args()

    work, files = fresh_workdir("reextract")
    write_digests(files, args.digests)
    env = scratch_environment(work)

    def manage(*arguments, **options):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, check=True,
                              capture_output=True, text=True, **options)
        return time.perf_counter() - started, done.stdout.strip()

    manage("migrate", "--noinput", "-v0")
    manage("setup_search")
    elapsed, _ = manage("ingest", "-v0", str(files))
    _, stories = manage("shell", "-v0", "-c", "from digest.models import Story; print(Story.objects.count())")
    stories = int(stories.splitlines()[-1])
    print(f"ingested {args.digests} digests, {stories} stories in {elapsed:.1f} s")
    for label in ("registry unchanged", "after a curation"):
        if label == "after a curation":
            manage("shell", "-v0", "-c", CURATION)
        elapsed, report = manage("reextract")
        print(f"reextract, {label}: {elapsed:.1f} s (including process start), {stories / elapsed:.0f} stories/s; "
              f"{report}")


if __name__ == "__main__":
    main()
