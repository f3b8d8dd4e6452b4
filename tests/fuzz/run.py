"""Coverage-guided fuzzing of one reader with atheris (libFuzzer), for a bounded time.

    .venv/bin/python tests/fuzz/run.py READER [--seconds N] [--seed N]     (make fuzz runs every reader)

Starts from the seed corpus in tests/fuzz/READER/ and keeps what it learns in
var/fuzz/READER/corpus/ (not in git). A crash stops the run with exit status 1 and leaves its
input in var/fuzz/READER/crash-*: fix the reader, then copy the input into tests/fuzz/READER/ so
tests/test_fuzz_corpus.py keeps it fixed.

Without --seed, libFuzzer picks a new random seed each run, to explore new ground. With one (and
PYTHONHASHSEED set, as `make fuzz FUZZ_SEED=N` does) a run from the same corpus makes the same
inputs in the same order, as many as its time allows: CI fails when a change made the code crash
on inputs that passed before, not when a lucky draw found an old bug, and what it reports replays.
"""
import argparse
import os
import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
READERS = ("text", "html", "email", "markdown", "zip")
MAX_INPUT_BYTES = 64 * 1024
# An input that takes longer than this is a crash too: a small file must never hold a worker for long.
SLOW_INPUT_SECONDS = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reader", choices=READERS)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--seed", type=int, help="libFuzzer's random seed (default: a new one each run)")
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(HERE.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.test_settings")
    with atheris.instrument_imports(include=["digest", "fuzz"]):  # setup() imports most of digest
        import django

        django.setup()
        from fuzz.targets import TARGETS
    target = TARGETS[args.reader]

    work = ROOT / "var" / "fuzz" / args.reader
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    atheris.Setup(
        [sys.argv[0], str(corpus), str(HERE / args.reader), f"-max_total_time={args.seconds}",
         f"-max_len={MAX_INPUT_BYTES}", f"-timeout={SLOW_INPUT_SECONDS}", f"-artifact_prefix={work}/",
         "-print_final_stats=1", *([f"-seed={args.seed}"] if args.seed is not None else [])],
        target,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
