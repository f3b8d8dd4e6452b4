"""Precision and recall of near-duplicate detection on the labelled story pairs, per shingling
and threshold, and the cost of signing a story.

    .venv/bin/python bench/near_duplicates.py [--pairs tests/fixtures/near_duplicates/pairs.json]

A pair is found when the MinHash estimate of its similarity reaches the threshold *and* the two
signatures share an LSH band key (what ingestion and find_duplicates look up), so the figures
for the chosen shingling are what the archive does. Exact Jaccard is printed beside the
estimate per pair for the chosen shingling (-v).
"""
import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.duplicates import signature as sig  # noqa: E402  (no Django needed)

SHINGLINGS = {
    "words-1, all words": sig.Shingling(words=1, drop_stopwords=False),
    "words-1": sig.Shingling(words=1),
    "words-1, numbers kept": sig.Shingling(words=1, mask_numbers=False),
    "words-2": sig.Shingling(words=2),
    "words-2, all words": sig.Shingling(words=2, drop_stopwords=False),
    "words-3": sig.Shingling(words=3),
    "chars-4": sig.Shingling(chars=4),
    "chars-5": sig.Shingling(chars=5),
    "chars-5, all words": sig.Shingling(chars=5, drop_stopwords=False),
    "chars-7": sig.Shingling(chars=7),
}
THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def scored(pairs, shingling):
    rows = []
    for pair in pairs:
        a, b = (shingling.shingles(pair[s]["headline"], pair[s]["body"]) for s in "ab")
        sa, sb = sig.signature(a), sig.signature(b)
        estimate = sig.similarity(sa, sb) if sa is not None and sb is not None else 0.0
        banded = sa is not None and sb is not None and bool(set(sig.band_keys(sa)) & set(sig.band_keys(sb)))
        rows.append((pair, len(a & b) / len(a | b) if a | b else 0.0, estimate, banded))
    return rows


def precision_recall(rows, threshold):
    found = [(pair["label"] == "same") for pair, _, estimate, banded in rows if banded and estimate >= threshold]
    relevant = sum(pair["label"] == "same" for pair, *_ in rows)
    tp = sum(found)
    return (tp / len(found) if found else 1.0), (tp / relevant if relevant else 1.0), tp, len(found) - tp


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default=str(ROOT / "tests/fixtures/near_duplicates/pairs.json"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    pairs = json.loads(Path(args.pairs).read_text())
    kinds = sorted({p["kind"] for p in pairs})
    print(f"{len(pairs)} pairs: " + ", ".join(f"{sum(p['kind'] == k for p in pairs)} {k}" for k in kinds))
    print(f"MinHash {sig.NUM_PERM} permutations, LSH {sig.BANDS} bands x {sig.ROWS_PER_BAND} rows\n")
    print(f"{'shingling':24}" + "".join(f"{t:>13}" for t in THRESHOLDS))
    for name, shingling in SHINGLINGS.items():
        rows = scored(pairs, shingling)
        cells = [precision_recall(rows, t) for t in THRESHOLDS]
        print(f"{name:24}" + "".join(f"  P{p:.2f} R{r:.2f}" for p, r, *_ in cells))
    chosen = sig.Shingling()
    rows = scored(pairs, chosen)
    print(f"\nchosen: {chosen}, threshold {sig.THRESHOLD}")
    for kind in kinds:
        of_kind = [row for row in rows if row[0]["kind"] == kind]
        hits = sum(row[3] and row[2] >= sig.THRESHOLD for row in of_kind)
        print(f"  {kind:12} {hits}/{len(of_kind)} linked")
    if args.verbose:
        for pair, exact, estimate, banded in sorted(rows, key=lambda row: -row[2]):
            print(f"  {pair['label']:9} {pair['kind']:12} jaccard {exact:.2f} estimate {estimate:.2f} "
                  f"{'banded' if banded else '      '} {pair['id']}")
    texts = [(p[s]["headline"], p[s]["body"]) for p in pairs for s in "ab"] * 20
    started = time.perf_counter()
    for headline, body in texts:
        signed = sig.story_signature(headline, body)
        if signed is not None:
            sig.band_keys(signed)
    print(f"\nsigning and banding: {(time.perf_counter() - started) / len(texts) * 1e3:.3f} ms per story")


if __name__ == "__main__":
    main()
