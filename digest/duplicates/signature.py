"""A story's MinHash signature and the LSH band keys that find its near-duplicates.

A story is its headline and body, folded to lower-case ASCII words with every number written
as one token ("#"), so the same event told again a day later with new figures ("63 killed",
then "95 killed") keeps its shingles. A shingle is WORDS_PER_SHINGLE words in a row.
bench/near_duplicates.py measured the choices here on the labelled pairs in
tests/fixtures/near_duplicates/pairs.json.

The signature is NUM_PERM MinHash values (datasketch); the estimated Jaccard similarity of two
stories' shingle sets is the share of equal values. It is cut into BANDS bands of
ROWS_PER_BAND values, and each band is hashed into one signed 64-bit key: two stories whose
similarity is s share at least one key with probability 1 - (1 - s**ROWS_PER_BAND)**BANDS,
so looking a story's keys up in an indexed table finds its candidates without reading the
archive, and the signatures of those few decide.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

NUM_PERM = 128
BANDS, ROWS_PER_BAND = 42, 3
WORDS_PER_SHINGLE = 1
# Stories with fewer shingles than this (a one-line item, a heading) are too short to tell an
# event by: they get no signature and are never linked.
MIN_SHINGLES = 12
# Similarity (estimated Jaccard of the shingle sets) from which two stories are the same event.
THRESHOLD = 0.45
# Bumped whenever the shingling or the signature changes, so find_duplicates signs again.
VERSION = 1

SCHEME = "affine32"
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    line.strip() for line in (Path(__file__).parent / "data" / "stopwords.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


@dataclass(frozen=True)
class Shingling:
    """How a text becomes the set of shingles that MinHash estimates; the bench tries others."""

    words: int = WORDS_PER_SHINGLE
    mask_numbers: bool = True
    chars: int = 0  # character n-grams of the folded words instead of word n-grams, when set
    drop_stopwords: bool = True

    def shingles(self, headline: str, body: str) -> set[bytes]:
        tokens = words(f"{headline}\n{body}", self.mask_numbers)
        if self.drop_stopwords:
            tokens = [token for token in tokens if token not in STOPWORDS]
        if self.chars:
            text = " ".join(tokens)
            return {text[i:i + self.chars].encode() for i in range(len(text) - self.chars + 1)}
        return {" ".join(tokens[i:i + self.words]).encode() for i in range(len(tokens) - self.words + 1)}


def words(text: str, mask_numbers=True) -> list[str]:
    """Lower-case ASCII words (accents folded, apostrophes dropped); numbers as "#" when masked."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")
    return ["#" if mask_numbers and token.isdigit() else token for token in _WORD.findall(folded)]


def signature(shingles) -> np.ndarray | None:
    """The MinHash values of a set of shingles (uint32), or None when there are too few to tell."""
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash_class, permutations = _minhash()
    minhash = minhash_class(num_perm=NUM_PERM, permutations=permutations, scheme=SCHEME)
    minhash.update_batch(sorted(shingles))
    return minhash.hashvalues.astype(np.uint32)


@cache
def _minhash():
    """datasketch's MinHash and its permutations, made once. Imported when first needed:
    datasketch imports scipy, which would add seconds to the start of every web process."""
    from datasketch import MinHash

    return MinHash, MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def story_signature(headline: str, body: str, shingling: Shingling = Shingling()) -> np.ndarray | None:
    return signature(shingling.shingles(headline, body))


@dataclass(frozen=True)
class Signed:
    """A story signed apart from the database: its signature as stored (None when too short to
    tell) and its band keys. Plain bytes and ints, so that an ingest worker signs the stories it
    parses and hands them to the writer cheaply."""

    minhash: bytes | None
    keys: tuple[int, ...] = ()


def sign(headline: str, body: str) -> Signed:
    values = story_signature(headline, body)
    return Signed(None) if values is None else Signed(to_bytes(values), tuple(band_keys(values)))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(values: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (fits a BigIntegerField on every database)."""
    return [
        int.from_bytes(
            hashlib.blake2b(values[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND].tobytes(),
                            digest_size=8, person=band.to_bytes(2, "big")).digest(),
            "big", signed=True,
        )
        for band in range(BANDS)
    ]


def to_bytes(values: np.ndarray) -> bytes:
    return values.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4")
